// Tenants on MySQL/MariaDB each live in a database of their own, and that
// database is the schema every path and statement names: one migration reads
// `acme`.`users` on one tenant and `globex`.`users` on the next. Comparing
// plans and differences across a fleet must see past it, so the target's home
// schema becomes the placeholder `{db}`. Postgres tenants (a spec's schemas
// keep their names) are unchanged. Pure: never changes what is applied.
import type { DbTarget } from '../drivers/url.js';
import { getDialect } from '../dialects/index.js';

export const HOME_PLACEHOLDER = '{db}';

const identChar = /[A-Za-z0-9_$]/;

/** `home.` at the start of a name (not inside a longer identifier) becomes `{db}.`. */
function replaceQualifier(s: string, home: string): string {
  const needle = `${home}.`;
  let out = '';
  let from = 0;
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length)) {
    if (i > 0 && identChar.test(s[i - 1]!)) continue;
    out += s.slice(from, i) + HOME_PLACEHOLDER + '.';
    from = i + needle.length;
  }
  return out + s.slice(from);
}

/** A function rewriting one string so that this target's home schema reads `{db}`; identity where there is none. */
export function homeNeutral(target: DbTarget): (s: string) => string {
  const d = getDialect(target.dialect);
  const home = d.homeSchema?.(target);
  if (!home) return (s) => s;
  const quoted = `${d.quoteIdent(home)}.`;
  return (s) => (s === home ? HOME_PLACEHOLDER : replaceQualifier(s.split(quoted).join(`${HOME_PLACEHOLDER}.`), home));
}

/** Every string inside plain JSON data rewritten by `f` (keys kept). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}
