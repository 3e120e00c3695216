// `timestamp` without time zone: the same instant stored differently depending on who wrote it.
import { alterType, columnTypeRule } from '../column-type-rule.js';

export default columnTypeRule(
  {
    id: 'timestamp-without-time-zone',
    code: 'PLB040',
    title: 'timestamp without time zone',
    category: 'design',
    severity: 'warning',
    dialects: ['postgres'],
    docs: {
      description:
        '`timestamp` (without time zone) stores a wall-clock reading with no zone, so values written by servers or clients in different ' +
        'zones, or across a DST change, cannot be compared. `timestamptz` stores an instant (UTC) and converts on display.',
      bad: `CREATE TABLE bookings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamp NOT NULL);`,
      good: `CREATE TABLE bookings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, starts_at timestamptz NOT NULL);`,
      remediation: 'ALTER COLUMN … TYPE timestamptz USING col AT TIME ZONE \'<the zone the values were written in>\'.',
    },
  },
  {
    matches: (c) => c.type.kind === 'timestamp',
    message: (c) => `${c.path} is ${c.type.raw}: store instants as timestamptz`,
    fix: (ctx, t, c) => alterType(ctx, t, c, 'timestamptz', `${ctx.quoteIdent(c.name)} AT TIME ZONE 'UTC'`),
  },
);
