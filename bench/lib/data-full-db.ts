// The database `npm run bench:audit -- --data full` reads: four tables of a
// shop (users, orders, order_items, events), ≥ 10 million rows in all, made
// server-side with generate_series, with the shapes the data rules look at
// (a NOT VALID foreign key, implied references, a natural key without a
// unique constraint, status columns with a declared set, JSON kept in text)
// and no defect, so the full pass reads everything and reports nothing.
// Bench-only: never imported by src/.
import { connect } from '../../src/drivers/connect.js';

export const DATA_FULL_DB = 'auddata_bench_full';

/** Rows per table; the total is ≥ 10 million. */
export const DATA_FULL_ROWS = { users: 2_000_000, orders: 3_000_000, order_items: 3_000_000, events: 2_500_000 } as const;

const DDL = [
  `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, status text NOT NULL, name text, created_at timestamptz NOT NULL,
     CONSTRAINT users_status_check CHECK (status IN ('active', 'invited', 'disabled')) NOT VALID)`,
  `CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, total_cents bigint NOT NULL, note text, created_at timestamptz NOT NULL,
     CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')) NOT VALID)`,
  `CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL, product_code text NOT NULL, qty int NOT NULL, price_cents bigint NOT NULL)`,
  `CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint, kind text NOT NULL, payload text, created_at timestamptz NOT NULL)`,
];

const FILL = (r: typeof DATA_FULL_ROWS) => [
  `INSERT INTO users SELECT g, 'user' || g || '@example.com', (ARRAY['active','invited','disabled'])[1 + g % 3], CASE WHEN g % 10 = 0 THEN NULL ELSE 'User ' || g END, now() - (g || ' seconds')::interval FROM generate_series(1::bigint, ${r.users}) g`,
  `INSERT INTO orders SELECT g, 1 + (g * 7919) % ${r.users}, (ARRAY['new','paid','shipped','cancelled'])[1 + g % 4], g % 100000, CASE WHEN g % 5 = 0 THEN 'gift' END, now() - (g || ' seconds')::interval FROM generate_series(1::bigint, ${r.orders}) g`,
  `INSERT INTO order_items SELECT g, 1 + (g * 104729) % ${r.orders}, 'P-' || (g % 5000), 1 + g % 4, g % 9000 FROM generate_series(1::bigint, ${r.order_items}) g`,
  `INSERT INTO events SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 1 + (g * 31) % ${r.users} END, (ARRAY['view','click','buy'])[1 + g % 3], '{"n": ' || g || ', "k": "e' || (g % 50) || '"}', now() - (g || ' seconds')::interval FROM generate_series(1::bigint, ${r.events}) g`,
  `ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID`,
  `CREATE INDEX orders_user_id_idx ON orders (user_id)`,
  `CREATE INDEX order_items_order_id_idx ON order_items (order_id)`,
  `CREATE INDEX events_user_id_idx ON events (user_id)`,
  `VACUUM ANALYZE`,
];

/** URL of the bench database on `server` (a postgres:// URL of any database there), created and filled unless it already holds the data. */
export async function dataFullDb(server: string, log: (s: string) => void, rows = DATA_FULL_ROWS): Promise<string> {
  const url = new URL(server);
  url.pathname = `/${DATA_FULL_DB}`;
  const admin = await connect(server);
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = '${DATA_FULL_DB}'`);
    if (exists.length) {
      const db = await connect(url.toString());
      try {
        const n = await db.query<{ n: string }>(`SELECT (SELECT count(*) FROM pg_class WHERE relname = 'events' AND relkind = 'r')::text AS n`);
        if (n[0]?.n === '1') return url.toString();
      } finally {
        await db.close();
      }
      await admin.exec(`DROP DATABASE ${DATA_FULL_DB}`);
    }
    await admin.exec(`CREATE DATABASE ${DATA_FULL_DB}`);
  } finally {
    await admin.close();
  }
  const db = await connect(url.toString());
  try {
    for (const s of [...DDL, ...FILL(rows)]) {
      const t = performance.now();
      await db.exec(s);
      log(`  ${s.slice(0, 60).replace(/\s+/g, ' ')}… ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    await db.close();
    await dropDataFullDb(server);
    throw e;
  }
  await db.close();
  return url.toString();
}

export async function dropDataFullDb(server: string): Promise<void> {
  const admin = await connect(server);
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${DATA_FULL_DB}`);
  } finally {
    await admin.close();
  }
}
