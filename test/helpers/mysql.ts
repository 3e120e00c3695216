// Fresh MariaDB/MySQL databases for tests: CREATE DATABASE plumb_t_… on the
// machine's server (PLUMB_TEST_MYSQL_URL), dropped by dispose().
import { connect } from '../../src/drivers/connect.js';
import type { Connection } from '../../src/drivers/connection.js';
import { mysqlUrl, uniqueName, withDatabase } from './engines.js';

export interface FreshMysql {
  conn: Connection;
  url: string;
  name: string;
  dispose(): Promise<void>;
}

/** The server URL when MySQL/MariaDB tests can run (announces loudly when they cannot). */
export function mysqlServer(): string | undefined {
  return mysqlUrl();
}

export async function freshMysql(serverUrl = mysqlUrl()): Promise<FreshMysql> {
  if (!serverUrl) throw new Error('PLUMB_TEST_MYSQL_URL is not set');
  const name = uniqueName('plumb_t');
  const admin = await connect(serverUrl);
  try {
    await admin.exec(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.close();
  }
  const url = withDatabase(serverUrl, name);
  const conn = await connect(url);
  return {
    conn,
    url,
    name,
    async dispose() {
      await conn.close();
      const a = await connect(serverUrl);
      try {
        await a.exec(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.close();
      }
    },
  };
}
