// json instead of jsonb: re-parsed on every access, no indexing, duplicate keys kept.
import { alterType, columnTypeRule } from '../column-type-rule.js';

export default columnTypeRule(
  {
    id: 'json-instead-of-jsonb',
    code: 'PLB044',
    title: 'json column instead of jsonb',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`json` keeps the input text verbatim: it is re-parsed on every operator call, cannot be indexed with GIN, has no equality operator, ' +
        'and keeps duplicate keys. `jsonb` is what almost every application wants.',
      bad: `CREATE TABLE webhooks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload json NOT NULL);`,
      good: `CREATE TABLE webhooks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL);`,
      remediation: 'ALTER COLUMN … TYPE jsonb USING col::jsonb (unless key order or duplicate keys must be preserved byte for byte).',
    },
  },
  {
    matches: (c) => c.type.kind === 'json',
    message: (c) => `${c.path} is json: use jsonb`,
    fix: (ctx, t, c) => alterType(ctx, t, c, 'jsonb', `${ctx.quoteIdent(c.name)}::jsonb`),
  },
);
