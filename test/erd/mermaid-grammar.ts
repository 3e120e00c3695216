// A strict check of the Mermaid erDiagram subset plumb emits (mermaid itself is
// not installed): every line must be one of the statement forms below, every
// relationship must name declared entities, and blocks must balance.
const WORD = '[A-Za-z_][A-Za-z0-9_]*';
const CARD_LEFT = '(?:\\|\\||\\|o|o\\||\\}o|\\}\\|)';
const CARD_RIGHT = '(?:\\|\\||o\\||\\|o|o\\{|\\|\\{)';
const ENTITY_OPEN = new RegExp(`^    (${WORD}) \\{$`);
const ENTITY_BARE = new RegExp(`^    (${WORD})$`);
// Mermaid's ATTRIBUTE_WORD for the type: `varchar(45)`, `text[]` (erDiagram.jison: [A-Za-z_][A-Za-z0-9\-_\[\]\(\)]*).
const TYPE_WORD = '[A-Za-z_][A-Za-z0-9_\\-\\[\\]()]*';
const ATTRIBUTE = new RegExp(`^        ${TYPE_WORD} ${WORD}(?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?(?: "[^"\\n]*")?$`);
const RELATION = new RegExp(`^    (${WORD}) ${CARD_LEFT}(?:--|\\.\\.)${CARD_RIGHT} (${WORD}) : "([^"\\n]*)"$`);
const COMMENT = /^\s*%%.*$/;

export interface MermaidCheck {
  entities: string[];
  relations: { parent: string; child: string; label: string }[];
  attributes: Map<string, string[]>;
}

/** Throws with the line number on anything outside the grammar. */
export function checkMermaidErDiagram(text: string): MermaidCheck {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== 'erDiagram') throw new Error(`line 1: expected "erDiagram", got ${JSON.stringify(lines[0])}`);
  const entities: string[] = [];
  const attributes = new Map<string, string[]>();
  const relations: MermaidCheck['relations'] = [];
  let open: string | null = null;
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (COMMENT.test(line)) return;
    if (open) {
      if (line === '    }') {
        open = null;
        return;
      }
      if (!ATTRIBUTE.test(line)) throw new Error(`line ${n}: not an attribute: ${JSON.stringify(line)}`);
      attributes.get(open)!.push(line.trim().split(' ')[1]!);
      return;
    }
    let m = ENTITY_OPEN.exec(line);
    if (m) {
      if (entities.includes(m[1]!)) throw new Error(`line ${n}: entity ${m[1]} declared twice`);
      entities.push(m[1]!);
      attributes.set(m[1]!, []);
      open = m[1]!;
      return;
    }
    m = ENTITY_BARE.exec(line);
    if (m) {
      entities.push(m[1]!);
      attributes.set(m[1]!, []);
      return;
    }
    m = RELATION.exec(line);
    if (m) {
      relations.push({ parent: m[1]!, child: m[2]!, label: m[3]! });
      return;
    }
    throw new Error(`line ${n}: not erDiagram syntax: ${JSON.stringify(line)}`);
  });
  if (open) throw new Error(`entity ${open} is never closed`);
  for (const r of relations) for (const e of [r.parent, r.child]) if (!entities.includes(e)) throw new Error(`relationship names undeclared entity ${e}`);
  for (const [e, attrs] of attributes) if (new Set(attrs).size !== attrs.length) throw new Error(`entity ${e} has a duplicate attribute name`);
  return { entities, relations, attributes };
}
