// The diff without an engine: equivalent spellings compare equal, identical
// catalogs give nothing, the output is deterministic, renames come only from
// hints, and a type change is an in-place ALTER. Pure and fast.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Catalog, Table } from '../../src/catalog/types.js';
import { diffCatalogs } from '../../src/diff/diff.js';
import { normExpr, normViewSql, typeKey } from '../../src/diff/normalize-sql.js';
import { formatDiff } from '../../src/diff/describe.js';
import { defineSpec } from '../../src/spec/define-spec.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import { arbCatalog, arbSpecPair } from './arbitraries.js';

const cat = (tables: Parameters<typeof defineSpec>[0]['tables'], extra: Partial<Parameters<typeof defineSpec>[0]> = {}): Catalog => specToDraftCatalog(defineSpec({ tables, ...extra }));
const table = (c: Catalog, name: string): Table => c.schemas[0]!.tables.find((t) => t.name === name)!;

describe('normalisation of SQL text', () => {
  it.each([
    ["'x'::text", "'x'"],
    ["'pending'::character varying", "'pending'"],
    ["'{}'::jsonb", "'{}'"],
    ['((a > 0))', 'a > 0'],
    ['(a > 0) AND (b < 5)', 'a > 0 and b < 5'],
    ['price >= (0)::numeric', 'price >= 0'],
    ["status = ANY (ARRAY['new'::text, 'done'::text])", "status IN ('new', 'done')"],
    ['NOW()', 'now()'],
    ['"id" > 0', 'id > 0'],
    ["nextval('t_id_seq'::regclass)", "nextval('t_id_seq')"],
    ['0.50', '0.5'],
    ['length((name)::text) > 0', 'length(name) > 0'],
    ['a > (-1)::integer', 'a > -1'],
  ])('%s ≡ %s', (a, b) => {
    expect(normExpr(a)).toBe(normExpr(b));
  });

  it.each([
    ['(a OR b) AND c', 'a OR (b AND c)'],
    ["'X'", "'x'"],
    ['"Id" > 0', 'id > 0'],
    ['a > 0', 'a >= 0'],
    ['lower(a)', 'upper(a)'],
    ['f(a)::text', 'f(a)'],
  ])('%s ≢ %s', (a, b) => {
    expect(normExpr(a)).not.toBe(normExpr(b));
  });

  it('compares views as pg_get_viewdef prints them', () => {
    expect(normViewSql(' SELECT t.id,\n    t.code\n   FROM eq.t\n  WHERE (t.price > (0)::numeric);')).toBe(normViewSql('select t.id, t.code from eq.t where t.price > 0'));
  });

  it('drops the lone qualifier Postgres < 16 prints on single-relation view columns', () => {
    expect(normViewSql('SELECT r.id, r.tags[1] AS t, max(r.at) AS m FROM app.roles r GROUP BY r.id')).toBe(normViewSql('SELECT id, tags[1] AS t, max(at) AS m FROM app.roles r GROUP BY id'));
    // Two relations: qualifiers carry meaning and stay.
    expect(normViewSql('SELECT u.id FROM a.u u JOIN a.r r ON r.id = u.id')).not.toBe(normViewSql('SELECT id FROM a.u u JOIN a.r r ON id = id'));
    expect(normExpr("'happy'::app.mood")).toBe(normExpr("'happy'"));
  });

  it('drops lone qualifiers per query level: subqueries and UNION branches (Postgres 15 vs 17 prints of one view)', () => {
    const pg15 = `SELECT q.name, q.n FROM ( SELECT DISTINCT changes.name, unnest(regexp_split_to_array(changes.list::text, ','::text)) AS n FROM changes) q WHERE q.n IS NOT NULL ORDER BY q.name`;
    const pg17 = `SELECT name, n FROM ( SELECT DISTINCT changes.name, unnest(regexp_split_to_array(changes.list::text, ','::text)) AS n FROM changes) q WHERE n IS NOT NULL ORDER BY name`;
    expect(normViewSql(pg15)).toBe(normViewSql(pg17));
    expect(normViewSql('SELECT a.x FROM a UNION ALL SELECT b.y FROM b')).toBe(normViewSql('SELECT x FROM a UNION ALL SELECT y FROM b'));
    // A join inside one level still keeps its qualifiers.
    expect(normViewSql('SELECT q.id FROM (SELECT u.id FROM u JOIN r ON r.id = u.id) q')).not.toBe(normViewSql('SELECT q.id FROM (SELECT id FROM u JOIN r ON id = id) q'));
  });

  it('keys types by reference, not spelling', () => {
    const c = cat([{ name: 't', columns: { a: 'int4', b: 'integer', c: 'varchar(5)', d: 'character varying(5)', e: 'mood', f: 'mood[]' } }], { enums: [{ name: 'mood', labels: ['a'] }] });
    const [a, b, c1, d, e, f] = table(c, 't').columns.map((x) => typeKey(x.type));
    expect(a).toBe(b);
    expect(c1).toBe(d);
    expect(table(c, 't').columns[2]!.type).toEqual(table(c, 't').columns[3]!.type);
    expect(e).toBe('enum:public.mood');
    expect(f).toBe('enum:public.mood[]');
  });
});

describe('diffCatalogs', () => {
  it('finds nothing between a catalog and itself (random catalogs)', () => {
    fc.assert(
      fc.property(arbCatalog(), (c) => {
        expect(diffCatalogs(c, structuredClone(c))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic and every change names its object (random pairs)', () => {
    fc.assert(
      fc.property(arbSpecPair(), ([a, b]) => {
        const A = specToDraftCatalog(defineSpec(a));
        const B = specToDraftCatalog(defineSpec(b));
        const d1 = diffCatalogs(A, B);
        const d2 = diffCatalogs(structuredClone(A), structuredClone(B));
        expect(JSON.stringify(d2)).toBe(JSON.stringify(d1));
        for (const c of d1) expect(c.path).toBeTruthy();
        // A type change never drops or re-creates the table it is in.
        const typeChanged = new Set(d1.filter((c) => c.kind === 'alterColumnType').map((c) => c.path.split('.').slice(0, 2).join('.')));
        for (const c of d1) if (c.kind === 'dropTable' || c.kind === 'createTable') expect(typeChanged.has(c.path)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('changes a type in place, with the default restored by the same change', () => {
    const A = cat([{ name: 't', columns: { id: { type: 'int', primaryKey: true }, n: { type: 'int', default: 1 } } }]);
    const B = cat([{ name: 't', columns: { id: { type: 'int', primaryKey: true }, n: { type: 'bigint', default: 1 } } }]);
    const d = diffCatalogs(A, B);
    expect(d.map((c) => c.kind)).toEqual(['alterColumnType']);
    expect(d[0]).toMatchObject({ path: 'public.t.n', before: { type: { raw: 'integer' } }, after: { type: { raw: 'bigint' } } });
  });

  it('re-creates the views over a changed column, bases before dependants', () => {
    const mk = (type: string) =>
      specToDraftCatalog(
        defineSpec({
          schemas: [{ name: 'k', tables: [{ name: 't', columns: { id: 'int', a: type } }, { name: 'u', columns: { id: 'int' } }], views: [{ name: 'b', sql: 'SELECT v.id FROM k.v' }, { name: 'v', sql: 'SELECT t.id, t.a FROM k.t' }, { name: 'x', sql: 'SELECT id FROM k.u' }] }],
        }),
      );
    expect(diffCatalogs(mk('int'), mk('bigint')).map((c) => `${c.kind} ${c.path}`)).toEqual(['dropView k.b', 'dropView k.v', 'alterColumnType k.t.a', 'createView k.v', 'createView k.b']);
  });

  it('renames only when hinted, and only while the old name still exists', () => {
    const A = cat([{ name: 'audit_logs', columns: { id: 'int', event: 'text' } }]);
    const B = cat([{ name: 'core_audit_logs', columns: { id: 'int', action: 'text' } }]);
    expect(diffCatalogs(A, B).map((c) => c.kind)).toEqual(['dropTable', 'createTable']);
    const renames = { tables: [{ from: { schema: 'public', name: 'audit_logs' }, to: { schema: 'public', name: 'core_audit_logs' } }], columns: [{ table: { schema: 'public', name: 'core_audit_logs' }, from: 'event', to: 'action' }] };
    expect(diffCatalogs(A, B, { renames }).map((c) => c.kind)).toEqual(['renameTable', 'renameColumn']);
    // Applied already: the hint is inert.
    expect(diffCatalogs(B, B, { renames })).toEqual([]);
  });

  it('treats a constraint with a different name but the same definition as unchanged unless exactNames', () => {
    const A = cat([{ name: 't', columns: { id: 'int', a: 'int' }, uniques: [{ name: 'legacy_uq', columns: ['a'] }], checks: [{ name: 'legacy_ck', expression: 'a > 0' }] }]);
    const B = cat([{ name: 't', columns: { id: 'int', a: { type: 'int', unique: true, check: '(a > 0)' } } }]);
    expect(diffCatalogs(A, B)).toEqual([]);
    expect(diffCatalogs(A, B, { exactNames: true }).map((c) => c.kind).sort()).toEqual(['addCheck', 'addUnique', 'dropCheck', 'dropUnique']);
    // Where the target names them, they are renamed (Postgres).
    const named = cat([{ name: 't', columns: { id: 'int', a: 'int' }, uniques: [{ name: 't_a_uniq', columns: ['a'] }], checks: [{ name: 't_a_positive', expression: 'a > 0' }] }]);
    expect(diffCatalogs(A, named).map((c) => (c.kind === 'renameConstraint' ? `${c.constraintKind} ${c.from}→${c.to}` : c.kind)).sort()).toEqual(['check legacy_ck→t_a_positive', 'unique legacy_uq→t_a_uniq']);
  });

  it('creates again from the target an index or check whose expression names a column that changes type', () => {
    const mk = (type: string) => cat([{ name: 't', columns: { id: 'int', c: type, d: type }, checks: [{ name: 't_c_pos', expression: 'c + 1 > 0' }], indexes: [{ name: 't_c1', expressions: ['c + 1'] }, { name: 't_d', columns: ['d'], where: "note <> 'c'" }] }]);
    const kinds = diffCatalogs(mk('numeric'), mk('int')).map((c) => `${c.kind} ${c.path}`);
    expect(kinds).toEqual(expect.arrayContaining(['dropIndex public.t.t_c1', 'createIndex public.t.t_c1', 'dropCheck public.t.t_c_pos', 'addCheck public.t.t_c_pos']));
    // A plain column index is rebuilt right by the server; 'c' inside a string literal is no reference.
    expect(kinds.filter((k) => k.includes('t_d'))).toEqual([]);
  });

  it('renames an index whose definition is the same when the target names it, and leaves it when the name was left to plumb', () => {
    const A = cat([{ name: 't', columns: { id: 'int', a: 'int' }, indexes: [{ name: 'legacy_a', columns: ['a'], unique: true }] }]);
    const named = cat([{ name: 't', columns: { id: 'int', a: 'int' }, indexes: [{ name: 't_a_uniq', columns: ['a'], unique: true }] }]);
    const d = diffCatalogs(A, named);
    expect(d.map((c) => c.kind)).toEqual(['renameIndex']);
    expect(d[0]).toMatchObject({ from: 'legacy_a', index: { name: 't_a_uniq' } });
    expect(formatDiff(d, 'text')).toContain('rename index public.t.legacy_a → t_a_uniq');
    // The spec gave no name: any name will do.
    expect(diffCatalogs(A, cat([{ name: 't', columns: { id: 'int', a: 'int' }, indexes: [{ columns: ['a'], unique: true }] }]))).toEqual([]);
    expect(diffCatalogs(A, named, { exactNames: true }).map((c) => c.kind)).toEqual(['dropIndex', 'createIndex']);
  });

  it('renames through temporary names when one index takes the name another gives up (a chain across tables)', () => {
    const two = (x: string, y: string) => cat([{ name: 't1', columns: { a: 'int' }, indexes: [{ name: x, columns: ['a'] }] }, { name: 't2', columns: { b: 'int' }, indexes: [{ name: y, columns: ['b'] }] }]);
    const d = diffCatalogs(two('idx_x', 'idx_y'), two('idx_y', 'idx_z')).map((c) => (c.kind === 'renameIndex' ? `${c.from}→${c.index.name}` : c.kind));
    expect(d).toEqual(['idx_x→plumb_rename_0', 'idx_y→plumb_rename_1', 'plumb_rename_0→idx_y', 'plumb_rename_1→idx_z']);
    // A name something kept still holds is not taken: the index keeps its own.
    const held = (x: string) => cat([{ name: 't1', columns: { a: 'int' }, indexes: [{ name: x, columns: ['a'] }] }, { name: 'idx_y', columns: { b: 'int' } }]);
    expect(diffCatalogs(held('idx_x'), held('idx_y'))).toEqual([]);
  });

  it('adds enum labels in place and rebuilds the enum when labels go away', () => {
    const t = [{ name: 't', columns: { m: { type: 'mood', default: "'a'" } } }];
    const A = cat(t, { enums: [{ name: 'mood', labels: ['a', 'c'] }] });
    const B = cat(t, { enums: [{ name: 'mood', labels: ['a', 'b', 'c', 'd'] }] });
    expect(diffCatalogs(A, B).map((c) => (c.kind === 'addEnumValue' ? `${c.value}<${c.before ?? 'end'}` : c.kind))).toEqual(['b<c', 'd<end']);
    const C = cat(t, { enums: [{ name: 'mood', labels: ['c', 'a'] }] });
    const d = diffCatalogs(A, C);
    expect(d.map((c) => c.kind)).toEqual(['replaceEnum']);
    expect(d[0]).toMatchObject({ columns: [{ table: { schema: 'public', name: 't' }, column: 'm', default: "'a'", array: false }] });
  });

  it('leaves grants, comments and RLS alone when told to', () => {
    const A = cat([{ name: 't', columns: { id: 'int' }, grants: [{ grantee: 'r', privileges: ['SELECT'] }], rls: true }]);
    const B = cat([{ name: 't', columns: { id: { type: 'int', comment: 'x' } } }]);
    expect(diffCatalogs(A, B).map((c) => c.kind).sort()).toEqual(['disableRls', 'revoke', 'setComment']);
    expect(diffCatalogs(A, B, { grants: false, comments: false, rls: false })).toEqual([]);
  });

  it('formats text, Markdown and JSON', () => {
    const A = cat([{ name: 't', columns: { id: 'int' } }]);
    const B = cat([{ name: 't', columns: { id: 'int', n: { type: 'text', nullable: false } } }]);
    const d = diffCatalogs(A, B);
    expect(formatDiff(d, 'text')).toBe('+ add column public.t.n text not null\n\n1 change: 1 to create, 0 to alter, 0 to rename, 0 to drop');
    expect(formatDiff(d, 'md')).toContain('| + | `addColumn` | `public.t.n` |');
    expect(JSON.parse(formatDiff(d, 'json'))).toMatchObject({ drift: true, changes: 1, items: [{ kind: 'addColumn', path: 'public.t.n' }] });
    expect(formatDiff([], 'text')).toContain('no drift');
  });
});
