// Regression fixtures for the false alarms measured on real schemas (issue
// #20): each class planted in its own schema on a real engine, asserting the
// rule stays silent there — and, beside it, a near-identical defect it must
// still report, so a fix that silences the rule altogether fails too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { inspect } from '../../src/inspect.js';
import type { AuditResult, Finding } from '../../src/audit/types.js';
import { freshDatabase, pgEngines, type FreshDb } from '../helpers/engines.js';
import { freshSqlite, type FreshSqlite } from '../helpers/sqlite.js';
import { freshMysql, mysqlServer, type FreshMysql } from '../helpers/mysql.js';

const pglite = pgEngines().find((e) => e.kind === 'pglite')!;

const CASES: Record<string, string> = {
  // Inheritance: children carry the parent's key; a PK or FK on them is wrong.
  fp_inherit: `
    CREATE TABLE items (item_id bigserial PRIMARY KEY, title text NOT NULL);
    CREATE TABLE books (isbn text NOT NULL) INHERITS (items);
    CREATE TABLE films (minutes int NOT NULL) INHERITS (items);
    INSERT INTO books (title, isbn) VALUES ('Dune', '978-0441013593');
    INSERT INTO films (title, minutes) VALUES ('Alien', 117);
    CREATE TABLE loose_rows (note text NOT NULL);`,
  // A partial index that leaves out only NULL references covers the FK.
  fp_partial_fk: `
    CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, full_name text NOT NULL);
    CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint REFERENCES authors (id), deleted_at timestamptz, title text NOT NULL);
    CREATE INDEX books_author_id_idx ON books (author_id) WHERE author_id IS NOT NULL;
    CREATE TABLE reviews (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint REFERENCES authors (id), deleted_at timestamptz);
    CREATE INDEX reviews_live_author_idx ON reviews (author_id) WHERE deleted_at IS NULL;`,
  // `key` and `value` are unreserved in Postgres (pg_get_keywords: U).
  fp_keywords: `
    CREATE TABLE app_settings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL UNIQUE, value text, name text);
    CREATE TABLE bad_names (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "order" int NOT NULL);`,
  // Digest-named secret columns hold hashes.
  fp_hashes: `
    CREATE TABLE api_tokens (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, token_sha256 text NOT NULL, api_key_md5 text, secret_blake2b text);
    CREATE TABLE api_tokens_clear (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, token text NOT NULL);`,
  // Monitoring history pruned by retention (icinga, ambari) and reviews called audits (bikeindex) are not
  // audit logs; tables named as one, carrying a hash chain, or recording who did what when are.
  fp_audit_names: `
    CREATE TABLE notification (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE notification_history (id bigint PRIMARY KEY, notification_id bigint REFERENCES notification (id) ON DELETE CASCADE, type text NOT NULL, send_time bigint NOT NULL, author text, text text);
    CREATE TABLE user_notification_history (id bigint PRIMARY KEY, notification_history_id bigint NOT NULL REFERENCES notification_history (id) ON DELETE CASCADE, user_id bigint NOT NULL);
    CREATE INDEX ON notification_history (notification_id);
    CREATE INDEX ON user_notification_history (notification_history_id);
    CREATE TABLE acknowledgement_history (id bigint PRIMARY KEY, set_time bigint NOT NULL, author text NOT NULL, cleared_by text, comment text);
    CREATE TABLE ambari_operation_history (id bigint PRIMARY KEY, from_version text, to_version text, start_time bigint, end_time bigint, operation_type text, comments text);
    CREATE TABLE model_audits (id bigint PRIMARY KEY, frame_model text, certification_status int, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    CREATE TABLE audit_logs (id bigint PRIMARY KEY, user_id bigint, action text NOT NULL, params jsonb, inserted_at timestamp NOT NULL);
    CREATE TABLE audit_log (id uuid PRIMARY KEY, user_id uuid, action text NOT NULL, target_type text, target_id uuid, inserted_at timestamp NOT NULL);
    CREATE TABLE price_history (id bigint PRIMARY KEY, changed_by text NOT NULL, operation text NOT NULL, changed_at timestamptz NOT NULL);
    CREATE TABLE ledger_entries (seq bigint PRIMARY KEY, previous_hash text, row_hash text NOT NULL);
    CREATE TABLE members (id bigint PRIMARY KEY);
    CREATE TABLE member_audit_trail (id bigint PRIMARY KEY, member_id bigint REFERENCES members (id) ON DELETE CASCADE, action text NOT NULL);
    CREATE INDEX ON member_audit_trail (member_id);`,
  // A column naming the header a key is sent in (hatchet) describes a secret; the key itself is one.
  fp_secret_descriptors: `
    CREATE TABLE incoming_webhooks (id bigint PRIMARY KEY, auth__api_key__header_name text, auth__hmac__signature_header_name text, token_type text, password_hint text, auth__api_key__key text);`,
  // Password flags (cacti's user_auth: 'on' or ''): neither a secret's name nor room for one.
  fp_password_flags: `
    CREATE TABLE user_auth (id int PRIMARY KEY, must_change_password char(2), password_change char(2), is_password_set varchar(8), password varchar(256));`,
  // Settings whose values are mostly plain text, a few JSON and some `[surname]` name templates
  // (GibbonEdu's gibbonSetting.value) are not a JSON column; a column whose values are mostly JSON,
  // or whose comment says it holds JSON, still reports its broken values.
  fp_json_templates: `
    CREATE TABLE app_setting (id int PRIMARY KEY, scope text NOT NULL, name text NOT NULL, value text);
    INSERT INTO app_setting SELECT g, 'System', 'setting' || g, 'Y' FROM generate_series(1, 300) g;
    INSERT INTO app_setting VALUES (301, 'Application Form', 'usernameFormat', '[preferredNameInitial][surname]'),
      (302, 'Staff', 'staffUsernameFormat', '[preferredNameInitial].[surname]'), (303, 'System', 'nameFormatStaffFormal', '[title] [preferredName:1]. [surname]'),
      (304, 'System', 'nameFormatStaffInformal', '[preferredName] [surname]'), (305, 'System Admin', 'ssoGoogle', '{"enabled":"N"}'),
      (306, 'System Admin', 'ssoMicrosoft', '{"enabled":"N"}');
    CREATE TABLE tickets (id int PRIMARY KEY, extra text, body text);
    COMMENT ON COLUMN tickets.body IS 'JSON document sent by the mobile app';
    INSERT INTO tickets SELECT g, CASE WHEN g = 5 THEN '[1, 2' WHEN g % 4 <> 0 THEN '{"sla": 4}' END, CASE WHEN g = 7 THEN 'v2 body' ELSE '{}' END FROM generate_series(1, 40) g;`,
  // `gauges.gauge_id` is the row's own (external) id, not a reference to gauges.
  fp_self_name: `
    CREATE TABLE gauges (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, gauge_id bigint NOT NULL UNIQUE, companion_gauge_id bigint);`,
};

function of(res: AuditResult, rule: string, schema: string): Finding[] {
  return res.findings.filter((f) => f.rule === rule && (f.path === schema || f.path.startsWith(`${schema}.`)));
}

describe('false-positive regressions (pglite)', () => {
  let db: FreshDb;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshDatabase(pglite);
    for (const [schema, sql] of Object.entries(CASES)) await db.conn.exec(`CREATE SCHEMA ${schema}; SET search_path = ${schema}; ${sql}; RESET search_path;`);
    res = await audit(db.conn, { inspect: { schemas: Object.keys(CASES) } });
  });
  afterAll(async () => db?.dispose());

  it('inheritance children: no "no primary key", no implied FK or orphans to their own ancestor', async () => {
    const paths = (rule: string) => of(res, rule, 'fp_inherit').map((f) => f.path);
    expect(paths('table-without-primary-key')).toEqual(['fp_inherit.loose_rows']);
    expect(paths('missing-foreign-key')).toEqual([]);
    expect(paths('implied-foreign-key-orphans')).toEqual([]);
    const cat = await inspect(db.conn, { schemas: ['fp_inherit'] });
    const table = (n: string) => cat.schemas[0]!.tables.find((t) => t.name === n)!;
    expect([table('books').inherits, table('films').inherits, table('items').inherits]).toEqual([['fp_inherit.items'], ['fp_inherit.items'], undefined]);
  });

  it('a partial index WHERE fk IS NOT NULL covers the foreign key; WHERE deleted_at IS NULL does not', () => {
    expect(of(res, 'foreign-key-without-index', 'fp_partial_fk').map((f) => f.path)).toEqual([expect.stringContaining('fp_partial_fk.reviews.')]);
  });

  it('reserved words come from the server: key/value/name are not reported, "order" is', () => {
    expect(of(res, 'reserved-word-identifier', 'fp_keywords').map((f) => f.path)).toEqual(['fp_keywords.bad_names.order']);
  });

  it('*_sha256 / *_md5 / *_blake2b columns are hashes, not secrets in clear', () => {
    expect(of(res, 'secret-column-in-clear', 'fp_hashes').map((f) => f.path)).toEqual(['fp_hashes.api_tokens_clear.token']);
  });

  it('audit logs need evidence: monitoring history and model reviews are not, named/chained/who-what-when tables are', () => {
    expect(of(res, 'audit-log-mutable', 'fp_audit_names').map((f) => f.path)).toEqual(
      ['audit_log', 'audit_logs', 'ledger_entries', 'member_audit_trail', 'price_history'].map((t) => `fp_audit_names.${t}`),
    );
    expect(of(res, 'audit-log-cascade-delete', 'fp_audit_names').map((f) => f.path)).toEqual([expect.stringMatching(/^fp_audit_names\.member_audit_trail\./)]);
  });

  it('columns that name or type a secret (header name, token type, hint) are not secrets in clear; the key column is', () => {
    expect(of(res, 'secret-column-in-clear', 'fp_secret_descriptors').map((f) => f.path)).toEqual(['fp_secret_descriptors.incoming_webhooks.auth__api_key__key']);
  });

  it('password flags (must_change_password char(2), password_change) are not secrets in clear; the password column is', () => {
    expect(of(res, 'secret-column-in-clear', 'fp_password_flags').map((f) => f.path)).toEqual(['fp_password_flags.user_auth.password']);
  });

  it('text opening with [ is not JSON evidence: name templates among plain settings are not invalid JSON; mostly-JSON and JSON-commented columns are', async () => {
    const json = (r: AuditResult) => of(r, 'invalid-json-text', 'fp_json_templates').map((f) => `${f.path} ${f.evidence?.reason}`);
    const expected = ['fp_json_templates.tickets.body column commented as JSON', 'fp_json_templates.tickets.extra column holds JSON values'];
    expect(json(res)).toEqual(expected);
    expect(json(await audit(db.conn, { inspect: { schemas: ['fp_json_templates'] }, only: ['invalid-json-text'], data: 'full' }))).toEqual(expected);
  });

  it('a column named after its own table is not a reference to it', () => {
    expect(of(res, 'missing-foreign-key', 'fp_self_name').map((f) => f.path)).toEqual(['fp_self_name.gauges.companion_gauge_id']);
  });
});

describe('unused-index never asks to drop the index a foreign key needs (pglite)', () => {
  let db: FreshDb;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshDatabase(pglite);
    await db.conn.exec(`
      CREATE TABLE queues (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code text NOT NULL);
      CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, queue_id bigint NOT NULL REFERENCES queues (id), label text NOT NULL);
      CREATE INDEX tickets_queue_id_idx ON tickets (queue_id);
      CREATE INDEX tickets_label_idx ON tickets (label);
      INSERT INTO queues (code) SELECT 'q' || g FROM generate_series(1, 10) g;
      INSERT INTO tickets (queue_id, label) SELECT 1 + g % 10, 'l' || g FROM generate_series(1, 200) g;
      DO $$ BEGIN FOR i IN 1..1100 LOOP PERFORM 1 FROM tickets WHERE id = i; END LOOP; END $$;
      SELECT pg_stat_force_next_flush();`);
    res = await audit(db.conn, { only: ['unused-index', 'foreign-key-without-index'] });
  });
  afterAll(async () => db?.dispose());

  it('reports the unused label index, keeps the only index covering the FK, and the two rules agree', () => {
    expect(res.findings.filter((f) => f.rule === 'unused-index').map((f) => f.path)).toEqual(['public.tickets.tickets_label_idx']);
    expect(res.findings.filter((f) => f.rule === 'foreign-key-without-index')).toEqual([]);
  });
});

describe('RBAC tables on a schema-only database (pglite)', () => {
  const RBAC = `
    CREATE TABLE roles (id int PRIMARY KEY, name varchar(50) NOT NULL UNIQUE);
    CREATE TABLE permissions (id int PRIMARY KEY, code varchar(50) NOT NULL UNIQUE);
    CREATE TABLE role_permissions (role_id int NOT NULL REFERENCES roles (id), permission_id int NOT NULL REFERENCES permissions (id), PRIMARY KEY (role_id, permission_id));
    CREATE TABLE users (id int PRIMARY KEY, role_id int REFERENCES roles (id));
    CREATE TABLE gauges (id int PRIMARY KEY, serial_no text NOT NULL);`;
  let empty: FreshDb;
  let loaded: FreshDb;
  let emptyRes: AuditResult;
  let loadedRes: AuditResult;

  beforeAll(async () => {
    [empty, loaded] = await Promise.all([freshDatabase(pglite), freshDatabase(pglite)]);
    await empty.conn.exec(RBAC);
    await loaded.conn.exec(RBAC + `INSERT INTO gauges VALUES (1, 'G-1');`);
    emptyRes = await audit(empty.conn, { only: ['rbac-tables-empty', 'no-admin-user'] });
    loadedRes = await audit(loaded.conn, { only: ['rbac-tables-empty', 'no-admin-user'] });
  });
  afterAll(async () => {
    await empty?.dispose();
    await loaded?.dispose();
  });

  it('no data anywhere: the empty RBAC tables and the missing admin are info, not error', () => {
    expect(emptyRes.findings.map((f) => [f.rule, f.severity])).toEqual([...Array(3).fill(['rbac-tables-empty', 'info']), ['no-admin-user', 'info']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });

  it('a database with data and empty RBAC tables still gets the errors', () => {
    expect(loadedRes.findings.map((f) => [f.rule, f.severity])).toEqual([['no-admin-user', 'error'], ...Array(3).fill(['rbac-tables-empty', 'error'])]);
  });
});

describe('SQLite: ISO-8601 text dates are not mixed storage; partial FK indexes count', () => {
  let db: FreshSqlite;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshSqlite();
    await db.conn.exec(`
      CREATE TABLE events (id INTEGER PRIMARY KEY, happened_at DATETIME NOT NULL, day DATE, at_time TIME);
      INSERT INTO events (happened_at, day, at_time) VALUES ('2024-03-01 10:00:00', '2024-03-01', '10:00'), ('2024-03-02T11:30:00Z', '2024-03-02', '11:30:15');
      CREATE TABLE epochs (id INTEGER PRIMARY KEY, created_at TIMESTAMP);
      INSERT INTO epochs (created_at) VALUES (1709287200), (2460371.5);
      CREATE TABLE muddled (id INTEGER PRIMARY KEY, created_at DATETIME, due DATE);
      INSERT INTO muddled (created_at, due) VALUES ('2024-03-01 10:00:00', 'next tuesday'), (1709287200, '2024-03-05');
      CREATE TABLE authors (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL);
      CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT NOT NULL);
      CREATE INDEX books_author_id_idx ON books (author_id) WHERE author_id IS NOT NULL;`);
    res = await audit(db.conn, { only: ['sqlite-mixed-storage-types', 'foreign-key-without-index'] });
  });
  afterAll(async () => db?.dispose());

  it('reports only the column mixing text dates with numbers and the unreadable date text', () => {
    expect(res.findings.filter((f) => f.rule === 'sqlite-mixed-storage-types').map((f) => f.path).sort()).toEqual(['main.muddled.created_at', 'main.muddled.due']);
  });

  it('a partial index WHERE fk IS NOT NULL covers the foreign key on SQLite too', () => {
    expect(res.findings.filter((f) => f.rule === 'foreign-key-without-index')).toEqual([]);
  });
});

describe.runIf(mysqlServer())('utf8mb3: one finding per cause, listing the objects (mariadb)', () => {
  let db: FreshMysql;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshMysql();
    await db.conn.exec(`ALTER DATABASE \`${db.name}\` CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci`);
    await db.conn.exec(`CREATE TABLE a (id INT PRIMARY KEY, name VARCHAR(50))`);
    await db.conn.exec(`CREATE TABLE b (id INT PRIMARY KEY, name VARCHAR(50), note TEXT)`);
    await db.conn.exec(`CREATE TABLE c (id INT PRIMARY KEY, name VARCHAR(50))`);
    await db.conn.exec(`CREATE TABLE d (id INT PRIMARY KEY, name VARCHAR(50)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    res = await audit(db.conn, { only: ['mysql-non-utf8mb4'] });
  });
  afterAll(async () => db?.dispose());

  it('the schema default is one finding naming the three tables it caused; the fix converts them and the default', async () => {
    const fs = res.findings.filter((f) => f.path === db.name || f.path.startsWith(db.name + '.'));
    expect(fs.length).toBe(1);
    expect(fs[0]!.path).toBe(db.name);
    expect(fs[0]!.evidence).toMatchObject({ cause: 'schema-default', tables: [`${db.name}.a`, `${db.name}.b`, `${db.name}.c`] });
    for (const stmt of fs[0]!.fix!.split('\n')) await db.conn.exec(stmt);
    const after = await audit(db.conn, { only: ['mysql-non-utf8mb4'] });
    expect(after.findings.filter((f) => f.path === db.name || f.path.startsWith(db.name + '.'))).toEqual([]);
  });
});

describe.runIf(mysqlServer())('utf8mb3/latin1 by table and by column: one finding per cause (mariadb)', () => {
  let db: FreshMysql;
  let res: AuditResult;

  beforeAll(async () => {
    db = await freshMysql();
    await db.conn.exec(`CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(50)) DEFAULT CHARSET=latin1`);
    await db.conn.exec(`CREATE TABLE q (id INT PRIMARY KEY, name VARCHAR(50)) DEFAULT CHARSET=latin1`);
    await db.conn.exec(`CREATE TABLE r (id INT PRIMARY KEY, code VARCHAR(10) CHARACTER SET utf8mb3, note TEXT CHARACTER SET utf8mb3)`);
    await db.conn.exec(`CREATE TABLE s (id INT PRIMARY KEY, code VARCHAR(10) CHARACTER SET utf8mb3)`);
    res = await audit(db.conn, { only: ['mysql-non-utf8mb4'] });
  });
  afterAll(async () => db?.dispose());

  it('two tables sharing latin1 make one finding; four utf8mb3 columns make one', () => {
    const fs = res.findings.filter((f) => f.path === db.name || f.path.startsWith(db.name + '.'));
    expect(fs.map((f) => f.evidence?.cause).sort()).toEqual(['column-charset', 'table-charset']);
    const byCause = (c: string) => fs.find((f) => f.evidence?.cause === c)!;
    expect(byCause('table-charset').evidence).toMatchObject({ charset: 'latin1', tables: [`${db.name}.p`, `${db.name}.q`] });
    expect(byCause('column-charset').evidence).toMatchObject({ charset: 'utf8mb3', columns: [`${db.name}.r.code`, `${db.name}.r.note`, `${db.name}.s.code`] });
  });
});
