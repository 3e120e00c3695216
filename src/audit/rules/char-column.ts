// char(n): blank-padded, and the padding leaks into comparisons and lengths.
import { alterType, columnTypeRule } from '../column-type-rule.js';

export default columnTypeRule(
  {
    id: 'char-column',
    code: 'PLB041',
    title: 'char(n) column',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`char(n)` pads values with spaces to n characters; trailing spaces are then ignored in some comparisons and not in others, ' +
        'and it is no faster than `text` in Postgres. Use `text` (with a CHECK on length if the length matters).',
      bad: `CREATE TABLE countries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, iso_code char(2) NOT NULL);`,
      good: `CREATE TABLE countries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, iso_code text NOT NULL CHECK (length(iso_code) = 2));`,
      remediation: 'ALTER COLUMN … TYPE text (trim the padding with USING rtrim(col)) and add a length CHECK if needed.',
    },
  },
  {
    matches: (c) => c.type.kind === 'char',
    message: (c) => `${c.path} is ${c.type.raw}: use text (with a length check)`,
    fix: (ctx, t, c) => alterType(ctx, t, c, 'text', `rtrim(${ctx.quoteIdent(c.name)})`),
  },
);
