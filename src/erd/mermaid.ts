// Mermaid `erDiagram` text for a catalog selection, written to render on
// GitHub: every entity and attribute name is reduced to Mermaid's identifier
// alphabet (the real name goes into a comment), and never emits a quote it
// cannot close.
import type { Catalog } from '../catalog/types.js';
import { selectErd, type ErdGraph, type ErdSelection } from './erd-graph.js';

/** Mermaid's ATTRIBUTE_WORD / entity alphabet, minus the brackets that some versions reject. */
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['erdiagram', 'end', 'one', 'only', 'zero', 'many', 'more', 'or', 'to', 'optionally', 'u', 'pk', 'fk', 'uk', 'style', 'classdef', 'class', 'direction', 'title', 'acctitle', 'accdescr', 'default']);

/** A Mermaid-safe word: letters, digits and `_`, not starting with a digit. */
export function mermaidWord(s: string): string {
  let w = s.normalize('NFKD').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!w) w = 'x';
  if (!/^[A-Za-z_]/.test(w)) w = '_' + w;
  // Words Mermaid's erDiagram lexer reads as keywords or cardinality aliases ("one or many", "only one"…).
  if (RESERVED.has(w.toLowerCase())) w += '_';
  return w;
}

/** Mermaid's attribute-type alphabet: a letter or `_`, then letters, digits, `-`, `_`, `[]` and `()` (no comma, no space). */
const TYPE_WORD = /^[A-Za-z_][A-Za-z0-9_\-[\]()]*$/;

/** The short names people write for Postgres's long type spellings. */
const SHORT_TYPES: [RegExp, string][] = [
  [/^character varying\b/i, 'varchar'],
  [/^bit varying\b/i, 'varbit'],
  [/^character\b/i, 'char'],
  [/^double precision\b/i, 'double'],
  [/^timestamp(\(\d+\))? with time zone\b/i, 'timestamptz$1'],
  [/^timestamp(\(\d+\))? without time zone\b/i, 'timestamp$1'],
  [/^time(\(\d+\))? with time zone\b/i, 'timetz$1'],
  [/^time(\(\d+\))? without time zone\b/i, 'time$1'],
];

/**
 * The column type as Mermaid shows it: the real name where Mermaid's alphabet
 * allows it (`varchar(45)`, `text[]`, `timestamptz`); otherwise the base name
 * with the exact type returned as a note (`numeric` + "numeric(10,2)").
 */
export function mermaidType(raw: string): { word: string; note?: string } {
  let t = raw.trim().replace(/\s+/g, ' ');
  for (const [re, short] of SHORT_TYPES) t = t.replace(re, short);
  // A schema-qualified user type (an enum, a domain): its own name.
  t = t.replace(/^(?:"?[^".\s]+"?\.)+/, '').replace(/"/g, '');
  if (TYPE_WORD.test(t)) return { word: t };
  const base = mermaidWord(/^[A-Za-z_][A-Za-z0-9_]*/.exec(t)?.[0] ?? t);
  return { word: base || 'unknown', note: t };
}

function label(s: string): string {
  // Mermaid strings end at the next double quote and cannot hold a newline.
  return s.replace(/"/g, "'").replace(/[\r\n]+/g, ' ').replace(/[#;]/g, ' ').trim();
}

function uniqueWords(keys: string[], wordOf: (k: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of keys) {
    const base = wordOf(k);
    let w = base;
    for (let i = 2; used.has(w.toLowerCase()); i++) w = `${base}_${i}`;
    used.add(w.toLowerCase());
    out.set(k, w);
  }
  return out;
}

export function graphToMermaid(g: ErdGraph): string {
  const multiSchema = new Set(g.nodes.map((n) => n.schema)).size > 1;
  const names = uniqueWords(
    g.nodes.map((n) => n.id),
    (id) => {
      const n = g.nodes.find((x) => x.id === id)!;
      return mermaidWord(multiSchema ? `${n.schema}__${n.name}` : n.name);
    },
  );
  const out: string[] = ['erDiagram'];
  for (const n of g.nodes) {
    const word = names.get(n.id)!;
    if (word !== n.name || multiSchema) out.push(`    %% ${word} = ${label(n.id)}${n.external ? ' (outside the selection)' : ''}`);
    if (!n.columns.length) {
      out.push(`    ${word}`);
      continue;
    }
    out.push(`    ${word} {`);
    const attrs = uniqueWords(n.columns.map((c) => c.name), mermaidWord);
    for (const c of n.columns) {
      const keys = [c.pk && 'PK', c.fk && 'FK', c.unique && 'UK'].filter(Boolean).join(', ');
      const attr = attrs.get(c.name)!;
      const notes: string[] = [];
      const type = mermaidType(c.type || 'key');
      if (attr !== c.name) notes.push(c.name);
      if (type.note) notes.push(type.note);
      if (c.comment) notes.push(c.comment);
      const comment = label(notes.join(' — '));
      out.push(`        ${type.word} ${attr}${keys ? ` ${keys}` : ''}${comment ? ` "${comment}"` : ''}`);
    }
    out.push('    }');
  }
  for (const e of g.edges) {
    const parent = names.get(e.to);
    const child = names.get(e.from);
    if (!parent || !child) continue;
    // Parent side: exactly one when every key column is NOT NULL, else zero or one.
    const left = e.required ? '||' : '|o';
    const right = e.oneToOne ? 'o|' : 'o{';
    const line = e.identifying ? '--' : '..';
    out.push(`    ${parent} ${left}${line}${right} ${child} : "${label(e.columns.join(', ') || e.name) || 'fk'}"`);
  }
  return out.join('\n') + '\n';
}

/** Mermaid erDiagram for the whole catalog, one schema, or one table's neighbourhood. */
export function toMermaid(catalog: Catalog, sel: ErdSelection = {}): string {
  return graphToMermaid(selectErd(catalog, sel));
}

/** GitHub refuses Mermaid blocks above this many characters (its `maxTextSize`). */
export const MERMAID_GITHUB_MAX_CHARS = 50_000;

export { WORD as MERMAID_WORD };
