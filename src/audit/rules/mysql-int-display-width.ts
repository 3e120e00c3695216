// Integer display widths other than the default (skeema's display-width):
// INT(5) does not limit the values to five digits, which is what whoever
// wrote it believed.
import { defineRule } from '../rule.js';
import { isPartition, tablesOf } from '../rule-helpers.js';

/** Default widths MySQL/MariaDB print for signed types; unsigned ones are one less (except bigint). */
const DEFAULT_WIDTH: Record<string, number> = { tinyint: 4, smallint: 6, mediumint: 9, int: 11, bigint: 20 };
const TYPE = /^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)( unsigned)?( zerofill)?/i;

export default defineRule({
  meta: {
    id: 'mysql-int-display-width',
    code: 'PLB208',
    title: 'Integer column with a non-default display width',
    category: 'design',
    severity: 'info',
    dialects: ['mysql'],
    docs: {
      description:
        'In `INT(5)` the 5 is a display width, not a limit: the column still stores any value up to 2,147,483,647, and the width only pads ' +
        'output under ZEROFILL. A non-default width usually records a wrong belief about the data ("at most five digits") that the schema ' +
        'does not enforce; MySQL 8.0.17 deprecated the syntax. `TINYINT(1)` (the boolean idiom) and ZEROFILL columns are not reported.',
      bad: `CREATE TABLE branches (id INT(5) NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);`,
      good: `CREATE TABLE branches (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, CHECK (id BETWEEN 0 AND 99999));`,
      remediation: 'Drop the width (`MODIFY id INT NOT NULL`, a metadata-only change) and add a CHECK constraint if the values really have a range.',
    },
  },
  check(ctx) {
    for (const { table } of tablesOf(ctx.catalog)) {
      if (isPartition(table)) continue;
      for (const c of table.columns) {
        const m = TYPE.exec(c.type.raw);
        if (!m || m[4]) continue;
        const base = m[1]!.toLowerCase();
        const width = Number(m[2]);
        if (base === 'tinyint' && width === 1) continue;
        const expected = DEFAULT_WIDTH[base]! - (m[3] && base !== 'bigint' ? 1 : 0);
        if (width === expected) continue;
        ctx.report({ path: c.path, message: `${c.path} is ${c.type.raw}: the (${width}) is a display width, not a limit on the values`, evidence: { type: c.type.raw, defaultWidth: expected } });
      }
    }
  },
});
