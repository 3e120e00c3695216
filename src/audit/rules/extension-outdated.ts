// Installed extensions behind the version the server ships (splinter 0022):
// `ALTER EXTENSION … UPDATE` was never run after a server upgrade, so fixes
// in the extension's SQL objects are missing.
import { defineRule } from '../rule.js';
import { objectPath } from '../../catalog/paths.js';

export default defineRule({
  meta: {
    id: 'extension-outdated',
    code: 'PLB063',
    title: 'Extension older than the version the server provides',
    category: 'security',
    severity: 'warning',
    dialects: ['postgres'],
    data: true,
    docs: {
      description:
        'Upgrading the server (or its packages) installs new extension scripts but leaves every database on the version it had: the ' +
        'extension\'s functions, operators and security fixes stay old until someone runs `ALTER EXTENSION … UPDATE`. Reported when ' +
        '`pg_available_extensions` shows an installed version different from the default one.',
      bad: `CREATE EXTENSION hstore VERSION '1.4';`,
      good: `CREATE EXTENSION hstore;`,
      remediation: '`ALTER EXTENSION name UPDATE;` in each database (read the extension\'s release notes first; some updates rewrite objects).',
    },
    fixture: { skip: 'an extension belongs to the whole database and needs an old version script on disk: tested on the server (test/audit/peer-rules.test.ts)' },
  },
  async check(ctx) {
    if (!ctx.query) {
      ctx.skip('reads pg_available_extensions: needs a live connection');
      return;
    }
    const rows = await ctx.query<{ name: string; installed: string; available: string }>(
      `SELECT name, installed_version AS installed, default_version AS available FROM pg_catalog.pg_available_extensions
        WHERE installed_version IS NOT NULL AND default_version IS NOT NULL AND installed_version <> default_version ORDER BY name`,
    );
    for (const r of rows) {
      const ext = ctx.catalog.extensions.find((e) => e.name === r.name);
      ctx.report({
        path: ext ? objectPath(ext.schema, ext.name) : r.name,
        message: `extension ${r.name} is at version ${r.installed}; the server provides ${r.available}`,
        evidence: { installed: r.installed, available: r.available },
        fix: `ALTER EXTENSION ${ctx.quoteIdent(r.name)} UPDATE;`,
      });
    }
  },
});
