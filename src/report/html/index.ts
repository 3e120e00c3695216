// Self-contained HTML reports (audit and inspect). Importing this module also
// registers `html` as an audit report format.
import './register-html-format.js';
export { renderAuditHtml, renderInspectHtml, scriptJson, type HtmlReportOptions } from './render-html.js';
export { buildReportModel, type ReportModel } from './report-model.js';
