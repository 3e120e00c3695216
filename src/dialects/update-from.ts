// The standard UPDATE … FROM (Postgres, SQLite 3.33+), shared by their apply
// support: the SET side names the target's columns unqualified. SQL text only.

/** UPDATE of `columns` of `table` (aliased t) from the rows of `source` (aliased b) with the same `key`. */
export function updateFromSql(table: string, source: string, columns: string[], key: string[], q: (name: string) => string): string {
  return `UPDATE ${table} AS t SET ${columns.map((c) => `${q(c)} = b.${q(c)}`).join(', ')} FROM ${source} AS b WHERE ${key.map((k) => `t.${q(k)} = b.${q(k)}`).join(' AND ')}`;
}
