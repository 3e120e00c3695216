// MySQL and MariaDB refuse a CHECK constraint that reads an AUTO_INCREMENT
// column (seed 000's `companion_gauge_id <> id`): the value is not known when
// CHECKs run. The same rule is kept by a BEFORE INSERT and a BEFORE UPDATE
// trigger that raise SQLSTATE 23514 (check_violation) when the expression is
// false. On insert an id not yet assigned reads as 0; a row can only name
// itself once its id is known, and the update trigger sees it. Pure.
import type { Catalog, CheckConstraint, Column, Table, Trigger, TriggerEvent } from '../../catalog/types.js';
import { objectPath } from '../../catalog/paths.js';
import { tokenize } from '../sqlite/sqlite-ddl-parser.js';
import { quoteIdent, quoteLiteral } from './mysql-dialect.js';

const isAuto = (c: Column) => !!c.autoIncrement || !!c.identity;

/** Where `expression` reads a column of the table (not a function name, not a qualified name). */
function columnRefs(expression: string, columns: readonly string[]): { start: number; end: number; column: string }[] {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const tokens = tokenize(expression);
  return tokens.flatMap((t, i) => {
    const column = t.type === 'ident' ? (columns.includes(t.value) ? t.value : undefined) : t.type === 'word' ? byLower.get(expression.slice(t.start, t.end).toLowerCase()) : undefined;
    // A function call (`lower(x)`) or an already qualified name (`t.x`) is left alone.
    if (!column || tokens[i + 1]?.value === '(' || tokens[i - 1]?.value === '.') return [];
    return [{ start: t.start, end: t.end, column }];
  });
}

/** `expr` with every reference to a column of the table read from NEW (`NEW.\`col\``). */
export function qualifyWithNew(expression: string, columns: readonly string[]): string {
  let out = '';
  let at = 0;
  for (const r of columnRefs(expression, columns)) {
    out += expression.slice(at, r.start) + `NEW.${quoteIdent(r.column)}`;
    at = r.end;
  }
  return out + expression.slice(at);
}

const checkBody = (test: string, message: string) => `BEGIN IF NOT (${test}) THEN SIGNAL SQLSTATE '23514' SET MESSAGE_TEXT = ${message}; END IF; END`;
const CHECK_BODY = /^BEGIN IF NOT \((.*)\) THEN SIGNAL SQLSTATE '23514' SET MESSAGE_TEXT = '(?:[^'\\]|''|\\.)*'; END IF; END$/s;

function triggersFor(t: Table, k: CheckConstraint): Trigger[] {
  const test = qualifyWithNew(k.expression, t.columns.map((c) => c.name));
  const message = quoteLiteral(`CONSTRAINT ${k.name} failed for ${t.name}`);
  const body = checkBody(test, message);
  return (['insert', 'update'] as const).map((event) => mysqlRowTrigger(t, `${k.name}_${event === 'insert' ? 'bi' : 'bu'}`.slice(0, 64), 'before', event, body));
}

/** A MySQL trigger as the catalog holds it: one event, FOR EACH ROW, an inline body. */
export function mysqlRowTrigger(t: Pick<Table, 'schema' | 'name'>, name: string, timing: 'before' | 'after', event: TriggerEvent, body: string): Trigger {
  return {
    name,
    path: objectPath(t.schema, t.name, name),
    timing,
    events: [event],
    level: 'row',
    function: null,
    body,
    when: null,
    enabled: true,
    definition: `CREATE TRIGGER ${quoteIdent(name)} ${timing.toUpperCase()} ${event.toUpperCase()} ON ${quoteIdent(t.name)} FOR EACH ROW ${body}`,
  };
}

/** Checks that read an AUTO_INCREMENT column become a pair of triggers. */
export function autoIncrementChecksAsTriggers(catalog: Catalog): Catalog {
  return {
    ...catalog,
    schemas: catalog.schemas.map((s) => ({
      ...s,
      tables: s.tables.map((t) => {
        const auto = new Set(t.columns.filter(isAuto).map((c) => c.name));
        const names = t.columns.map((c) => c.name);
        const moved = t.checks.filter((k) => (k.columns.length ? k.columns : columnRefs(k.expression, names).map((r) => r.column)).some((c) => auto.has(c)));
        if (!moved.length) return t;
        const triggers = [...t.triggers, ...moved.flatMap((k) => triggersFor(t, k))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { ...t, checks: t.checks.filter((k) => !moved.includes(k)), triggers };
      }),
    })),
  };
}

/**
 * The check a BEFORE INSERT trigger made by autoIncrementChecksAsTriggers
 * stands in for, with its NEW.`col` references read from `alias` instead —
 * the rows already in the table, which a trigger never looks at. Only the
 * insert trigger answers, so the pair is counted once. null for any other trigger.
 */
export function checkEnforcedByTrigger(trigger: Trigger, alias: string): string | null {
  if (trigger.timing !== 'before' || trigger.level !== 'row' || trigger.events.join() !== 'insert' || !trigger.body) return null;
  const m = CHECK_BODY.exec(trigger.body.trim());
  if (!m) return null;
  let out = '';
  let i = 0;
  const test = m[1]!;
  while (i < test.length) {
    const ch = test[i]!;
    if (ch === "'") {
      // A literal is copied as is, so a quoted 'NEW.`x`' stays text.
      let j = i + 1;
      while (j < test.length && !(test[j] === "'" && test[j + 1] !== "'")) j += test[j] === '\\' || test[j] === "'" ? 2 : 1;
      out += test.slice(i, j + 1);
      i = j + 1;
    } else if (test.startsWith('NEW.`', i) && (i === 0 || !/[\w$]/.test(test[i - 1]!))) {
      out += `${alias}.`;
      i += 4;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
