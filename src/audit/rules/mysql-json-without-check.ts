// MySQL/MariaDB text columns that hold JSON (by name) without a JSON_VALID
// check: invalid documents get in and break every reader (seed 000, phase 5).
import { defineRule } from '../rule.js';
import { tablesOf } from '../rule-helpers.js';

// Not `body`: a message's or notification's body is text (seed 000's core_notification_queue.body).
const JSONISH = /(^|_)(json|payload|metadata|meta|data|attributes|attrs|properties|props|settings|config|configuration|extra|details|changes|context|options|params|parameters)$/i;

export default defineRule({
  meta: {
    id: 'mysql-json-without-check',
    code: 'PLB203',
    title: 'JSON kept in a text column without JSON_VALID',
    category: 'integrity',
    severity: 'warning',
    dialects: ['mysql'],
    options: { pattern: JSONISH.source },
    docs: {
      description:
        'MariaDB\'s JSON type is LONGTEXT plus a CHECK (JSON_VALID(col)); a column declared LONGTEXT or TEXT and used for JSON has ' +
        'no such check, so malformed documents are stored and fail later in every reader. Columns whose names say they hold JSON ' +
        '(`payload`, `metadata`, `*_json`, …) and whose type is text are reported unless a CHECK on the table calls JSON_VALID on them.',
      bad: `CREATE TABLE core_events (id INT PRIMARY KEY, payload LONGTEXT NOT NULL);`,
      good: `CREATE TABLE core_events (id INT PRIMARY KEY, payload LONGTEXT NOT NULL,
  CONSTRAINT chk_payload_json CHECK (JSON_VALID(payload) AND JSON_TYPE(payload) = 'OBJECT'));`,
      remediation: 'Declare the column JSON, or add CHECK (JSON_VALID(col)) after fixing the rows that fail it (SELECT … WHERE NOT JSON_VALID(col)).',
    },
  },
  check(ctx) {
    const pattern = new RegExp(String(ctx.options.pattern ?? JSONISH.source), 'i');
    for (const { table } of tablesOf(ctx.catalog)) {
      for (const c of table.columns) {
        if (c.type.kind !== 'text' || c.generated || !pattern.test(c.name)) continue;
        const quoted = new RegExp(`json_valid\\s*\\(\\s*\`?${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?\\s*\\)`, 'i');
        if (table.checks.some((k) => quoted.test(k.expression))) continue;
        ctx.report({
          path: c.path,
          message: `${c.path} (${c.type.raw}) looks like JSON but nothing checks JSON_VALID`,
          evidence: { type: c.type.raw },
          fix: `ALTER TABLE ${ctx.quoteQualified(table.schema, table.name)} ADD CONSTRAINT ${ctx.quoteIdent(`chk_${c.name}_json`.slice(0, 64))} CHECK (${c.nullable ? `${ctx.quoteIdent(c.name)} IS NULL OR ` : ''}JSON_VALID(${ctx.quoteIdent(c.name)}));`,
        });
      }
    }
  },
});
