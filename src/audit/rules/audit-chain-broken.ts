// PLB120: an audit-log table with a hash chain (previous_hash + row_hash /
// hash_chain / hash) whose links do not connect: a row's previous_hash is not
// the prior row's hash, or a hash is NULL. Format-independent: no hash is
// recomputed here (`plumb chain verify` does that). Reads the newest N rows.
import { genesisHash } from '../../chain/canonical.js';
import type { Column, Table } from '../../catalog/types.js';
import { CHAIN_HASH, CHAIN_PREVIOUS } from '../audit-log-tables.js';
import { defineRule, type RuleContext } from '../rule.js';
import { stringList } from '../rule-helpers.js';
import { nameMatches, typeFamily } from '../data/names.js';
import { DEFAULT_FETCH_LIMIT, dataTables, fetchLimit, runQuery } from '../data/sql.js';

const AUDIT_TABLES = ['audit_log', 'audit_logs', '*_audit_log', '*_audit_logs', '*_audit', 'audit_trail', '*_audit_trail'];
const PREV = CHAIN_PREVIOUS;
const HASH = CHAIN_HASH;
const ORDER = ['seq', 'sequence', 'seq_no', 'sequence_number', 'chain_seq'];

function pick(t: Table, names: readonly string[]): Column | undefined {
  for (const n of names) {
    const c = t.columns.find((x) => x.name.toLowerCase() === n);
    if (c) return c;
  }
  return undefined;
}

/** The column that orders the chain: a sequence column, else an integer primary key. */
function orderColumn(t: Table): Column | undefined {
  const seq = pick(t, ORDER);
  if (seq) return seq;
  const pk = t.primaryKey?.columns.length === 1 ? t.columns.find((c) => c.name === t.primaryKey!.columns[0]) : undefined;
  return pk && typeFamily(pk) === 'int' ? pk : undefined;
}

function hashText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v.length ? Buffer.from(v).toString('hex') : null;
  const s = String(v).trim();
  if (s === '') return null;
  const body = s.startsWith('\\x') ? s.slice(2) : s;
  return /^[0-9a-f]+$/i.test(body) ? body.toLowerCase() : s;
}

/** Anomalies read in full mode at most: a chain broken on every row reports "at least" this many. */
const MAX_ANOMALIES = 100_000;

/**
 * Full mode: the whole chain in one pass on the server (each row beside the
 * one before it, by LAG in sequence order); only the first row and the rows
 * whose link or hash is wrong come back, and are judged as the sample is.
 */
async function checkWholeChain(ctx: RuleContext, t: Table, order: string, prev: string, hash: string): Promise<void> {
  const q = ctx.quoteIdent;
  const rows = await runQuery<{ o: unknown; p: unknown; h: unknown; ph: unknown; po: unknown; rn: unknown }>(
    ctx,
    t.path,
    `SELECT o, p, h, ph, po, rn FROM (SELECT ${q(order)} AS o, ${q(prev)} AS p, ${q(hash)} AS h, LAG(${q(hash)}) OVER (ORDER BY ${q(order)}) AS ph, LAG(${q(order)}) OVER (ORDER BY ${q(order)}) AS po, ROW_NUMBER() OVER (ORDER BY ${q(order)}) AS rn FROM ${ctx.quoteQualified(t.schema, t.name)}) x WHERE rn = 1 OR h IS NULL OR p IS NULL OR ph IS NULL OR p <> ph ORDER BY o LIMIT ${MAX_ANOMALIES + 1}`,
  );
  if (!rows?.length) return;
  const [counted] = (await runQuery<{ n: unknown }>(ctx, t.path, `SELECT COUNT(*) AS n FROM ${ctx.quoteQualified(t.schema, t.name)}`)) ?? [];
  let nullHashes = 0;
  let broken = 0;
  let firstBreak: { at: string; after: string | null; kind: string } | null = null;
  for (const r of rows.slice(0, MAX_ANOMALIES)) {
    const o = String(r.o);
    const last = r.po === null || r.po === undefined ? null : String(r.po);
    const [p, h, ph] = [hashText(r.p), hashText(r.h), hashText(r.ph)];
    const first = Number(r.rn) === 1;
    if (h === null) {
      nullHashes++;
      firstBreak ??= { at: o, after: first ? null : last, kind: 'NULL hash' };
    }
    const ok = first ? isGenesis(p, `${t.schema}.${t.name}`) : ph !== null && p === ph;
    if (!ok) {
      broken++;
      firstBreak ??= { at: o, after: first ? null : last, kind: first ? 'first row is not a genesis row' : p === null ? 'NULL previous hash' : 'previous hash does not match' };
    }
  }
  if (!broken && !nullHashes) return;
  const atLeast = rows.length > MAX_ANOMALIES ? 'at least ' : '';
  const checked = Number(counted?.n ?? 0);
  ctx.report({
    path: t.path,
    message: `hash chain of ${t.path} is broken: first at ${order} = ${firstBreak!.at} (${firstBreak!.kind}); ${atLeast}${broken} broken link${broken === 1 ? '' : 's'}, ${atLeast}${nullHashes} NULL hash${nullHashes === 1 ? '' : 'es'} in all ${checked} rows`,
    evidence: { checked, brokenLinks: broken, nullHashes, firstBreak, orderedBy: order, previousHash: prev, hash },
  });
}

/** A chain starts from NULL, zeros, or (plumb chains, docs/chain.md) the genesis hash of its chain id. */
const isGenesis = (prev: string | null, chainId: string) => prev === null || /^0+$/.test(prev) || prev === genesisHash(chainId);

export default defineRule({
  meta: {
    id: 'audit-chain-broken',
    code: 'PLB120',
    title: 'Audit-log hash chain does not link',
    category: 'security',
    severity: 'error',
    data: true,
    docs: {
      description:
        'An audit-log table (`audit_log(s)`, `*_audit_log(s)`, `*_audit`) carries a hash chain — `previous_hash` plus `row_hash`, `hash_chain` or `hash` — but the links do not connect in sequence order (`seq`, else the integer key): a row\'s `previous_hash` differs from the prior row\'s hash, or a hash is NULL. A row was deleted, inserted out of band or edited, or the chain was never filled in (seed 000: "confirm no NULL hashes in audit log"). Only linkage is checked, so it works with any hash format; `plumb chain verify` recomputes hashes. In sample mode the newest rows are checked; `--data full` checks the whole chain in one pass on the server.',
      bad: `CREATE TABLE audit_logs (id int PRIMARY KEY, action varchar(20) NOT NULL, previous_hash char(8), row_hash char(8));
INSERT INTO audit_logs VALUES (1, 'login', NULL, 'aaaa1111'), (2, 'update', 'aaaa1111', 'bbbb2222'), (4, 'delete', 'cccc3333', 'dddd4444'), (5, 'update', 'dddd4444', NULL);`,
      good: `CREATE TABLE audit_logs (id int PRIMARY KEY, action varchar(20) NOT NULL, previous_hash char(8), row_hash char(8));
INSERT INTO audit_logs VALUES (1, 'login', NULL, 'aaaa1111'), (2, 'update', 'aaaa1111', 'bbbb2222'), (3, 'delete', 'bbbb2222', 'cccc3333'), (4, 'update', 'cccc3333', 'dddd4444');`,
      remediation:
        'Find what happened at the first broken link (deleted or edited rows; compare with backups) before anything else — the chain is evidence. Then guard the table against UPDATE/DELETE and install the chain trigger (`plumb chain install`), and anchor its head externally (`plumb chain anchor`).',
    },
    options: { tables: AUDIT_TABLES, maxFetch: DEFAULT_FETCH_LIMIT },
  },
  async check(ctx) {
    const names = stringList(ctx.options.tables, AUDIT_TABLES);
    for (const t of dataTables(ctx.catalog)) {
      if (!nameMatches(t.name, names)) continue;
      const prev = pick(t, PREV);
      const hash = pick(t, HASH.filter((h) => !PREV.includes(h)));
      if (!prev || !hash) continue; // no chain columns: not this rule's question
      const order = orderColumn(t);
      if (!order) {
        ctx.skip('no sequence column or integer key orders the chain', t.path);
        continue;
      }
      const q = ctx.quoteIdent;
      if (ctx.dataMode === 'full') {
        await checkWholeChain(ctx, t, order.name, prev.name, hash.name);
        continue;
      }
      const limit = fetchLimit(ctx);
      // Newest limit+1 rows: the extra oldest one only anchors the first checked link.
      const rows = await runQuery<{ o: unknown; p: unknown; h: unknown }>(
        ctx,
        t.path,
        `SELECT ${q(order.name)} AS o, ${q(prev.name)} AS p, ${q(hash.name)} AS h FROM ${ctx.quoteQualified(t.schema, t.name)} ORDER BY ${q(order.name)} DESC LIMIT ${limit + 1}`,
      );
      if (!rows?.length) continue;
      rows.reverse();
      const whole = rows.length <= limit;
      const chain = rows.map((r) => ({ o: String(r.o), p: hashText(r.p), h: hashText(r.h) }));
      const start = whole ? 0 : 1;
      let nullHashes = 0;
      let broken = 0;
      let firstBreak: { at: string; after: string | null; kind: string } | null = null;
      for (let i = start; i < chain.length; i++) {
        const row = chain[i]!;
        if (row.h === null) {
          nullHashes++;
          firstBreak ??= { at: row.o, after: i > 0 ? chain[i - 1]!.o : null, kind: 'NULL hash' };
        }
        const ok = i === 0 ? isGenesis(row.p, `${t.schema}.${t.name}`) : chain[i - 1]!.h !== null && row.p === chain[i - 1]!.h;
        if (!ok) {
          broken++;
          firstBreak ??= { at: row.o, after: i > 0 ? chain[i - 1]!.o : null, kind: i === 0 ? 'first row is not a genesis row' : row.p === null ? 'NULL previous hash' : 'previous hash does not match' };
        }
      }
      if (!broken && !nullHashes) continue;
      const checked = chain.length - start;
      ctx.report({
        path: t.path,
        message: `hash chain of ${t.path} is broken: first at ${order.name} = ${firstBreak!.at} (${firstBreak!.kind}); ${broken} broken link${broken === 1 ? '' : 's'}, ${nullHashes} NULL hash${nullHashes === 1 ? '' : 'es'} in ${checked} rows checked${whole ? '' : ' (newest rows only)'}`,
        evidence: { checked, brokenLinks: broken, nullHashes, firstBreak, orderedBy: order.name, previousHash: prev.name, hash: hash.name },
        ...(whole ? {} : { sampled: true }),
      });
    }
  },
});
