/**
 * Kata 14, step 14.1: the scalar Value with its local gradients stored per
 * child. Run `deno test katas/14`.
 *
 * @module
 */

import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import { numericGrad } from "./_checks.ts";
import { sum, Value } from "./autograd.ts";

function same(name: string, actual: unknown, expected: unknown): void {
  if (!Object.is(actual, expected)) {
    throw new KataAssertionError(`${name}: expected ${expected}, got ${actual}`);
  }
}

Deno.test("14.1 each op stores its children and the local gradient beside each child", () => {
  const a = new Value(3), b = new Value(-2);
  const m = a.mul(b);
  same("a.mul(b).data", m.data, -6);
  same("a.mul(b).children[0]", m.children[0], a);
  same("a.mul(b).children[1]", m.children[1], b);
  same("a.mul(b).localGrads[0] (d/da = b)", m.localGrads[0], -2);
  same("a.mul(b).localGrads[1] (d/db = a)", m.localGrads[1], 3);
  const s = a.add(b);
  same("a.add(b).data", s.data, 1);
  same("a.add(b).localGrads", s.localGrads.join(), "1,1");
  const p = a.pow(3);
  same("a.pow(3).data", p.data, 27);
  same("a.pow(3).localGrads[0] (3 * a ** 2)", p.localGrads[0], 27);
  const e = new Value(0.5).exp();
  same("exp(0.5).data", e.data, Math.exp(0.5));
  same("exp(0.5).localGrads[0] (exp itself)", e.localGrads[0], Math.exp(0.5));
  const l = new Value(4).log();
  same("log(4).data", l.data, Math.log(4));
  same("log(4).localGrads[0] (1 / 4)", l.localGrads[0], 0.25);
  same("relu(-1).data", new Value(-1).relu().data, 0);
  same("relu(-1).localGrads[0]", new Value(-1).relu().localGrads[0], 0);
  same("relu(2).localGrads[0]", new Value(2).relu().localGrads[0], 1);
  const n = a.add(5);
  same("a.add(5): the number becomes a child Value", n.children[1]?.data, 5);
  same("a.add(5).data", n.data, 8);
});

Deno.test("14.1 neg, sub and div are made from mul, add and pow as Python evaluates them", () => {
  const a = new Value(0.1), b = new Value(0.3);
  same("a.neg() is a * -1", a.neg().children[1]?.data, -1);
  same("a.sub(b).data is a + (-b)", a.sub(b).data, 0.1 + -0.3);
  same("a.sub(0.7).data", a.sub(0.7).data, 0.1 + -0.7);
  same("a.div(b).data is a * b ** -1 (not a / b)", a.div(b).data, 0.1 * 0.3 ** -1);
  same("a.div(b).children[1] is b.pow(-1)", a.div(b).children[1]?.children[0], b);
  same("a.div(3).data is a * 3 ** -1", a.div(3).data, 0.1 * 3 ** -1);
});

Deno.test("14.1 backward gives every leaf its gradient (finite differences)", () => {
  const a = new Value(0.7), b = new Value(-1.3), c = new Value(0.4), d = new Value(2.1);
  const f = () => {
    const t = a.mul(b).add(c.exp()); // a*b + e^c
    const u = t.mul(t).add(1).log(); // log(t² + 1)
    const v = d.sub(a).relu().div(c.add(2)); // relu(d - a) / (c + 2)
    return u.add(v).mul(b.pow(2)).sub(a.neg()); // (u + v) * b² + a
  };
  const out = f();
  out.backward();
  same("out.grad after backward", out.grad, 1);
  for (const [name, x] of [["a", a], ["b", b], ["c", c], ["d", d]] as const) {
    assertClose(`${name}.grad`, x.grad, numericGrad(() => f().data, x), 1e-6);
  }
});

Deno.test("14.1 a Value used on several paths adds up their gradients, once each", () => {
  const x = new Value(3);
  const y = x.mul(x).add(x); // x² + x: dy/dx = 2x + 1
  y.backward();
  same("x.grad for x*x + x", x.grad, 7);
  const a = new Value(2);
  const b = a.mul(3), c = a.add(1);
  const d = b.mul(c).add(b); // b*c + b with b = 3a, c = a+1: d' = 3(a+1) + 3a + 3 = 6a + 6
  d.backward();
  same("a.grad when a reaches d by a diamond", a.grad, 18);
  same("b.grad (c + 1)", b.grad, 4);
});

Deno.test("14.1 sum is Python's sum: 0 + v0 first, then left to right", () => {
  const vs = [0.1, 0.2, 0.3].map((x) => new Value(x));
  const s = sum(vs);
  same("sum([0.1, 0.2, 0.3]).data", s.data, ((0 + 0.1) + 0.2) + 0.3);
  s.backward();
  same("each grad", vs.map((v) => v.grad).join(), "1,1,1");
  const first = s.children[0]?.children[0];
  same("the first node is v0 + 0 (v0.__radd__(0)): its children", first?.children[0], vs[0]);
  same("... and the 0", first?.children[1]?.data, 0);
});
