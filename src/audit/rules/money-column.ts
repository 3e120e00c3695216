// The money type: locale-dependent formatting and a fixed scale.
import { alterType, columnTypeRule } from '../column-type-rule.js';

export default columnTypeRule(
  {
    id: 'money-column',
    code: 'PLB042',
    title: 'money column',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`money` has a scale fixed by the server\'s `lc_monetary`, parses and prints according to locale, and cannot hold a currency. ' +
        'Restoring into a server with another locale silently changes values. Use `numeric(p,s)` or integer minor units, plus a currency column.',
      bad: `CREATE TABLE prices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount money NOT NULL);`,
      good: `CREATE TABLE prices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric(12,2) NOT NULL, currency text NOT NULL);`,
      remediation: 'ALTER COLUMN … TYPE numeric(12,2) USING col::numeric, and record the currency.',
    },
  },
  {
    matches: (c) => c.type.kind === 'money',
    message: (c) => `${c.path} uses the money type`,
    fix: (ctx, t, c) => alterType(ctx, t, c, 'numeric(12,2)', `${ctx.quoteIdent(c.name)}::numeric`),
  },
);
