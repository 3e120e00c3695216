// Fresh SQLite databases for tests: in memory, or a file in a temp directory
// (removed by dispose()) when a test needs to reopen it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/drivers/connect.js';
import { parseDbUrl } from '../../src/drivers/url.js';
import type { Connection } from '../../src/drivers/connection.js';

export interface FreshSqlite {
  conn: Connection;
  url: string;
  dispose(): Promise<void>;
}

export async function freshSqlite(options: { file?: boolean; foreignKeys?: boolean } = {}): Promise<FreshSqlite> {
  const fk = options.foreignKeys === undefined ? '' : `?foreign_keys=${options.foreignKeys ? 'on' : 'off'}`;
  if (!options.file) {
    const url = `sqlite::memory:${fk}`;
    const conn = await connect(url);
    return { conn, url, dispose: () => conn.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'plumb-sqlite-'));
  const url = `sqlite:${join(dir, 'test.db')}${fk}`;
  // The file is new: ask for it to be created (a plain sqlite: URL opens an existing file only).
  const conn = await connect({ ...parseDbUrl(url), create: true });
  return {
    conn,
    url,
    async dispose() {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
