// Extensions installed into the public schema: their objects mix with the application's and are exposed with it.
import { objectPath } from '../../catalog/paths.js';
import { defineRule } from '../rule.js';
import { matchesAny, stringList } from '../rule-helpers.js';

export default defineRule({
  meta: {
    id: 'extension-in-public',
    code: 'PLB030',
    title: 'Extension installed in the public schema',
    category: 'security',
    severity: 'warning',
    dialects: ['postgres'],
    options: { schemas: ['public'] },
    docs: {
      description:
        'An extension created without `SCHEMA` lands in `public`: its functions and operators sit beside the application\'s, are reachable ' +
        'through any API that exposes `public`, and can be shadowed by objects users create there. Install extensions into their own schema.',
      bad: `CREATE EXTENSION IF NOT EXISTS pg_trgm;`,
      good: `CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA extensions;`,
      remediation: 'ALTER EXTENSION … SET SCHEMA extensions (for relocatable extensions), then add that schema to search_path where needed.',
    },
    fixture: { skip: 'extensions are database-wide and PGlite only loads them from JavaScript; the defect-zoo test plants this one on a server' },
  },
  check(ctx) {
    const schemas = stringList(ctx.options.schemas);
    for (const e of ctx.catalog.extensions) {
      if (!matchesAny(e.schema, schemas)) continue;
      ctx.report({
        path: objectPath(e.schema, e.name),
        message: `extension ${e.name} ${e.version} is installed in schema ${e.schema}`,
        evidence: { version: e.version },
        fix: `ALTER EXTENSION ${ctx.quoteIdent(e.name)} SET SCHEMA extensions; -- after CREATE SCHEMA extensions`,
      });
    }
  },
});
