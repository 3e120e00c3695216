// Anchors kept in a database table (`--out table:NAME`). Weaker than a file
// kept elsewhere — whoever can rewrite the chain may rewrite this table too —
// so use a table in another database, owned by another role, when you can.
import type { Connection } from '../drivers/connection.js';
import { PlumbError } from '../errors.js';
import { parseAnchor, type Anchor } from './anchor.js';
import { chainDialectFor } from './dialects/index.js';

function tableName(conn: Connection, name: string): string {
  const d = chainDialectFor(conn);
  return name.split('.').map((p) => d.quoteIdent(p)).join('.');
}

export async function writeAnchorTable(conn: Connection, name: string, a: Anchor): Promise<void> {
  const d = chainDialectFor(conn);
  const t = tableName(conn, name);
  await conn.exec(`CREATE TABLE IF NOT EXISTS ${t} (chain_id VARCHAR(191) NOT NULL, seq VARCHAR(20) NOT NULL, anchored_at VARCHAR(40) NOT NULL, anchor TEXT NOT NULL)`);
  await conn.query(`INSERT INTO ${t} (chain_id, seq, anchored_at, anchor) VALUES (${d.placeholder(1)}, ${d.placeholder(2)}, ${d.placeholder(3)}, ${d.placeholder(4)})`, [
    a.chainId,
    a.seq,
    a.time,
    JSON.stringify(a),
  ]);
}

/** The newest anchor recorded for the chain. */
export async function readAnchorTable(conn: Connection, name: string, chainId: string): Promise<Anchor> {
  const d = chainDialectFor(conn);
  let rows: { anchor: string }[];
  try {
    rows = await conn.query<{ anchor: string }>(`SELECT anchor FROM ${tableName(conn, name)} WHERE chain_id = ${d.placeholder(1)} ORDER BY anchored_at DESC`, [chainId]);
  } catch (e) {
    throw new PlumbError('E_CONFIG', `cannot read anchors from table ${name}: ${(e as Error).message}`, 'anchor first with `plumb chain anchor --out table:NAME`');
  }
  // Several anchors can share a second; the highest seq wins.
  const all = rows.map((r) => parseAnchor(r.anchor, `table ${name}`));
  const best = all.sort((x, y) => (BigInt(y.seq) > BigInt(x.seq) ? 1 : BigInt(y.seq) < BigInt(x.seq) ? -1 : 0))[0];
  if (!best) throw new PlumbError('E_CONFIG', `table ${name} holds no anchor for chain ${chainId}`, 'anchor first with `plumb chain anchor --out table:NAME`');
  return best;
}
