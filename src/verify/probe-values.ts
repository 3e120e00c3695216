// Values for enforcement probes: a row the table accepts, built from column
// types (and the obvious shape of IN-list checks), plus candidate values that
// might violate a check. Pure: makes values, runs nothing.
import { randomUUID } from 'node:crypto';
import type { Catalog, Column, Table } from '../catalog/types.js';
import { splitPath } from '../catalog/paths.js';

let counter = 0;
const fresh = () => `${Date.now().toString(36).slice(-4)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const freshInt = (max: number) => Math.floor(max / 2) + Math.floor(Math.random() * (max / 2 - 1));

/** Labels of an enum column (catalog enum, or MySQL inline labels). */
function enumLabels(c: Column, cat: Catalog): string[] | undefined {
  if (c.type.labels?.length) return c.type.labels;
  if (!c.type.ref) return undefined;
  const [s, n] = splitPath(c.type.ref);
  return cat.schemas.find((x) => x.name === s)?.enums.find((e) => e.name === n)?.labels;
}

/**
 * A key value for a probe row. An AUTO_INCREMENT counter moves past any value
 * inserted at or above it, and a rolled-back insert does not move it back:
 * a signed counter column gets a negative value, which leaves it where it was.
 */
export function probeKeyValue(c: Column, cat: Catalog): unknown {
  if (c.autoIncrement && !c.type.unsigned && ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'].includes(c.type.kind)) return -1 - Math.floor(Math.random() * 100);
  return sampleValue(c, cat);
}

/** A value of the column's type that is unlikely to collide with existing rows; undefined when plumb cannot make one. */
export function sampleValue(c: Column, cat: Catalog): unknown {
  const t = c.type;
  switch (t.kind) {
    case 'smallint':
      return freshInt(32000);
    case 'tinyint':
      return freshInt(120);
    case 'mediumint':
      return freshInt(8_000_000);
    case 'int':
      return freshInt(2_000_000_000);
    case 'bigint':
      return String(freshInt(2_000_000_000) * 1000 + Math.floor(Math.random() * 1000));
    case 'numeric': {
      const intDigits = (t.precision ?? 12) - (t.scale ?? 0);
      return String(freshInt(Math.min(10 ** Math.max(1, intDigits), 1e9)));
    }
    case 'real':
    case 'double':
    case 'money':
      return freshInt(1_000_000) + 0.5;
    case 'bool':
      return true;
    case 'text':
    case 'varchar':
    case 'char': {
      const v = `p${fresh()}`;
      return t.length ? v.slice(-t.length) : v;
    }
    case 'date':
      return '2001-02-03';
    case 'time':
    case 'timetz':
      return '04:05:06';
    case 'timestamp':
      return '2001-02-03 04:05:06';
    case 'timestamptz':
      // No offset: MySQL's TIMESTAMP refuses one, and Postgres reads it in the session's time zone.
      return '2001-02-03 04:05:06';
    case 'interval':
      return '1 day';
    case 'year':
      return 2001;
    case 'json':
    case 'jsonb':
      return '{}';
    case 'uuid':
      return randomUUID();
    case 'enum':
      return enumLabels(c, cat)?.[0];
    case 'array':
      return '{}';
    case 'bytea':
    case 'blob':
      return Buffer.from(fresh());
    case 'inet':
      return '10.1.2.3';
    case 'cidr':
      return '10.1.0.0/16';
    case 'macaddr':
      return '08:00:2b:01:02:03';
    default:
      return undefined;
  }
}

/**
 * Values at the far end of the column's range, fresh where the type allows: a
 * long text (checks that bound a length: `length(key_hash) >= 32`), a
 * far-future time (`expires_at > created_at`), a large number. For base rows
 * that a check over several columns rejects with the sampled values.
 */
export function roomyValues(c: Column, cat: Catalog): unknown[] {
  const t = c.type;
  switch (t.kind) {
    case 'text':
    case 'varchar':
    case 'char': {
      const v = String(sampleValue(c, cat));
      const n = Math.min(t.length ?? 64, 64);
      return [v.padEnd(n, 'x').slice(0, n)];
    }
    case 'date':
      return ['2999-12-31'];
    case 'timestamp':
      return ['2999-12-31 00:00:00'];
    case 'timestamptz':
      // Within MySQL's TIMESTAMP range (1970–2038).
      return ['2037-12-31 00:00:00'];
    default:
      return candidateViolations(c, cat);
  }
}

/** Values a check on this column might reject: boundary numbers, empty strings, odd dates, non-object JSON. */
export function candidateViolations(c: Column, cat: Catalog): unknown[] {
  switch (c.type.kind) {
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'tinyint':
    case 'mediumint':
    case 'numeric':
    case 'real':
    case 'double':
      return [-1, 0, -999, 9999, 999999999];
    case 'text':
    case 'varchar':
    case 'char':
      return ['', ' ', 'plumb_invalid', 'x', 'INVALID-VALUE-PLUMB-PROBE-0123456789'];
    case 'bool':
      return [false, true];
    case 'date':
      return ['1900-01-01', '2999-12-31'];
    case 'timestamp':
      return ['1900-01-01 00:00:00', '2999-12-31 00:00:00'];
    case 'timestamptz':
      // Within MySQL's TIMESTAMP range (1970–2038): a value the column refuses is no probe of a check.
      return ['1970-01-02 00:00:00', '2037-12-31 00:00:00'];
    case 'json':
    case 'jsonb':
      return ['[]', '"x"', '1', 'null'];
    case 'enum':
      return enumLabels(c, cat) ?? [];
    default:
      return [];
  }
}

/** `col = ANY (ARRAY['a'::text, …])` / `col IN ('a', …)` (MySQL: `` `col` in ('a', …) ``): the first allowed label, so a base row passes the check. */
export function allowedFromChecks(t: Table): Map<string, string> {
  const out = new Map<string, string>();
  for (const ch of t.checks) {
    const m = /^\(*["`]?([A-Za-z_][A-Za-z0-9_]*)["`]?\)?(?:::\w+)?\s*(?:=\s*ANY\s*\(\s*\(?\s*ARRAY\s*\[|IN\s*\()\s*'((?:[^']|'')*)'/i.exec(ch.expression.trim());
    if (m) out.set(m[1]!, m[2]!.replace(/''/g, "'"));
  }
  return out;
}

const NUMERIC_KINDS = new Set(['smallint', 'tinyint', 'mediumint', 'int', 'bigint', 'numeric', 'real', 'double', 'money']);

/**
 * Numbers a check names, and their neighbours, for a numeric column it reads:
 * `stars BETWEEN 1 AND 5` (Postgres prints `stars >= 1 AND stars <= 5`) accepts
 * 1, where a fresh random number or the usual boundaries (-1, 0, 9999) fail.
 */
export function valuesFromCheck(c: Column, expression: string): unknown[] {
  if (!NUMERIC_KINDS.has(c.type.kind)) return [];
  // Literals not glued to an identifier (col1, x2) or a cast (::int4 has no digits before it).
  const literals = [...expression.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])/g)].map((m) => Number(m[0]));
  const out = new Set<number>();
  for (const n of literals) for (const v of [n, n + 1, n - 1]) if (Number.isFinite(v)) out.add(v);
  return [...out];
}
