// The spec's forms and their validation: YAML with includes, the TypeScript
// builder, JSON, errors with a path and a hint. Pure: no database here.
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineSpec } from '../../src/spec/define-spec.js';
import { loadSpec, parseSpecText } from '../../src/spec/load.js';
import { parseSpec } from '../../src/spec/normalize-spec.js';
import { renameHintsFromSpec, diffOptionsFromSpec } from '../../src/spec/spec-diff-options.js';
import { specToDraftCatalog } from '../../src/spec/spec-draft-catalog.js';
import type { Spec } from '../../src/spec/types.js';
import { PlumbError } from '../../src/errors.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const withoutSources = (s: Spec) => ({ ...s, sources: [], include: [] });

function specError(fn: () => unknown): PlumbError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlumbError);
    return e as PlumbError;
  }
  throw new Error('expected a spec error');
}

describe('spec loading', () => {
  it('YAML with an include equals the same spec written with defineSpec', async () => {
    const yaml = await loadSpec(join(fixtures, 'core.yaml'));
    const ts = await loadSpec(join(fixtures, 'core.mjs'));
    expect(yaml.include).toEqual(['gauges.yaml']);
    expect(yaml.sources.map((s) => s.split('/').pop())).toEqual(['core.yaml', 'gauges.yaml']);
    expect(withoutSources(ts)).toEqual(withoutSources(yaml));
    // defineSpec in memory gives the same data as the file.
    const mod = (await import(pathToFileURL(join(fixtures, 'core.mjs')).href)) as { default: Spec };
    expect(withoutSources(mod.default)).toEqual(withoutSources(yaml));
  });

  it('expands shorthands into named constraints the way Postgres names them', async () => {
    const spec = await loadSpec(join(fixtures, 'core.yaml'));
    const pub = spec.schemas.find((s) => s.name === 'public')!;
    const roles = pub.tables.find((t) => t.name === 'core_roles')!;
    expect(roles.primaryKey).toEqual({ name: 'core_roles_pkey', columns: ['id'] });
    expect(roles.uniques.map((u) => u.name)).toEqual(['core_roles_name_key']);
    expect(roles.columns.find((c) => c.name === 'id')).toMatchObject({ identity: 'by default', nullable: false });
    const rp = pub.tables.find((t) => t.name === 'core_role_permissions')!;
    expect(rp.foreignKeys).toMatchObject([
      { name: 'core_role_permissions_role_id_fkey', columns: ['role_id'], references: { schema: 'public', table: 'core_roles', columns: null }, onDelete: 'cascade' },
      { name: 'core_role_permissions_permission_id_fkey', references: { table: 'core_permissions', columns: ['id'] } },
    ]);
    const logs = pub.tables.find((t) => t.name === 'core_audit_logs')!;
    expect(logs.checks.map((c) => c.name)).toEqual(['core_audit_logs_check']);
    expect(logs.indexes.map((i) => i.name)).toEqual(['core_audit_logs_at_idx', 'core_audit_logs_expr_idx']);
    // The draft catalog resolves the FK's target columns from the referenced primary key.
    const draft = specToDraftCatalog(spec);
    const fk = draft.schemas[0]!.tables.find((t) => t.name === 'core_role_permissions')!.foreignKeys.find((f) => f.columns[0] === 'role_id')!;
    expect(fk.references.columns).toEqual(['id']);
  });

  it('keeps seed rows, natural keys, $ref values and verify checks for the apply side', async () => {
    const spec = await loadSpec(join(fixtures, 'core.yaml'));
    expect(spec.seed.map((s) => `${s.schema}.${s.table}:${s.key.join(',')}`)).toEqual(['public.core_roles:name', 'public.core_role_permissions:role_id,permission_id']);
    expect(spec.seed[1]!.rows[0]).toEqual({ role_id: { $ref: 'core_roles', key: { name: 'admin' } }, permission_id: { $ref: 'core_permissions', key: { code: 'gauge.view' } } });
    expect(spec.verify).toEqual([
      { kind: 'query', name: 'four roles', sql: 'select count(*) from core_roles', expect: 4 },
      { kind: 'query', name: 'no orphan mappings', sql: expect.stringContaining('left join'), expect: 'empty' },
      { kind: 'reject', name: 'role name unique', reject: "insert into core_roles (name) values ('admin')", errorClass: 'unique_violation' },
    ]);
  });

  it('a .sql file that grants manages grants, unless a YAML spec including it says otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plumb-sql-grants-'));
    await writeFile(join(dir, 'schema.sql'), 'CREATE TABLE t (id int);\n\nGRANT SELECT ON TABLE t TO reader;\n');
    await writeFile(join(dir, 'plain.sql'), 'CREATE TABLE u (id int);\n');
    await writeFile(join(dir, 'wrapper.yaml'), 'include: [schema.sql]\nmanage: { grants: false }\n');
    await writeFile(join(dir, 'mysql.sql'), "CREATE TABLE v (id int);\nGRANT SELECT ON shop.v TO 'reader'@'%';\n");
    expect((await loadSpec(join(dir, 'mysql.sql'))).manage.grants).toBe(false);
    expect((await loadSpec(join(dir, 'schema.sql'))).manage.grants).toBe(true);
    expect((await loadSpec(join(dir, 'plain.sql'))).manage.grants).toBe(false);
    expect((await loadSpec(join(dir, 'wrapper.yaml'))).manage.grants).toBe(false);
  });

  it('turns renamedFrom into rename hints (declared, never guessed)', async () => {
    const spec = await loadSpec(join(fixtures, 'core.yaml'));
    const h = renameHintsFromSpec(spec);
    expect(h.tables).toEqual([{ from: { schema: 'public', name: 'audit_logs' }, to: { schema: 'public', name: 'core_audit_logs' } }]);
    expect(h.columns).toEqual([{ table: { schema: 'public', name: 'core_audit_logs' }, from: 'event', to: 'action' }]);
    expect(diffOptionsFromSpec(spec)).toMatchObject({ grants: false, comments: true });
  });

  it('reads JSON and nested schemas', () => {
    const spec = parseSpecText(JSON.stringify({ schemas: [{ name: 'billing', tables: [{ name: 'invoice', columns: { id: 'bigserial' } }] }, 'empty'] }), 'spec.json');
    expect(spec.schemas.map((s) => s.name)).toEqual(['billing', 'empty']);
    expect(spec.schemas[0]!.tables[0]!.schema).toBe('billing');
  });

  it('loads a plain .mjs module exporting spec input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plumb-spec-'));
    await writeFile(join(dir, 'spec.mjs'), "export default { tables: [{ name: 't', columns: { id: 'int' } }] };\n");
    const spec = await loadSpec(join(dir, 'spec.mjs'));
    expect(spec.schemas[0]!.tables[0]!.columns[0]).toMatchObject({ name: 'id', type: 'int', nullable: true });
  });
});

describe('DBML specs', () => {
  it('loads a .dbml file as a spec (tables, references, notes)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plumb-dbml-'));
    const file = join(dir, 'design.dbml');
    await writeFile(file, `Table users {\n  id int [pk]\n  email varchar(255) [not null, unique]\n}\nTable posts {\n  id int [pk]\n  user_id int [ref: > users.id, not null]\n  Note: 'one post'\n}\n`);
    const spec = await loadSpec(file);
    const tables = spec.schemas.flatMap((s) => s.tables);
    expect(tables.map((t) => t.name).sort()).toEqual(['posts', 'users']);
    const posts = tables.find((t) => t.name === 'posts')!;
    expect(posts.foreignKeys.map((f) => [f.columns, f.references.table, f.references.columns])).toEqual([[['user_id'], 'users', ['id']]]);
    expect(posts.comment).toBe('one post');
  });
});

describe('column references', () => {
  it('reads `a.b` as table.column, unless no table `a` is beside it and schema `a` declares table `b`', () => {
    const s = parseSpecText(`
version: 1
schemas:
  - name: app
    tables:
      - { name: core_roles, columns: [{ name: id, type: int, primaryKey: true }] }
  - name: public
    tables:
      - name: users
        columns:
          - { name: id, type: int, primaryKey: true }
          - { name: role_id, type: int, references: app.core_roles }
          - { name: boss_id, type: int, references: users.id }
          - { name: other_id, type: int, references: app.core_roles.id }
`);
    const refs = s.schemas.find((x) => x.name === 'public')!.tables[0]!.foreignKeys.map((f) => f.references);
    expect(refs).toEqual([
      { schema: 'app', table: 'core_roles', columns: null },
      { schema: 'public', table: 'users', columns: ['id'] },
      { schema: 'app', table: 'core_roles', columns: ['id'] },
    ]);
  });
});

describe('spec validation errors', () => {
  it('names the path of a bad value', () => {
    const e = specError(() => parseSpec({ tables: [{ name: 'a', columns: [{ name: 'id', type: '' }] }] }, 'x.yaml'));
    expect(e.code).toBe('E_SPEC');
    expect(e.message).toContain('tables[0].columns[0].type');
    expect(e.message).toContain('a column needs a type');
    expect(e.hint).toContain('plumb pull');
  });

  it('suggests the key a typo meant', () => {
    const e = specError(() => parseSpec({ tables: [{ name: 'a', colums: { id: 'int' } }] }));
    expect(e.message).toMatch(/unknown key `colums` \(did you mean `columns`\?\)/);
  });

  it('reports a bad expect in verify', () => {
    const e = specError(() => parseSpec({ verify: [{ name: 'x', sql: 'select 1', expect: 'lots' }] }));
    expect(e.message).toContain('verify[0]');
  });

  it('reports references to undeclared tables, and YAML syntax with line numbers', () => {
    const e = specError(() => parseSpec({ tables: [{ name: 't', columns: { id: 'int' } }], policies: [{ name: 'p', table: 'nope' }] }));
    expect(e.message).toContain('policies: p: table nope is not declared');
    const y = specError(() => parseSpecText('tables:\n  - name: t\n   columns: [', 'bad.yaml'));
    expect(y.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('refuses a primary key declared twice', () => {
    const e = specError(() => defineSpec({ tables: [{ name: 't', primaryKey: ['id'], columns: { id: { type: 'int', primaryKey: true } } }] }));
    expect(e.message).toContain('primary key declared both');
  });

  it('reports an include cycle and a missing include', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plumb-spec-'));
    await writeFile(join(dir, 'a.yaml'), 'include: [b.yaml]\n');
    await writeFile(join(dir, 'b.yaml'), 'include: [a.yaml]\n');
    await writeFile(join(dir, 'c.yaml'), 'include: [missing.yaml]\n');
    await expect(loadSpec(join(dir, 'a.yaml'))).rejects.toThrow(/include cycle: a\.yaml → b\.yaml → a\.yaml/);
    await expect(loadSpec(join(dir, 'c.yaml'))).rejects.toMatchObject({ code: 'E_IO', hint: expect.stringContaining('included from') });
  });
});
