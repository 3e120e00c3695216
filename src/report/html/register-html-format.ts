// Registers `html` with the audit report formats, so `plumb audit --format html`
// and renderAudit(result, 'html', { catalog }) produce the self-contained page.
import { CATALOG_VERSION, type Catalog, type DialectName } from '../../catalog/types.js';
import { registerAuditFormat } from '../audit-report.js';
import { renderAuditHtml } from './render-html.js';

registerAuditFormat('html', (result, o) => {
  // Without the catalog the page still shows grade and findings; the browser and diagrams are empty.
  const catalog: Catalog = o.catalog ?? {
    catalogVersion: CATALOG_VERSION,
    dialect: result.target.dialect as DialectName,
    serverVersion: result.target.serverVersion,
    serverMajor: 0,
    database: result.target.database,
    extensions: [],
    schemas: [],
    settings: {},
  };
  return renderAuditHtml(result, catalog);
});
