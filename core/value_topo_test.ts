import { deepEqual, equal, ok } from "node:assert/strict";
import { topologicalOrder, Value } from "./value.ts";

/** Every node comes after all of its children. */
function isTopological(order: Value[]): boolean {
  const position = new Map(order.map((v, i) => [v, i]));
  return order.every((v, i) => v.children.every((c) => (position.get(c) ?? Infinity) < i));
}

Deno.test("topologicalOrder() lists a shared node once, after its children", () => {
  const a = new Value(2), b = new Value(3);
  const ab = a.mul(b);
  const y = ab.add(ab.tanh()).mul(a); // ab and a are each reached twice
  const order = topologicalOrder(y);
  equal(new Set(order).size, order.length, "no node twice");
  equal(order.length, 6); // a, b, ab, tanh(ab), ab + tanh(ab), y
  ok(isTopological(order));
  equal(order.at(-1), y);
});

Deno.test("topologicalOrder() gives the same answer when called again or on a subgraph", () => {
  const xs = Array.from({ length: 6 }, (_, i) => new Value(i + 1));
  const mid = xs.slice(0, 3).reduce((s, x) => s.add(x.mul(x)));
  const y = xs.slice(3).reduce((s, x) => s.mul(x), mid).relu();
  const first = topologicalOrder(y);
  const sub = topologicalOrder(mid);
  deepEqual(topologicalOrder(y), first, "repeat call");
  ok(sub.every((v) => first.includes(v)), "subgraph nodes are in the full order");
  ok(isTopological(first) && isTopological(sub));
  // Interleaved traversals of overlapping graphs do not confuse each other's marks.
  const other = mid.mul(2);
  equal(topologicalOrder(other).length, sub.length + 2);
  equal(topologicalOrder(y).length, first.length);
});

Deno.test("backward() through a shared subgraph adds every path's gradient", () => {
  const x = new Value(0.5);
  const t = x.tanh();
  const y = t.mul(t).add(t); // dy/dx = (2t + 1)(1 - t²)
  y.backward();
  const tt = Math.tanh(0.5);
  ok(Math.abs(x.grad - (2 * tt + 1) * (1 - tt * tt)) < 1e-12, `x.grad ${x.grad}`);
});

Deno.test("topologicalOrder() handles a 200,000-node chain without overflowing the stack", () => {
  const x = new Value(1);
  let y = x;
  for (let i = 0; i < 100_000; i++) y = y.add(1);
  const order = topologicalOrder(y);
  equal(order.length, 200_001); // x, 100,000 constants, 100,000 sums
  y.backward();
  equal(x.grad, 1);
});
