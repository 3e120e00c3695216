// A small strict XML reader for tests (no XML parser is installed): checks
// well-formedness — one root, balanced tags, quoted unique attributes, known
// entities — and returns the element tree.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;]*);/g, (_, e: string) => {
    if (e in ENTITY) return ENTITY[e]!;
    if (/^#x[0-9a-f]+$/i.test(e)) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (/^#\d+$/.test(e)) return String.fromCodePoint(Number(e.slice(1)));
    throw new Error(`unknown entity &${e}; near ${at}`);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.includes('&') && !/&([a-z]+|#\d+|#x[0-9a-f]+);/i.test(text)) throw new Error(`bare & near ${i}`);
    if (stack.length) stack[stack.length - 1]!.text += decode(text, i);
    else if (text.trim()) throw new Error(`text outside the root near ${i}`);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim()) throw new Error(`</${tag.slice(1)}> does not close <${open?.name}> at ${lt}`);
      if (!stack.length) root = open;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)([\s\S]*)$/.exec(body);
    if (!m) throw new Error(`bad tag <${tag}> at ${lt}`);
    const attrs: Record<string, string> = {};
    const rest = m[2]!.trim();
    const re = /([A-Za-z_][\w.:-]*)="([^"<]*)"\s*/y;
    let pos = 0;
    while (pos < rest.length) {
      re.lastIndex = pos;
      const a = re.exec(rest);
      if (!a) throw new Error(`bad attributes in <${m[1]}> at ${lt}: ${rest.slice(pos, pos + 40)}`);
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
      attrs[a[1]!] = decode(a[2]!, lt);
      pos = re.lastIndex;
    }
    const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error('more than one root element');
    if (selfClosing) {
      if (!stack.length) root = el;
    } else stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
