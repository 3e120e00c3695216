// PLB104: text columns that hold JSON (by name — payload, metadata, *_json —
// or by content) with values that do not parse. Values are fetched in a
// bounded sample and parsed in TypeScript (portable); never reported.
import type { Column, Table } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { CIPHER_NAMES, JSON_NAMES, PASSWORD_NAMES, SECRET_NAMES, isTextColumn, nameMatches } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, sampleKeysOf, type SampleKey } from '../data/sql.js';
import { fetchValuesMany, type ValueRequest } from '../data/value-scan.js';
import { isJsonText, startsLikeJson } from '../data/value-shapes.js';

/** A validated CHECK on the column that already enforces JSON (MariaDB's JSON alias adds `json_valid(col)`). */
function jsonEnforced(t: Table, c: Column): boolean {
  return t.checks.some((k) => k.validated && /json_valid|is\s+json|::jsonb?\b/i.test(k.expression) && (k.columns.includes(c.name) || k.expression.includes(c.name)));
}

export default defineRule({
  meta: {
    id: 'invalid-json-text',
    code: 'PLB104',
    title: 'Text column holding invalid JSON',
    category: 'integrity',
    severity: 'error',
    data: true,
    docs: {
      description:
        'A text column meant to hold JSON — named like it (`*_json`, `payload`, `metadata`, `data`, `settings`, `config`), or whose other values are JSON objects/arrays — holds values that do not parse. Every reader that calls `JSON.parse` / `->>` on them fails at run time (seed 000: `core_events.payload`). Columns of a native JSON type are validated by the engine and not checked.',
      bad: `CREATE TABLE core_events (id int PRIMARY KEY, payload text NOT NULL);
INSERT INTO core_events VALUES (1, '{"gauge": 7, "event": "checkout"}'), (2, '{"gauge": 8, "event": '), (3, 'checkout gauge 9');`,
      good: `CREATE TABLE core_events (id int PRIMARY KEY, payload text NOT NULL);
INSERT INTO core_events VALUES (1, '{"gauge": 7, "event": "checkout"}'), (2, '{"gauge": 8, "event": "return"}'), (3, '"checkout gauge 9"');`,
      remediation:
        'Repair or null the rows listed in the sample keys, then let the engine validate: on Postgres change the type (`ALTER TABLE t ALTER COLUMN payload TYPE jsonb USING payload::jsonb`), on MySQL/MariaDB use `JSON` or add `CHECK (JSON_VALID(payload))`, on SQLite add `CHECK (json_valid(payload))`.',
    },
    options: { jsonColumns: JSON_NAMES, scanAllText: true, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  async check(ctx) {
    const jsonNames = stringList(ctx.options.jsonColumns, JSON_NAMES);
    const sensitive = [...PASSWORD_NAMES, ...SECRET_NAMES, ...CIPHER_NAMES];
    const wanted: { table: Table; requests: ValueRequest[] }[] = [];
    for (const t of dataTables(ctx.catalog)) {
      const requests: ValueRequest[] = [];
      for (const c of t.columns) {
        if (!isTextColumn(c) || c.generated || nameMatches(c.name, sensitive) || jsonEnforced(t, c)) continue;
        if (nameMatches(c.name, jsonNames)) requests.push({ column: c.name, filter: 'present' });
        else if (ctx.options.scanAllText !== false) requests.push({ column: c.name, filter: 'json-looking' });
      }
      if (requests.length) wanted.push({ table: t, requests });
    }
    for (const { table: t, columns } of await fetchValuesMany(ctx, wanted)) {
      const requests = wanted.find((w) => w.table === t)!.requests;
      for (const cv of columns) {
        const named = requests.find((r) => r.column === cv.column)!.filter === 'present';
        const texts = cv.values.filter((v): v is { key: SampleKey | null; value: string } => typeof v.value === 'string');
        const bad = texts.filter((v) => (named ? !isJsonText(v.value) : startsLikeJson(v.value) && !isJsonText(v.value)));
        if (!bad.length) continue;
        // By content only: the column must demonstrably carry JSON, or `[draft] call the supplier` would count.
        if (!named && !texts.some((v) => startsLikeJson(v.value) && isJsonText(v.value))) continue;
        const c = t.columns.find((x) => x.name === cv.column)!;
        ctx.report({
          path: c.path,
          message: `${bad.length} of ${texts.length} ${named ? '' : 'JSON-looking '}value${texts.length === 1 ? '' : 's'} checked in ${c.path} ${bad.length === 1 ? 'is' : 'are'} not valid JSON${cv.sampled ? ' (sampled)' : ''}`,
          evidence: { invalid: bad.length, checked: texts.length, reason: named ? 'json-named column' : 'column holds JSON values', sampleKeys: sampleKeysOf(bad) },
          ...(cv.sampled ? { sampled: true } : {}),
        });
      }
    }
  },
});
