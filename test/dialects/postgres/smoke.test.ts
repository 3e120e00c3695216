import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { freshDatabase, pgEngines, type FreshDb } from '../../helpers/engines.js';
import { introspectPostgres } from '../../../src/dialects/postgres/postgres-introspector.js';

describe.each(pgEngines())('postgres introspection smoke on $name', (engine) => {
  let db: FreshDb;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.dispose());

  it('reads a table with a key and a foreign key', async () => {
    await db.conn.exec(`CREATE SCHEMA smoke; CREATE TABLE smoke.a (id int PRIMARY KEY); CREATE TABLE smoke.b (id int PRIMARY KEY, a_id int REFERENCES smoke.a ON DELETE CASCADE);`);
    const cat = await introspectPostgres(db.conn, { schemas: ['smoke'] });
    const b = cat.schemas[0]!.tables.find((t) => t.name === 'b')!;
    expect(b.foreignKeys[0]).toMatchObject({ columns: ['a_id'], references: { schema: 'smoke', table: 'a', columns: ['id'] }, onDelete: 'cascade' });
  });
});
