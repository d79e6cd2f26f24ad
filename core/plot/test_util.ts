/**
 * A tiny SVG reader for the plot tests: parses the markup the plots write into
 * a tree (failing on anything malformed: unclosed or mismatched tags, unquoted
 * attributes, a raw `<` or `&` in text), so tests can check a figure's
 * structure — elements by class, attributes, text — rather than its pixels.
 *
 * @module
 */

/** One element of a parsed SVG. */
export interface SvgElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly SvgElement[];
  /** Text directly inside this element (entities decoded), in order. */
  readonly ownText: string;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (/[<>]/.test(s)) throw new SyntaxError(`raw < or > in text near ${where}: ${s.slice(0, 40)}`);
  return s.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) throw new SyntaxError(`bare & near ${where}: ${s.slice(0, 40)}`);
    if (name in ENTITY) return ENTITY[name];
    const num = /^#(\d+)$/.exec(name);
    if (num) return String.fromCodePoint(Number(num[1]));
    throw new SyntaxError(`unknown entity &${name}; near ${where}`);
  });
}

/**
 * Parses an SVG document into its root element.
 *
 * @param svg the markup
 * @returns the root `<svg>` element
 * @throws {SyntaxError} on malformed markup
 */
export function parseSvg(svg: string): SvgElement {
  type Building = {
    name: string;
    attrs: Record<string, string>;
    children: SvgElement[];
    text: string[];
  };
  const root: Building = { name: "#document", attrs: {}, children: [], text: [] };
  const stack: Building[] = [root];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[a-zA-Z][\w:-]*="[^"]*")*)\s*(\/?)>/y;
  const attr = /\s+([a-zA-Z][\w:-]*)="([^"]*)"/g;
  let at = 0;
  while (at < svg.length) {
    const lt = svg.indexOf("<", at);
    const raw = svg.slice(at, lt === -1 ? svg.length : lt);
    stack.at(-1)!.text.push(decode(raw, at));
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new SyntaxError(`malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [whole, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop()!;
      if (open.name !== name) throw new SyntaxError(`</${name}> closes <${open.name}> at ${lt}`);
      stack.at(-1)!.children.push(finish(open));
    } else {
      const attrs: Record<string, string> = {};
      for (const [, k, v] of attrText.matchAll(attr)) {
        if (k in attrs) throw new SyntaxError(`duplicate attribute ${k} at ${lt}`);
        attrs[k] = decode(v, lt);
      }
      const el: Building = { name, attrs, children: [], text: [] };
      if (selfClose) stack.at(-1)!.children.push(finish(el));
      else stack.push(el);
    }
    at = lt + whole.length;
  }
  if (stack.length !== 1) throw new SyntaxError(`unclosed <${stack.at(-1)!.name}>`);
  const top = root.children.filter((c) => c.name === "svg");
  if (top.length !== 1 || root.children.length !== 1) {
    throw new SyntaxError("expected exactly one root <svg> element");
  }
  return top[0];

  function finish(b: Building): SvgElement {
    return { name: b.name, attrs: b.attrs, children: b.children, ownText: b.text.join("") };
  }
}

/**
 * All elements under `root` (itself included) that pass `pred`, in document order.
 *
 * @param root where to search
 * @param pred the test, or a class name to match
 * @returns the matching elements
 */
export function findAll(
  root: SvgElement,
  pred: string | ((e: SvgElement) => boolean),
): SvgElement[] {
  const test = typeof pred === "string"
    ? (e: SvgElement) => (e.attrs.class ?? "").split(" ").includes(pred)
    : pred;
  const out: SvgElement[] = [];
  const walk = (e: SvgElement) => {
    if (test(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}

/**
 * The text of an element and its descendants, as a reader sees it.
 *
 * @param e the element
 * @returns the concatenated text
 */
export function textOf(e: SvgElement): string {
  // Own text first, then the children's: enough for the plots, which never interleave.
  return e.ownText + e.children.map(textOf).join("");
}

/**
 * A numeric attribute.
 *
 * @param e the element
 * @param name the attribute
 * @returns its value as a number
 * @throws {Error} when missing or not a finite number
 */
export function num(e: SvgElement, name: string): number {
  const v = Number(e.attrs[name]);
  if (e.attrs[name] === undefined || !Number.isFinite(v)) {
    throw new Error(`<${e.name}> has ${name}=${JSON.stringify(e.attrs[name])}, expected a number`);
  }
  return v;
}
