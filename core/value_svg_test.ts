import { deepEqual, equal, ok } from "node:assert/strict";
import { Value } from "./value.ts";
import { DISPLAY_MAX_NODES, type ValueNode, valueToSvg } from "./value_svg.ts";

const count = (svg: string, re: RegExp) => svg.match(re)?.length ?? 0;

/** Checks that tags nest and close, attributes are quoted, and text holds no raw `<` or `&`. */
function assertWellFormed(svg: string): void {
  ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), "starts with <svg xmlns=…>");
  const stack: string[] = [];
  const tag =
    /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/gy;
  let at = 0;
  while (at < svg.length) {
    const lt = svg.indexOf("<", at);
    const text = svg.slice(at, lt === -1 ? svg.length : lt);
    ok(!/&(?!(?:amp|lt|gt|quot|apos);)/.test(text) && !text.includes(">"), `raw text: ${text}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    ok(m, `malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [whole, close, name, , selfClose] = m;
    if (close) equal(stack.pop(), name, `</${name}> closes <${stack.at(-1)}>`);
    else if (!selfClose) stack.push(name);
    at = lt + whole.length;
  }
  deepEqual(stack, [], "every tag is closed");
}

/** The x of each value box, by its label. */
function boxX(svg: string): Map<string, number> {
  const re = /<g class="value"><rect x="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)<\/text>/g;
  return new Map([...svg.matchAll(re)].map((m) => [m[2], Number(m[1])]));
}

function neuron() {
  const leaf = (d: number, l: string) => new Value(d, [], "", l);
  const x1 = leaf(2, "x1"), x2 = leaf(0, "x2"), w1 = leaf(-3, "w1"), w2 = leaf(1, "w2");
  const b = leaf(6.8813735870195432, "b");
  const x1w1 = x1.mul(w1), x2w2 = x2.mul(w2);
  const sum = x1w1.add(x2w2), n = sum.add(b), o = n.tanh();
  x1w1.label = "x1w1";
  sum.label = "sum";
  n.label = "n";
  o.label = "o";
  o.backward();
  return o;
}

Deno.test("valueToSvg() draws one rect per value, one ellipse per op, one path per edge", () => {
  const svg = valueToSvg(neuron());
  assertWellFormed(svg);
  equal(count(svg, /<rect /g), 10); // 5 leaves + x1w1, x2w2, sum, n, o
  equal(count(svg, /<ellipse /g), 5); // *, *, +, +, tanh
  equal(count(svg, /<path /g), 5 + 9); // op -> value, plus 2+2+2+2+1 operands -> op
  equal(count(svg, /marker-end="url\(#arrow\)"/g), 14);
  equal(count(svg, /<marker /g), 1);
});

Deno.test("valueToSvg() writes each record as label | data | grad with 4 decimals", () => {
  const svg = valueToSvg(neuron());
  for (
    const t of ["o", "data 0.7071", "grad 1.0000", "x1", "data 2.0000", "grad -1.5000", "tanh"]
  ) {
    ok(svg.includes(`>${t}</text>`), `a <text> reads "${t}"`);
  }
  equal(count(svg, /<line /g), 2 * 10); // two cell separators per record
});

Deno.test("valueToSvg() lays columns out by the longest path from a leaf", () => {
  const x = boxX(valueToSvg(neuron()));
  for (const [a, b] of [["x1", "x1w1"], ["x1w1", "sum"], ["sum", "n"], ["n", "o"], ["b", "n"]]) {
    ok(x.get(a)! < x.get(b)!, `${a} (x=${x.get(a)}) is left of ${b} (x=${x.get(b)})`);
  }
  equal(x.get("x1"), Math.min(...x.values()), "the deepest leaf is in the first column");
});

Deno.test("valueToSvg() draws a value used twice with a single edge into the op", () => {
  const a = new Value(3, [], "", "a");
  const svg = valueToSvg(a.add(a));
  assertWellFormed(svg);
  equal(count(svg, /<rect /g), 2);
  equal(count(svg, /<ellipse /g), 1);
  equal(count(svg, /<path /g), 2);
});

Deno.test("valueToSvg() escapes labels and ops for XML", () => {
  const a = new Value(1, [], "", `<a & "b">`), y = a.mul(2);
  const svg = valueToSvg(y);
  assertWellFormed(svg);
  ok(svg.includes(">&lt;a &amp; &quot;b&quot;&gt;</text>"), "label escaped");
  ok(!svg.includes(`<a & "b">`));
});

Deno.test("valueToSvg() draws a single leaf, NaN and infinities", () => {
  const svg = valueToSvg(new Value(NaN, [], "", "x"));
  assertWellFormed(svg);
  equal(count(svg, /<rect /g), 1);
  equal(count(svg, /<ellipse |<path /g), 0);
  ok(svg.includes(">data NaN</text>"));
  ok(valueToSvg(new Value(-Infinity)).includes(">data -Infinity</text>"));
});

Deno.test("valueToSvg() accepts any graph of the ValueNode shape (a kata's own Value)", () => {
  const a: ValueNode = { data: 2, grad: 3, label: "a", op: "", children: [] };
  const y: ValueNode = { data: 4, grad: 1, label: "y", op: "*", children: [a, a] };
  const svg = valueToSvg(y);
  assertWellFormed(svg);
  ok(svg.includes(">grad 3.0000</text>"));
  equal(count(svg, /<rect /g), 2);
});

Deno.test("valueToSvg() handles a 20,000-node chain without overflowing the stack", () => {
  let y = new Value(0);
  for (let i = 0; i < 20_000; i++) y = y.add(1);
  const svg = valueToSvg(y);
  equal(count(svg, /<rect /g), 40_001);
  equal(count(svg, /<ellipse /g), 20_000);
});

Deno.test("a Value displays in deno jupyter as its graph's SVG", () => {
  const a = new Value(2, [], "", "a"), b = new Value(-3, [], "", "b");
  const c = a.mul(b);
  const bundle = (c as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]();
  deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  equal(bundle["image/svg+xml"], valueToSvg(c));
  equal(bundle["text/plain"], "Value(data=-6, grad=0)");
});

Deno.test("a Value with a graph too big to read inline displays as text", () => {
  let v = new Value(1);
  for (let i = 0; i < DISPLAY_MAX_NODES; i++) v = v.add(1); // 2n + 1 nodes
  const bundle = (v as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]();
  deepEqual(Object.keys(bundle), ["text/plain"]);
  equal(
    bundle["text/plain"],
    `Value(data=${DISPLAY_MAX_NODES + 1}, grad=0)\n(a graph of ${
      2 * DISPLAY_MAX_NODES + 1
    } values, too many to draw inline; valueToSvg(v) draws it)`,
  );
});
