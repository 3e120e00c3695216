// Object counts of a catalog: what the grade normalises by and what reports show.
import type { Catalog } from '../catalog/types.js';
import type { AuditResult } from './types.js';

export function countObjects(c: Catalog): AuditResult['objects'] {
  const o = { schemas: c.schemas.length, tables: 0, columns: 0, indexes: 0, foreignKeys: 0, views: 0, routines: 0 };
  for (const s of c.schemas) {
    o.tables += s.tables.length;
    o.views += s.views.length;
    o.routines += s.routines.length;
    for (const t of s.tables) {
      o.columns += t.columns.length;
      o.indexes += t.indexes.length;
      o.foreignKeys += t.foreignKeys.length;
    }
  }
  return o;
}
