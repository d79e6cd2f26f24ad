// Kata 01, step 01.8: whole graphs — micrograd's own known answers, and
// gradients against central finite differences on seeded random expressions.
import { assertClose } from "../_lib/assert.ts";
import { describeProgram, evalNumbers, evalValues, randomProgram } from "./_random_graph.ts";
import { Value } from "./value.ts";

Deno.test("01.8 micrograd's sanity check: y = -20 and dy/dx = 46 at x = -4", () => {
  const x = new Value(-4);
  const z = x.mul(2).add(2).add(x); // 2*x + 2 + x
  const q = z.relu().add(z.mul(x));
  const h = z.mul(z).relu();
  const y = h.add(q).add(q.mul(x));
  y.backward();
  assertClose("y.data", y.data, -20, 1e-12);
  assertClose("x.grad", x.grad, 46, 1e-12);
});

Deno.test("01.8 micrograd's README expression: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
  const a = new Value(-4), b = new Value(2);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1)); // c += c + 1
  c = c.add(new Value(1).add(c).add(a.neg())); // c += 1 + c + (-a)
  d = d.add(d.mul(2).add(b.add(a).relu())); // d += d * 2 + (b + a).relu()
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu())); // d += 3 * d + (b - a).relu()
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2);
  g = g.add(new Value(10).div(f)); // g += 10.0 / f
  g.backward();
  // Exact double-precision values (forward-mode derivatives written out by hand).
  assertClose("g.data", g.data, 24.70408163265306, 1e-6);
  assertClose("a.grad", a.grad, 138.8338192419825, 1e-6);
  assertClose("b.grad", b.grad, 645.5772594752186, 1e-6);
});

/** Builds a seeded random expression and compares every leaf's grad with finite differences. */
function checkRandomGraph(seed: number, size: number) {
  const p = randomProgram(seed, size);
  const leaves = p.leaves.map((x) => new Value(x));
  const y = evalValues(p, leaves);
  const where = `random graph (seed ${seed}, ${size} ops: ${describeProgram(p)})`;
  assertClose(`${where}: y.data`, y.data, evalNumbers(p, p.leaves), 1e-9);
  y.backward();
  const h = 1e-6;
  p.leaves.forEach((x, i) => {
    const plus = [...p.leaves], minus = [...p.leaves];
    plus[i] = x + h;
    minus[i] = x - h;
    const fd = (evalNumbers(p, plus) - evalNumbers(p, minus)) / (2 * h);
    assertClose(`${where}: leaf ${i} grad vs central difference`, leaves[i].grad, fd, 1e-5);
  });
}

Deno.test("01.8 gradients match finite differences on small random expressions (5 ops)", () => {
  for (let seed = 1; seed <= 20; seed++) checkRandomGraph(seed, 5);
});

Deno.test("01.8 gradients match finite differences on random expressions (40 ops)", () => {
  for (let seed = 100; seed < 110; seed++) checkRandomGraph(seed, 40);
});

Deno.test("01.8 gradients match finite differences on large random expressions (300 ops)", () => {
  for (let seed = 1000; seed < 1004; seed++) checkRandomGraph(seed, 300);
});
