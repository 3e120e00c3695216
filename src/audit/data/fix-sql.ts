// Fix SQL for data findings rendered by the audited dialect's own renderer
// (the same code `plumb plan` uses), so a fix is never Postgres syntax shown
// to a MariaDB user. Returns undefined when the dialect cannot render it.
import type { Change } from '../../diff/changes.js';
import { getDialect } from '../../dialects/index.js';
import type { RuleContext } from '../rule.js';

export function renderFix(ctx: Pick<RuleContext, 'catalog'>, change: Change): string | undefined {
  try {
    const r = getDialect(ctx.catalog.dialect).render?.(change);
    return r?.forward.length ? r.forward.map((s) => `${s};`).join('\n') : undefined;
  } catch {
    return undefined;
  }
}
