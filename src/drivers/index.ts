export type { Connection, Row, TransactionOptions } from './connection.js';
export { connect, registerDriver } from './connect.js';
export { parseDbUrl, redactUrl, DEFAULT_DB, type DbTarget, type DriverName } from './url.js';
export { wrapPglite } from './pglite-driver.js';
