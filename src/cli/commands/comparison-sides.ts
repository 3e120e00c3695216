// The two sides diff and plan compare: --db URL --spec S, or --from A --to B
// where each of A and B is a database URL or a spec. Opens them (connections,
// loaded specs) and closes what it opened.
import type { DialectName } from '../../catalog/types.js';
import { connect } from '../../drivers/connect.js';
import type { Connection } from '../../drivers/connection.js';
import { PlumbError } from '../../errors.js';
import type { Endpoint } from '../../spec/compare-endpoints.js';
import { loadSpec } from '../../spec/load.js';
import { isDbUrl, requireDb } from './common.js';
import { parseDbUrl } from '../../drivers/url.js';

export interface Side {
  kind: 'db' | 'spec';
  /** The URL (redacted) or the spec path: safe to print. */
  label: string;
  value: string;
}

export interface Sides {
  from: Side;
  to: Side;
}

const side = (value: string): Side => (isDbUrl(value) ? { kind: 'db', label: parseDbUrl(value).redacted, value } : { kind: 'spec', label: value, value });

/** The sides the flags name, or a usage error: exactly one of --db/--spec and --from/--to. */
export function comparisonSides(o: { db?: string; spec?: string; from?: string; to?: string }, example: string): Sides {
  if (o.from !== undefined || o.to !== undefined) {
    if (o.from === undefined || o.to === undefined) throw new PlumbError('E_USAGE', `${o.from === undefined ? '--to' : '--from'} needs ${o.from === undefined ? '--from' : '--to'}`, 'for example: --from postgres://me@localhost/staging --to postgres://me@localhost/prod');
    if (o.spec !== undefined) throw new PlumbError('E_USAGE', '--spec goes with --db; with --from/--to, name the spec as one of the sides', 'for example: --from $DATABASE_URL --to spec.yaml');
    return { from: side(o.from), to: side(o.to) };
  }
  const db = requireDb(o.db, example);
  if (o.spec === undefined) throw new PlumbError('E_USAGE', 'no spec given: pass --spec S (or --from A --to B)', `for example: ${example}`);
  return { from: { kind: 'db', label: db.redacted, value: o.db! }, to: { kind: 'spec', label: o.spec, value: o.spec } };
}

export interface OpenSides {
  from: Endpoint;
  to: Endpoint;
  /** The engine of the database side(s); the "from" side's when both are databases; undefined for two specs. */
  dialect: DialectName | undefined;
  close(): Promise<void>;
}

/** Loads the specs first (a bad spec fails before any connection), then connects. */
export async function openSides(s: Sides): Promise<OpenSides> {
  const specs = await Promise.all([s.from, s.to].map((x) => (x.kind === 'spec' ? loadSpec(x.value) : undefined)));
  const conns: Connection[] = [];
  const open = async (x: Side, i: number): Promise<Endpoint> => {
    if (x.kind === 'spec') return { spec: specs[i]! };
    const c = await connect(x.value);
    conns.push(c);
    return { db: c };
  };
  try {
    const from = await open(s.from, 0);
    const to = await open(s.to, 1);
    return { from, to, dialect: conns[0]?.dialect, close: async () => void (await Promise.all(conns.map((c) => c.close()))) };
  } catch (e) {
    await Promise.all(conns.map((c) => c.close()));
    throw e;
  }
}
