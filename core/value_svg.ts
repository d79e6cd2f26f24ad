/**
 * An SVG picture of a `Value` graph (micrograd's `draw_dot`, without Graphviz):
 * one record box per value (`label | data 2.0000 | grad 1.0000`), one small
 * ellipse per operation, edges left to right.
 *
 * @module
 */
import { topologicalOrder } from "./topological_order.ts";
import { describe } from "./describe.ts";

/**
 * What `valueToSvg` reads from a node. The library's `Value` has these
 * members, and so does the `Value` you write in kata 01.
 */
export interface ValueNode {
  /** The scalar. */
  readonly data: number;
  /** Its gradient. */
  readonly grad: number;
  /** A display name (may be empty). */
  readonly label: string;
  /** The operation that produced it (`""` for leaves). */
  readonly op: string;
  /** Its operands. */
  readonly children: readonly ValueNode[];
}

/** One box or ellipse of the picture. */
interface Box {
  kind: "value" | "op";
  cells: string[]; // value: [label, "data …", "grad …"]; op: [op]
  cellWidths: number[];
  width: number;
  rank: number;
  inputs: Box[]; // the boxes with an edge into this one
  x: number;
  y: number;
}

const CHAR_W = 7.2; // width of one character of 12px monospace
const PAD = 8; // horizontal padding inside a cell
const BOX_H = 26;
const ROW_GAP = 14;
const COL_GAP = 48;
const MARGIN = 12;

/**
 * Draws the graph that produced `root` as a standalone SVG document, laid out
 * in layers from left to right: a node's column is the longest path to it from
 * a leaf (leaves themselves sit just left of their first use, as Graphviz puts
 * them). Write the string to a `.svg` file and open it in a browser.
 *
 * @param root the output node (e.g. the loss)
 * @returns the SVG document
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { Value } from "./value.ts";
 * import { valueToSvg } from "./value_svg.ts";
 * const a = new Value(2, [], "", "a"), b = new Value(-3, [], "", "b");
 * const svg = valueToSvg(a.mul(b));
 * ok(svg.startsWith("<svg"));
 * equal(svg.match(/<rect /g)?.length, 3); // a, b and a*b
 * equal(svg.match(/<ellipse /g)?.length, 1); // the "*"
 * // Deno.writeTextFileSync("graph.svg", svg);
 * ```
 */
export function valueToSvg(root: ValueNode): string {
  if (
    typeof root !== "object" || root === null || typeof root.data !== "number" ||
    !Array.isArray(root.children)
  ) {
    throw new TypeError(
      `valueToSvg: root must be a Value (data, grad, label, op, children), got ${describe(root)}`,
    );
  }
  const boxes = layout(root);
  const width = r(maxOf(boxes.map((b) => b.x + b.width)) + MARGIN);
  const height = r(maxOf(boxes.map((b) => b.y + BOX_H)) + MARGIN);
  const edges: string[] = [], shapes: string[] = [];
  for (const box of boxes) {
    for (const from of box.inputs) edges.push(edge(from, box));
    shapes.push(box.kind === "value" ? record(box) : ellipse(box));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12" ` +
    `style="background:#fff">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" ` +
    `markerHeight="7" orient="auto"><polygon points="0,0 10,5 0,10" fill="#555"/></marker></defs>`,
    `<g fill="none" stroke="#555" stroke-width="1.2">`,
    ...edges,
    `</g>`,
    ...shapes,
    `</svg>`,
    "",
  ].join("\n");
}

/** Graphs with more nodes than this display in `deno jupyter` as text only. */
export const DISPLAY_MAX_NODES = 500;

/**
 * The Jupyter MIME bundle of a `Value` (what `deno jupyter` shows when a cell
 * ends with one): its graph as `image/svg+xml` and `Value(data=…, grad=…)` as
 * `text/plain`. A graph of more than `DISPLAY_MAX_NODES` nodes (a whole
 * training step) is too big to read inline: it shows as text, with a note.
 *
 * @param root the value
 * @returns the MIME bundle
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { Value } from "./value.ts";
 * import { valueDisplay } from "./value_svg.ts";
 * const bundle = valueDisplay(new Value(2, [], "", "a").mul(3));
 * ok(bundle["image/svg+xml"].startsWith("<svg"));
 * equal(bundle["text/plain"], "Value(data=6, grad=0)");
 * ```
 */
export function valueDisplay(root: ValueNode): Record<string, string> {
  const plain = String(root);
  const nodes = topologicalOrder(root).length;
  if (nodes > DISPLAY_MAX_NODES) {
    return {
      "text/plain": `${plain}\n(a graph of ${nodes} values, too many to draw inline; ` +
        `valueToSvg(v) draws it)`,
    };
  }
  return { "image/svg+xml": valueToSvg(root), "text/plain": plain };
}

/** Boxes with their rank, row and coordinates; inputs before the boxes that use them. */
function layout(root: ValueNode): Box[] {
  const valueBox = new Map<ValueNode, Box>();
  const boxes: Box[] = [];
  for (const v of topologicalOrder(root)) {
    const cells = [v.label, `data ${num(v.data)}`, `grad ${num(v.grad)}`];
    const inputs = [...new Set(v.children)].map((c) => valueBox.get(c)!);
    let into = inputs;
    let rank = inputs.length ? Math.max(...inputs.map((b) => b.rank)) + 1 : 0;
    if (v.op !== "") {
      const op = makeBox("op", [v.op], inputs, rank);
      boxes.push(op);
      into = [op];
      rank += 1;
    }
    const box = makeBox("value", cells, into, rank);
    boxes.push(box);
    valueBox.set(v, box);
  }
  // A leaf sits just left of its first user, not in column 0 (shorter edges, as Graphviz does).
  const firstUse = new Map<Box, number>();
  for (const b of boxes) {
    for (const i of b.inputs) firstUse.set(i, Math.min(firstUse.get(i) ?? b.rank, b.rank));
  }
  for (const b of boxes) {
    if (b.inputs.length === 0 && firstUse.has(b)) b.rank = firstUse.get(b)! - 1;
  }
  // Columns, each ordered by the mean row of its boxes' inputs (leaves last), then by appearance.
  const byRank: Box[][] = [];
  for (const b of boxes) (byRank[b.rank] ??= []).push(b);
  const columns = byRank.filter((col) => col !== undefined);
  const row = new Map<Box, number>();
  columns.forEach((col, r) => {
    if (r > 0) {
      const mean = (b: Box) =>
        b.inputs.length === 0
          ? Infinity
          : b.inputs.reduce((s, i) => s + row.get(i)!, 0) / b.inputs.length;
      const key = new Map(col.map((b) => [b, mean(b)]));
      col.sort((p, q) => key.get(p)! - key.get(q)! || 0); // stable: ties keep their order
    }
    col.forEach((b, i) => row.set(b, i));
  });
  const tallest = maxOf(columns.map((c) => c.length));
  let x = MARGIN;
  for (const col of columns) {
    const colWidth = maxOf(col.map((b) => b.width));
    const top = MARGIN + ((tallest - col.length) * (BOX_H + ROW_GAP)) / 2;
    col.forEach((b, i) => {
      b.x = x + (colWidth - b.width) / 2;
      b.y = top + i * (BOX_H + ROW_GAP);
    });
    x += colWidth + COL_GAP;
  }
  return boxes;
}

function makeBox(
  kind: Box["kind"],
  cells: string[],
  inputs: Box[],
  rank: number,
): Box {
  const cellWidths = cells.map((c) =>
    Math.max(kind === "op" ? 28 : 16, c.length * CHAR_W + 2 * PAD)
  );
  const width = cellWidths.reduce((s, w) => s + w, 0);
  return { kind, cells, cellWidths, width, rank, inputs, x: 0, y: 0 };
}

function record(b: Box): string {
  const parts = [
    `<g class="value"><rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${BOX_H}" ` +
    `fill="#fff" stroke="#333"/>`,
  ];
  let x = b.x;
  b.cells.forEach((text, i) => {
    if (i > 0) {
      parts.push(
        `<line x1="${r(x)}" y1="${r(b.y)}" x2="${r(x)}" y2="${r(b.y + BOX_H)}" stroke="#333"/>`,
      );
    }
    parts.push(label(x + b.cellWidths[i] / 2, b.y + BOX_H / 2, text));
    x += b.cellWidths[i];
  });
  parts.push(`</g>`);
  return parts.join("");
}

function ellipse(b: Box): string {
  const cx = b.x + b.width / 2, cy = b.y + BOX_H / 2;
  return `<g class="op"><ellipse cx="${r(cx)}" cy="${r(cy)}" rx="${r(b.width / 2)}" ` +
    `ry="${BOX_H / 2 - 2}" fill="#eef" stroke="#333"/>${label(cx, cy, b.cells[0])}</g>`;
}

function edge(from: Box, to: Box): string {
  const x1 = from.x + from.width, y1 = from.y + BOX_H / 2;
  const x2 = to.x, y2 = to.y + BOX_H / 2;
  const dx = Math.max(12, (x2 - x1) / 2);
  return `<path d="M${r(x1)},${r(y1)} C${r(x1 + dx)},${r(y1)} ${r(x2 - dx)},${r(y2)} ` +
    `${r(x2)},${r(y2)}" marker-end="url(#arrow)"/>`;
}

function label(cx: number, cy: number, text: string): string {
  return `<text x="${r(cx)}" y="${r(cy + 4)}" text-anchor="middle">${escapeXml(text)}</text>`;
}

/** `Math.max(...xs)` without spreading (a million arguments overflow the stack). */
function maxOf(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function num(x: number): string {
  return x.toFixed(4);
}

function r(x: number): string {
  return String(Math.round(x * 10) / 10);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
