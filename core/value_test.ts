import { equal, ok, throws } from "node:assert/strict";
import { topologicalOrder, Value } from "./value.ts";

/** |actual - expected| <= tol · max(1, |expected|). */
function close(actual: number, expected: number, tol = 1e-9, what = "value") {
  ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

/** mulberry32: a seeded generator of floats in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every op: [name, forward on Values, forward on numbers, inputs where it is smooth].
type Unary = [string, (x: Value) => Value, (x: number) => number, number[]];
const UNARY: Unary[] = [
  ["neg", (x) => x.neg(), (x) => -x, [-1.3, 0.7]],
  ["pow(3)", (x) => x.pow(3), (x) => x ** 3, [-1.3, 0.7]],
  ["pow(-1)", (x) => x.pow(-1), (x) => 1 / x, [-1.3, 0.7]],
  ["pow(0.5)", (x) => x.pow(0.5), Math.sqrt, [0.3, 2.2]],
  ["exp", (x) => x.exp(), Math.exp, [-1.3, 0.7]],
  ["log", (x) => x.log(), Math.log, [0.3, 2.2]],
  ["tanh", (x) => x.tanh(), Math.tanh, [-1.3, 0.7]],
  ["relu", (x) => x.relu(), (x) => Math.max(0, x), [-1.3, 0.7]],
  ["sigmoid", (x) => x.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), [-1.3, 0.7]],
  ["add(2.5)", (x) => x.add(2.5), (x) => x + 2.5, [-1.3]],
  ["mul(-1.5)", (x) => x.mul(-1.5), (x) => x * -1.5, [-1.3]],
  ["sub(0.25)", (x) => x.sub(0.25), (x) => x - 0.25, [-1.3]],
  ["div(4)", (x) => x.div(4), (x) => x / 4, [-1.3]],
];
type Binary = [string, (a: Value, b: Value) => Value, (a: number, b: number) => number];
const BINARY: Binary[] = [
  ["add", (a, b) => a.add(b), (a, b) => a + b],
  ["mul", (a, b) => a.mul(b), (a, b) => a * b],
  ["sub", (a, b) => a.sub(b), (a, b) => a - b],
  ["div", (a, b) => a.div(b), (a, b) => a / b],
];

const H = 1e-6;
const central = (f: (x: number) => number, x: number) => (f(x + H) - f(x - H)) / (2 * H);

Deno.test("Value holds data, grad 0, children, op and label; toString shows data and grad", () => {
  const a = new Value(2, [], "", "a"), y = a.mul(3);
  equal(a.data, 2);
  equal(a.grad, 0);
  equal(a.label, "a");
  equal(y.op, "*");
  equal(y.children[0], a);
  equal(String(y), "Value(data=6, grad=0)");
});

Deno.test("each unary op's data and gradient match the math and central differences", () => {
  for (const [name, f, g, xs] of UNARY) {
    for (const x0 of xs) {
      const x = new Value(x0), y = f(x);
      y.backward();
      close(y.data, g(x0), 1e-12, `${name}(${x0}).data`);
      close(x.grad, central(g, x0), 1e-6, `d ${name}(x)/dx at ${x0}`);
    }
  }
});

Deno.test("each binary op's gradients match central differences", () => {
  for (const [name, f, g] of BINARY) {
    const a = new Value(1.7), b = new Value(-0.6), y = f(a, b);
    y.backward();
    close(y.data, g(1.7, -0.6), 1e-12, `${name} data`);
    close(a.grad, central((x) => g(x, -0.6), 1.7), 1e-6, `${name} da`);
    close(b.grad, central((x) => g(1.7, x), -0.6), 1e-6, `${name} db`);
  }
});

Deno.test("backward: the lecture's expression L = (a*b + c) * f", () => {
  const a = new Value(2), b = new Value(-3), c = new Value(10), f = new Value(-2);
  const e = a.mul(b), d = e.add(c), L = d.mul(f);
  L.backward();
  equal(L.data, -8);
  for (const [v, g] of [[L, 1], [d, -2], [f, 4], [c, -2], [e, -2], [a, 6], [b, -4]] as const) {
    equal(v.grad, g);
  }
});

Deno.test("backward: the lecture's neuron, and tanh written with exp gives the same grads", () => {
  for (const viaExp of [false, true]) {
    const x1 = new Value(2), x2 = new Value(0), w1 = new Value(-3), w2 = new Value(1);
    const b = new Value(6.8813735870195432);
    const n = x1.mul(w1).add(x2.mul(w2)).add(b);
    const e = n.mul(2).exp();
    const o = viaExp ? e.sub(1).div(e.add(1)) : n.tanh();
    o.backward();
    close(o.data, Math.SQRT1_2, 1e-12, "o");
    close(x1.grad, -1.5, 1e-9, "x1.grad");
    close(w1.grad, 1, 1e-9, "w1.grad");
    close(x2.grad, 0.5, 1e-9, "x2.grad");
    close(w2.grad, 0, 1e-9, "w2.grad");
  }
});

Deno.test("backward: gradients accumulate over every use of a value", () => {
  const a = new Value(3);
  a.add(a).backward();
  equal(a.grad, 2);
  const p = new Value(-2), q = new Value(3);
  p.mul(q).mul(p.add(q)).backward(); // f = (p q)(p + q)
  equal(p.grad, -3);
  equal(q.grad, -8);
  // x reached by paths of different lengths: y = x*2*3*4 + x*2.
  const x = new Value(1.25), m = x.mul(2), y = m.mul(3).mul(4).add(m);
  y.backward();
  equal(m.grad, 13);
  equal(x.grad, 26);
});

Deno.test("backward: micrograd's sanity check (y = -20, dy/dx = 46)", () => {
  const x = new Value(-4);
  const z = x.mul(2).add(2).add(x);
  const q = z.relu().add(z.mul(x));
  const h = z.mul(z).relu();
  const y = h.add(q).add(q.mul(x));
  y.backward();
  equal(y.data, -20);
  equal(x.grad, 46);
});

Deno.test("backward: micrograd's README expression (g 24.7041, dg/da 138.8338, dg/db 645.5773)", () => {
  const a = new Value(-4), b = new Value(2);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
  const f = c.sub(d).pow(2);
  const g = f.div(2).add(new Value(10).div(f));
  g.backward();
  // Exact double-precision values, from forward-mode derivatives written out by hand.
  close(g.data, 24.70408163265306, 1e-12, "g");
  close(a.grad, 138.8338192419825, 1e-12, "dg/da");
  close(b.grad, 645.5772594752186, 1e-12, "dg/db");
});

Deno.test("backward: a chain of 1,000,000 nodes does not overflow the stack", () => {
  const x = new Value(0.5), step = new Value(1e-6);
  let y = x;
  for (let i = 0; i < 1_000_000; i++) y = y.add(step);
  y.backward();
  close(y.data, 1.5, 1e-9, "y");
  equal(x.grad, 1);
  equal(step.grad, 1_000_000);
});

Deno.test("backward: random expression graphs match central differences (seeded, 3 sizes)", () => {
  const ops = [...UNARY.map((u) => u.slice(1, 3)), ...BINARY.map((b) => b.slice(1, 3))] as [
    (...v: Value[]) => Value,
    (...x: number[]) => number,
  ][];
  for (const [size, seeds] of [[6, 12], [40, 6], [250, 3]]) {
    for (let seed = 0; seed < seeds; seed++) {
      const r = rng(size * 1000 + seed);
      const leaves = Array.from({ length: Math.max(2, size >> 2) }, () => 3 * r() - 1.5);
      // A program of [op, operand indices]; only ops whose inputs are in their smooth range.
      const prog: [number, number[]][] = [];
      const nums = [...leaves];
      while (prog.length < size) {
        const k = Math.floor(r() * ops.length), [, g] = ops[k];
        const args = Array.from(
          { length: g.length },
          () => Math.floor(nums.length * (1 - r() * r())),
        );
        const x = nums[args[0]], y = g(...args.map((i) => nums[i]));
        const name = k < UNARY.length ? UNARY[k][0] : BINARY[k - UNARY.length][0];
        const bad = (name === "log" || name === "pow(0.5)") && x < 0.2 ||
          name === "pow(-1)" && Math.abs(x) < 0.5 || name === "relu" && Math.abs(x) < 1e-3 ||
          name === "div" && Math.abs(nums[args[1]]) < 0.5;
        if (bad || !(Math.abs(y) < 30)) continue;
        prog.push([k, args]);
        nums.push(y);
      }
      const run = <T>(xs: T[], apply: (k: number, a: T[]) => T, sum: (a: T, b: T) => T) => {
        const v = [...xs];
        for (const [k, args] of prog) v.push(apply(k, args.map((i) => v[i])));
        return v.slice(leaves.length).reduce(sum); // every node counts, so every path matters
      };
      const values = leaves.map((x) => new Value(x));
      const out = run(values, (k, a) => ops[k][0](...a), (p, q) => p.add(q));
      const f = (xs: number[]) => run(xs, (k, a) => ops[k][1](...a), (p, q) => p + q);
      out.backward();
      close(out.data, f(leaves), 1e-9, `seed ${seed} size ${size}: data`);
      leaves.forEach((x, i) => {
        const at = (d: number) => f(leaves.map((y, j) => (j === i ? x + d : y)));
        const fd = (at(H) - at(-H)) / (2 * H);
        close(values[i].grad, fd, 1e-5, `seed ${seed} size ${size}: leaf ${i} grad`);
      });
    }
  }
});

Deno.test("topologicalOrder lists each reachable node once, children first, root last", () => {
  const a = new Value(1), b = new Value(2);
  const c = a.mul(b), y = c.add(a).mul(c);
  const order = topologicalOrder(y);
  equal(order.length, 5);
  equal(new Set(order).size, 5);
  equal(order.at(-1), y);
  order.forEach((n, i) => n.children.forEach((ch) => ok(order.indexOf(ch) < i)));
});

Deno.test("new Value() refuses non-numbers with a TypeError that names the input", () => {
  const bad = (x: unknown) => () => new Value(x as number);
  throws(bad("3"), {
    name: "TypeError",
    message: 'Cannot create a Value from the string "3": expected a number',
  });
  throws(bad(undefined), {
    name: "TypeError",
    message: "Cannot create a Value from undefined: expected a number",
  });
  throws(bad({}), {
    name: "TypeError",
    message: "Cannot create a Value from an object (Object): expected a number",
  });
  throws(bad(null), { name: "TypeError", message: /from null/ });
});

Deno.test("operands must be Values or numbers; pow takes only number exponents", () => {
  const a = new Value(2);
  const as = (x: unknown) => x as number;
  throws(() => a.add(as("1")), {
    name: "TypeError",
    message: 'Cannot add a Value and the string "1": expected a Value or a number',
  });
  throws(() => a.mul(as(undefined)), { name: "TypeError", message: /^Cannot multiply a Value/ });
  throws(() => a.sub(as({})), { name: "TypeError", message: /^Cannot subtract a Value and an/ });
  throws(() => a.div(as("x")), { name: "TypeError", message: /^Cannot divide a Value/ });
  throws(() => a.pow(as(new Value(2))), {
    name: "TypeError",
    message: /^Cannot raise a Value to an object \(Value\): only number exponents are supported/,
  });
});

Deno.test("toDot writes one record per value, one node per op and one edge per operand", () => {
  const a = new Value(2, [], "", "a"), b = new Value(-3, [], "", "b");
  const y = a.mul(b).add(a).tanh();
  y.label = "y";
  y.backward();
  const dot = y.toDot();
  ok(dot.startsWith("digraph {\n  rankdir=LR;"));
  ok(dot.endsWith("}"));
  equal(dot.match(/shape=record/g)?.length, 5); // a, b, a*b, +, tanh
  equal(dot.match(/_op \[label=/g)?.length, 3);
  equal(dot.match(/ -> /g)?.length, 3 + 5); // op -> value, then 2 + 2 + 1 operands
  ok(dot.includes(`label="{ y | data ${Math.tanh(-4).toFixed(4)} | grad 1 }"`));
  ok(dot.includes(`label="{ a | data 2 | grad`));
  equal(new Value(1).add(new Value(1)).toDot().match(/ -> /g)?.length, 3);
  const x = new Value(1, [], "", "{x|<y>}");
  ok(x.toDot().includes(String.raw`\{x\|\<y\>\}`), "record characters escaped");
});
