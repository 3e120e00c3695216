// Drops every comment from a catalog, for engines that store none (SQLite): a
// spec's comments stay in the spec, and the catalog it is compared as says
// what the engine will hold. Pure: catalog in, catalog out; never drops
// anything but comments.
import type { Catalog } from './types.js';

export function withoutComments(catalog: Catalog): Catalog {
  const none = <T extends { comment: string | null }>(x: T): T => (x.comment === null ? x : { ...x, comment: null });
  return {
    ...catalog,
    schemas: catalog.schemas.map((s) => ({
      ...none(s),
      tables: s.tables.map((t) => ({ ...none(t), columns: t.columns.map(none) })),
      views: s.views.map(none),
      enums: s.enums.map(none),
      domains: s.domains.map(none),
      compositeTypes: s.compositeTypes.map(none),
      sequences: s.sequences.map(none),
      routines: s.routines.map(none),
      events: s.events.map(none),
    })),
  };
}
