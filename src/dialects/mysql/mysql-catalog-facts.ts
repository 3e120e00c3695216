// Facts MySQL rules read from a catalog: effective charset/collation of a
// column (the catalog records them only where they depart from the table's),
// and the sql_mode flags. Pure.
import type { Catalog, Column, Table } from '../../catalog/types.js';

/** The collation a text column really has: its own, else its table's. */
export function effectiveCollation(t: Table, c: Column): string | null {
  if (!isTextual(c)) return null;
  return c.collation ?? t.options?.collation ?? null;
}

export function effectiveCharset(t: Table, c: Column): string | null {
  if (!isTextual(c)) return null;
  return c.charset ?? (c.collation ? c.collation.split('_')[0]! : (t.options?.charset ?? null));
}

/** Columns that hold characters (and so have a charset): char, varchar, text, enum, set. */
export function isTextual(c: Column): boolean {
  return ['char', 'varchar', 'text', 'enum'].includes(c.type.kind) || (c.type.kind === 'other' && /^set\b/i.test(c.type.raw));
}

export function sqlModeFlags(cat: Catalog): Set<string> | null {
  const m = cat.settings.sql_mode;
  if (m === undefined) return null;
  return new Set(m.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
}

/** utf8mb3 (alias utf8) cannot store 4-byte characters (emoji, many CJK); utf8mb4 is full UTF-8. */
export function isFullUtf8(charset: string | null): boolean {
  return charset === null || charset === 'utf8mb4' || charset === 'binary';
}
