// A mixed fleet: MariaDB databases beside a Postgres one in one targets file.
// fleet audit grades them all in one report; fleet diff realises the portable
// spec per MariaDB database (each binds the spec to its own schema) and finds
// the one drifted on purpose.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesiredCatalogs } from '../../src/fleet/desired-catalogs.js';
import { fleetAudit } from '../../src/fleet/fleet-audit.js';
import { fleetSpec } from '../../src/fleet/fleet-spec.js';
import { loadTargets } from '../../src/fleet/targets.js';
import { parseSpecText } from '../../src/spec/load.js';
import { mysqlUrl, uniqueName, withDatabase } from '../helpers/engines.js';

const SPEC = `version: 1
tables:
  - name: users
    columns:
      - { name: id, type: int, primaryKey: true }
      - { name: email, type: varchar(255), nullable: false, unique: true }
`;

const server = mysqlUrl();

describe.skipIf(!server)('fleet on MariaDB', () => {
  const names = Array.from({ length: 4 }, (_, i) => `${uniqueName('plumb_fm')}_${i}`);
  let dir: string;
  let file: string;
  beforeAll(async () => {
    const c = await mysql.createConnection({ uri: server!, multipleStatements: true });
    try {
      for (const [i, n] of names.entries()) {
        await c.query(`CREATE DATABASE \`${n}\`; USE \`${n}\`; CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL, UNIQUE KEY email (email))${i === 2 ? '; ALTER TABLE users ADD COLUMN legacy tinyint' : ''}`);
      }
    } finally {
      await c.end();
    }
    dir = mkdtempSync(join(tmpdir(), 'plumb-fleet-my-'));
    file = join(dir, 'fleet.yaml');
    writeFileSync(file, `targets:\n${names.map((n) => `  - { url: "${withDatabase(server!, n)}", labels: { engine: mariadb } }`).join('\n')}\n`);
  });
  afterAll(async () => {
    const c = await mysql.createConnection({ uri: server! });
    try {
      for (const n of names) await c.query(`DROP DATABASE IF EXISTS \`${n}\``);
    } finally {
      await c.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('audits every MariaDB target and shows the drifted one in the drift matrix', async () => {
    const targets = await loadTargets(file);
    const audit = await fleetAudit(targets, { concurrency: 4, timeoutMs: 60_000 });
    expect(audit.summary).toMatchObject({ targets: 4, audited: 4 });
    const spec = parseSpecText(SPEC, 'spec.yaml');
    const diff = await fleetSpec('diff', targets, spec, new DesiredCatalogs(spec), 'spec.yaml', { concurrency: 2 });
    expect(diff.summary).toMatchObject({ targets: 4, matching: 3, drifted: 1 });
    expect(diff.variants.find((v) => v.changes.length)!.targets).toEqual([names[2]]);
  });
});
