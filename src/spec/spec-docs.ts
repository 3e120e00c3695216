// The spec format as documents, generated from the one zod schema
// (src/spec/types.ts) so they cannot drift from it: a JSON Schema editors use
// for completion and validation of YAML/JSON specs, and docs/spec.md with the
// fields and an example per object kind. Pure: returns text, writes nothing.
import { z } from 'zod';
import { parse } from 'yaml';
import { specInputSchema } from './types.js';

/** Where the schema is published in the package (docs/ is shipped). */
export const SPEC_SCHEMA_FILE = 'docs/plumb.schema.json';

type Json = { [k: string]: unknown };

/** The JSON Schema (draft-07, what editors' YAML and JSON support reads best) of a YAML/JSON spec. */
export function specJsonSchema(): Json {
  const schema = z.toJSONSchema(specInputSchema, { target: 'draft-7', unrepresentable: 'any', io: 'input', reused: 'ref' }) as Json;
  return {
    $schema: schema.$schema,
    $id: 'https://plumb.dev/plumb.schema.json',
    title: 'plumb spec',
    description: 'The desired state of a database for plumb (diff, plan, apply, seed, verify). Generated from src/spec/types.ts by `plumb spec schema`.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function specJsonSchemaText(): string {
  return JSON.stringify(specJsonSchema(), null, 2) + '\n';
}

/** One example per object kind: each is a whole spec, checked against the schema by the tests. */
export const SPEC_EXAMPLES: { key: string; title: string; about: string; yaml: string }[] = [
  {
    key: 'tables',
    title: 'Tables',
    about: 'Columns as a list (or a map `name: type`), with shorthands for keys; table-level keys, checks, indexes, triggers, policies and grants.',
    yaml: `tables:
  - name: users
    comment: People who sign in
    columns:
      - { name: id, type: bigint, identity: by default, primaryKey: true }
      - { name: email, type: varchar(255), nullable: false, unique: true }
      - { name: team_id, type: bigint, references: teams.id }
      - { name: created_at, type: timestamptz, nullable: false, default: now() }
    checks:
      - { name: users_email_has_at, expression: "position('@' in email) > 1" }
    indexes:
      - { name: users_team_idx, columns: [team_id] }
  - name: teams
    renamedFrom: groups
    columns:
      id: { type: bigint, primaryKey: true }
      name: text
`,
  },
  {
    key: 'views',
    title: 'Views',
    about: 'The SELECT without `CREATE VIEW`; `materialized: true` for a materialized view (with its indexes).',
    yaml: `views:
  - name: active_users
    sql: SELECT id, email FROM users WHERE email IS NOT NULL
`,
  },
  {
    key: 'enums',
    title: 'Enums',
    about: 'Labels in order; `renamedLabels` declares a label rename (`{ new: old }`).',
    yaml: `enums:
  - name: order_status
    labels: [pending, paid, shipped]
`,
  },
  {
    key: 'domains',
    title: 'Domains',
    about: 'A named type with constraints.',
    yaml: `domains:
  - name: year
    type: integer
    checks: ["VALUE >= 1901 AND VALUE <= 2155"]
`,
  },
  {
    key: 'compositeTypes',
    title: 'Composite and range types',
    about: '`attributes` for a composite type, `range` for a range type (exactly one).',
    yaml: `compositeTypes:
  - name: money_amount
    attributes:
      - { name: amount, type: "numeric(12,2)" }
      - { name: currency, type: char(3) }
`,
  },
  {
    key: 'sequences',
    title: 'Sequences',
    about: 'Free-standing sequences (identity columns need none).',
    yaml: `sequences:
  - name: invoice_number
    type: bigint
    start: 1000
`,
  },
  {
    key: 'routines',
    title: 'Functions and procedures',
    about: 'The body is what goes between the dollar quotes.',
    yaml: `routines:
  - name: touch_updated_at
    returns: trigger
    language: plpgsql
    body: |
      BEGIN NEW.updated_at := now(); RETURN NEW; END
`,
  },
  {
    key: 'triggers',
    title: 'Triggers',
    about: 'Beside the tables (with `table`) or inside a table under `triggers`.',
    yaml: `triggers:
  - name: users_touch
    table: users
    timing: before
    events: [update]
    function: touch_updated_at
`,
  },
  {
    key: 'policies',
    title: 'Row-level security policies',
    about: 'Beside the tables (with `table`) or inside a table under `policies`; turn RLS on with the table\'s `rls: true`.',
    yaml: `policies:
  - name: users_read_own
    table: users
    command: select
    using: id = current_setting('app.user_id')::bigint
`,
  },
  {
    key: 'events',
    title: 'Scheduled events (MySQL)',
    about: 'A schedule and the statement it runs.',
    yaml: `events:
  - name: purge_sessions
    schedule: EVERY 1 HOUR
    definition: DELETE FROM sessions WHERE expires_at < NOW()
`,
  },
  {
    key: 'collations',
    title: 'Collations (Postgres)',
    about: 'An ICU collation (the default provider) or a libc one; `deterministic: false` compares equal what the locale calls equal (case-insensitive text).',
    yaml: `collations:
  - name: case_insensitive
    locale: und-u-ks-level2
    deterministic: false
tables:
  - name: tags
    columns:
      - { name: id, type: bigint, primaryKey: true }
      - { name: label, type: text, collation: case_insensitive }
`,
  },
  {
    key: 'rules',
    title: 'Rewrite rules (Postgres)',
    about: 'The table (or view) a rule is on, and its whole CREATE RULE statement, as `pg_get_ruledef` prints it (what `plumb pull` writes).',
    yaml: `rules:
  - name: accounts_no_delete
    table: accounts
    definition: CREATE RULE accounts_no_delete AS ON DELETE TO public.accounts DO INSTEAD UPDATE public.accounts SET closed = true WHERE accounts.id = old.id
    comment: accounts are closed, never deleted
`,
  },
  {
    key: 'schemas',
    title: 'Schemas',
    about: 'A name, or a schema with its own objects (objects elsewhere land in `defaultSchema`, `public` unless set).',
    yaml: `schemas:
  - audit
  - name: billing
    tables:
      - name: invoices
        columns:
          - { name: id, type: bigint, primaryKey: true }
`,
  },
  {
    key: 'extensions',
    title: 'Extensions',
    about: 'Postgres extensions the spec needs.',
    yaml: `extensions:
  - pgcrypto
  - { name: citext, schema: public }
`,
  },
  {
    key: 'comments',
    title: 'Comments',
    about: 'Kept apart from the objects, by path.',
    yaml: `comments:
  public.users.email: Where sign-in links are sent
`,
  },
  {
    key: 'grants',
    title: 'Grants',
    about: 'Kept apart from the objects: `on` is a table or view.',
    yaml: `grants:
  - { on: users, grantee: app_reader, privileges: [select] }
`,
  },
  {
    key: 'seed',
    title: 'Seed data',
    about: 'Rows found again by their natural key, so seeding twice changes nothing; `$ref` resolves another seeded row.',
    yaml: `seed:
  - table: roles
    key: [name]
    rows:
      - { name: admin }
      - { name: viewer }
  - table: role_grants
    key: [role_id, permission]
    rows:
      - { role_id: { $ref: roles, key: { name: admin } }, permission: "*" }
`,
  },
  {
    key: 'verify',
    title: 'Verification checks',
    about: 'A query with an expected result, or a statement that must be rejected.',
    yaml: `verify:
  - { name: an admin exists, sql: "SELECT count(*) FROM roles WHERE name = 'admin'", expect: 1 }
  - { name: emails are unique, reject: "INSERT INTO users (email) SELECT email FROM users LIMIT 1" }
`,
  },
  {
    key: 'manage',
    title: 'What the diff manages',
    about: 'Beyond structure: grants, comments, row-level security.',
    yaml: `manage:
  grants: false
  comments: true
`,
  },
];

/** Follows a `$ref` into the schema's definitions (reused parts are defined once). */
function deref(node: unknown, root: Json): Json | undefined {
  let n = node as Json | undefined;
  // A reused part is a `$ref`; `.optional()` around one comes out as `allOf: [{ $ref }]`.
  for (let i = 0; n && i < 20; i++) {
    if (Array.isArray(n.allOf) && n.allOf.length === 1) n = n.allOf[0] as Json;
    else if (typeof n.$ref === 'string') {
      const ref = n.$ref;
      n = ref === '#' ? root : ((root.definitions as Json | undefined)?.[ref.replace(/^#\/definitions\//, '')] as Json | undefined);
    } else break;
  }
  return n;
}

/** A JSON Schema node in a few words: `string`, `"a" \| "b"`, `{ name, type }` (its required keys), `string[]`. */
function typeOf(node: unknown, root: Json, depth = 0): string {
  const n = deref(node, root);
  if (!n || typeof n !== 'object') return 'any';
  if ('const' in n) return JSON.stringify(n.const);
  if (Array.isArray(n.enum)) return n.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const alts = (n.anyOf ?? n.oneOf) as unknown[] | undefined;
  if (Array.isArray(alts)) return depth > 2 ? 'one of several' : alts.map((a) => typeOf(a, root, depth + 1)).join(' \\| ');
  if (n.type === 'array') {
    const item = typeOf(n.items, root, depth + 1);
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (n.type === 'object') {
    if (!n.properties) return 'map';
    const req = (n.required as string[] | undefined) ?? [];
    return req.length ? `{ ${req.join(', ')} }` : 'object';
  }
  if (Array.isArray(n.type)) return n.type.join(' \\| ');
  return typeof n.type === 'string' ? n.type : 'any';
}

/** The object shape an array of `key` holds (the first object alternative). */
function itemShape(node: unknown, root: Json): Json | undefined {
  const n = deref(node, root);
  if (!n) return undefined;
  if (n.type === 'array') return itemShape(n.items, root);
  if (n.type === 'object' && n.properties) return n;
  const alts = (n.anyOf ?? n.oneOf) as unknown[] | undefined;
  return alts?.map((a) => itemShape(a, root)).find(Boolean);
}

function fieldTable(shape: Json, root: Json): string[] {
  const props = shape.properties as Json;
  const required = new Set((shape.required as string[] | undefined) ?? []);
  const out = ['| field | type | required |', '|---|---|---|'];
  for (const [k, v] of Object.entries(props)) out.push(`| \`${k}\` | ${typeOf(v, root)} | ${required.has(k) ? 'yes' : ''} |`);
  return out;
}

/** docs/spec.md: every top-level key, then per object kind its fields (from the JSON Schema) and an example. */
export function renderSpecDocs(): string {
  const schema = specJsonSchema();
  const top = schema.properties as Json;
  const out = [
    '<!-- Generated from src/spec/types.ts by `plumb spec docs > docs/spec.md`. Do not edit. -->',
    '# The spec format',
    '',
    'A spec is the desired state of a database, in YAML or JSON (or TypeScript with `defineSpec`, or plain SQL DDL).',
    '`plumb pull --db URL --out spec.yaml` writes a complete one from a live database. Editors validate and complete',
    `YAML/JSON specs with the JSON Schema \`${SPEC_SCHEMA_FILE}\` (\`plumb spec schema\` prints it); in VS Code with the`,
    'YAML extension, put `# yaml-language-server: $schema=./node_modules/plumb/docs/plumb.schema.json` on the first line.',
    '',
    '## Top-level keys',
    '',
    ...fieldTable(schema, schema),
  ];
  for (const ex of SPEC_EXAMPLES) {
    out.push('', `## ${ex.title} (\`${ex.key}\`)`, '', ex.about, '');
    const shape = itemShape(top[ex.key], schema);
    if (shape) out.push(...fieldTable(shape, schema), '');
    out.push('```yaml', ex.yaml.trimEnd(), '```');
  }
  return out.join('\n') + '\n';
}

/** Each example parsed (for tests and the generator's own check). */
export function specExampleInputs(): { key: string; input: unknown }[] {
  return SPEC_EXAMPLES.map((e) => ({ key: e.key, input: parse(e.yaml) as unknown }));
}
