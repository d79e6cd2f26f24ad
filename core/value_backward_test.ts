import { equal, ok } from "node:assert/strict";
import { Value } from "./value.ts";

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

Deno.test("backward() runs each node's step once, however many paths reach it", () => {
  const x = new Value(0.5);
  const t = x.tanh();
  const y = t.mul(t).add(t).add(x); // t is reached three times, x twice
  y.backward();
  const tt = Math.tanh(0.5);
  ok(near(x.grad, (2 * tt + 1) * (1 - tt * tt) + 1), `x.grad ${x.grad}`);
  ok(near(t.grad, 2 * tt + 1), `t.grad ${t.grad}`);
});

Deno.test("backward() called again after a reset gives the same gradients", () => {
  const a = new Value(1.5), b = new Value(-2);
  const ab = a.mul(b), e = a.exp(), s = ab.add(e), y = s.relu();
  y.backward();
  const ga = a.grad, gb = b.grad;
  ok(near(ga, b.data + Math.exp(1.5)) && near(gb, a.data), `${ga} ${gb}`);
  for (const v of [a, b, ab, e, s, y]) v.grad = 0;
  y.backward(); // a second traversal of the same nodes must visit them all again
  ok(near(a.grad, ga) && near(b.grad, gb), `${a.grad} ${b.grad}`);
});

Deno.test("backward() on overlapping graphs, one after the other, visits each whole graph", () => {
  const x = new Value(2);
  const shared = x.mul(x); // dshared/dx = 4
  const y1 = shared.add(1);
  const y2 = shared.mul(3).add(y1); // y2 contains y1's whole graph
  y1.backward();
  equal(x.grad, 4);
  x.grad = shared.grad = y1.grad = 0;
  y2.backward();
  equal(x.grad, 16); // d(3x² + x² + 1)/dx = 8x
});

Deno.test("backward() through a 200,000-node chain does not overflow the stack", () => {
  const x = new Value(1);
  let y = x;
  for (let i = 0; i < 100_000; i++) y = y.mul(1).add(0);
  y.backward();
  equal(x.grad, 1);
});
