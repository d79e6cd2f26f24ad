// Kata 01, steps 01.2–01.7: Value, backward by hand, tanh, topological sort,
// accumulation, the remaining operations.
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import {
  assertChildren,
  assertLectureGrads,
  assertNeuronGrads,
  assertSame,
  assertTypeError,
  neuron,
  nodesByConstructor,
} from "./_checks.ts";
import { backpropByHand, lectureExpression, topologicalOrder, Value } from "./value.ts";

// ---- 01.2 Value, add, mul, labels ----

Deno.test("01.2 a Value holds its data, grad 0, no children, no op and its label", () => {
  const a = new Value(2);
  assertSame("new Value(2).data", a.data, 2);
  assertSame("new Value(2).grad", a.grad, 0);
  assertSame("new Value(2).children.length", a.children.length, 0);
  assertSame("new Value(2).op", a.op, "");
  assertSame("new Value(-3, [], '', 'b').label", new Value(-3, [], "", "b").label, "b");
  assertSame("String(new Value(-8))", String(new Value(-8)), "Value(data=-8, grad=0)");
});

Deno.test("01.2 add and mul compute the data and remember their operands and op", () => {
  const a = new Value(2.5), b = new Value(-4);
  const s = a.add(b), p = a.mul(b);
  assertClose("a.add(b).data", s.data, -1.5);
  assertClose("a.mul(b).data", p.data, -10);
  assertChildren("a.add(b)", s, [a, b]);
  assertChildren("a.mul(b)", p, [a, b]);
  assertSame("a.add(b).op", s.op, "+");
  assertSame("a.mul(b).op", p.op, "*");
  assertSame("a.add(b).grad", s.grad, 0);
});

Deno.test("01.2 lectureExpression: L = (a*b + c) * f is -8 for a=2, b=-3, c=10, f=-2", () => {
  const x = lectureExpression(2, -3, 10, -2);
  assertClose("e.data", x.e.data, -6);
  assertClose("d.data", x.d.data, 4);
  assertClose("L.data", x.L.data, -8);
  assertChildren("e", x.e, [x.a, x.b]);
  assertChildren("d", x.d, [x.e, x.c]);
  assertChildren("L", x.L, [x.d, x.f]);
  for (const name of ["a", "b", "c", "e", "d", "f", "L"] as const) {
    assertSame(`${name}.label`, x[name].label, name);
  }
  assertClose("L.data for (1.5, 0.25, -3, 7)", lectureExpression(1.5, 0.25, -3, 7).L.data, -18.375);
});

Deno.test("01.2 new Value() refuses a string, undefined or an object with a TypeError", () => {
  const make = (x: unknown) => () => new Value(x as number);
  assertTypeError('new Value("3")', make("3"), /Cannot create a Value.*string/);
  assertTypeError("new Value(undefined)", make(undefined), /Cannot create a Value.*undefined/);
  assertTypeError("new Value({})", make({}), /Cannot create a Value.*object/i);
});

// ---- 01.3 backward by hand, then one node at a time ----

Deno.test("01.3 backpropByHand gives the lecture's grads: a 6, b -4, c -2, e -2, d -2, f 4", () => {
  const x = nodesByConstructor(2, -3, 10, -2);
  backpropByHand(x);
  assertLectureGrads(x, 2, -3, 10, -2);
});

Deno.test("01.3 backpropByHand works from the data, for any a, b, c, f", () => {
  for (const [a, b, c, f] of [[1.5, 0.25, -3, 7], [-0.7, 2.2, 0.1, -1.3]]) {
    const x = nodesByConstructor(a, b, c, f);
    backpropByHand(x);
    assertLectureGrads(x, a, b, c, f);
  }
});

Deno.test("01.3 add's backwardStep passes out.grad to both operands", () => {
  const a = new Value(1.5), b = new Value(-4);
  const out = a.add(b);
  out.grad = 2.5;
  out.backwardStep();
  assertClose("a.grad", a.grad, 2.5);
  assertClose("b.grad", b.grad, 2.5);
});

Deno.test("01.3 mul's backwardStep gives each operand out.grad times the other's data", () => {
  const a = new Value(1.5), b = new Value(-4);
  const out = a.mul(b);
  out.grad = 2.5;
  out.backwardStep();
  assertClose("a.grad (b.data · out.grad)", a.grad, -10);
  assertClose("b.grad (a.data · out.grad)", b.grad, 3.75);
});

Deno.test("01.3 backwardStep node by node from L down gives the grads by hand", () => {
  const x = lectureExpression(2, -3, 10, -2);
  x.L.grad = 1;
  for (const node of [x.L, x.d, x.f, x.e, x.c, x.a, x.b]) node.backwardStep(); // leaves: no-ops
  assertLectureGrads(x, 2, -3, 10, -2);
});

// ---- 01.4 tanh and the neuron ----

Deno.test("01.4 tanh computes Math.tanh and records its operand and op", () => {
  for (const v of [0.5, -2, 0, 3.1]) {
    const x = new Value(v), t = x.tanh();
    assertClose(`tanh(${v})`, t.data, Math.tanh(v), 1e-12);
    assertChildren(`new Value(${v}).tanh()`, t, [x]);
    assertSame(`tanh().op`, t.op, "tanh");
  }
});

Deno.test("01.4 tanh's backwardStep multiplies out.grad by 1 - tanh²", () => {
  const x = new Value(0.7), t = x.tanh();
  t.grad = 2;
  t.backwardStep();
  assertClose("x.grad", x.grad, 2 * (1 - Math.tanh(0.7) ** 2), 1e-12);
});

Deno.test("01.4 the neuron o = tanh(x1*w1 + x2*w2 + b) is 0.7071", () => {
  const x = neuron();
  assertClose("n.data", x.n.data, 0.8813735870195432, 1e-12);
  assertClose("o.data", x.o.data, Math.SQRT1_2, 1e-12);
});

Deno.test("01.4 backwardStep node by node through the neuron: x1 -1.5, w1 1, x2 0.5, w2 0", () => {
  const x = neuron();
  x.o.grad = 1;
  for (const node of [x.o, x.n, x.sum, x.x1w1, x.x2w2]) node.backwardStep();
  assertNeuronGrads(x);
});

// ---- 01.5 topological order and backward() ----

Deno.test("01.5 topologicalOrder lists each node once, children before their users, root last", () => {
  const { o, x1, w1, x2, w2, b } = neuron();
  const two = new Value(2), y = o.mul(o.add(x1)).add(two.mul(o)); // o and x1 used twice
  const order = topologicalOrder(y);
  assertSame("topologicalOrder(y).at(-1) === y", order.at(-1), y);
  assertSame("number of nodes", order.length, 15);
  assertSame("every node once", new Set(order).size, order.length);
  for (const leaf of [x1, w1, x2, w2, b, two]) {
    if (!order.includes(leaf)) throw new KataAssertionError(`leaf ${leaf} is missing`);
  }
  order.forEach((node, i) => {
    for (const c of node.children) {
      const j = order.indexOf(c);
      if (!(j >= 0 && j < i)) {
        throw new KataAssertionError(
          `node ${i} (op "${node.op}") comes before its child ${c} (index ${j})`,
        );
      }
    }
  });
});

Deno.test("01.5 backward() runs a shared node's backwardStep after all its users' (paths of different lengths)", () => {
  // p is used twice: by y directly and, two operations deeper, by p * 3. Going breadth-first
  // from y reaches p before p * 3, so p would pass on its grad before p * 3 has added to it.
  const x = new Value(0.5, [], "", "x"), p = x.tanh();
  p.label = "p";
  const p3 = p.mul(new Value(3)), p12 = p3.mul(new Value(4)), y = p12.add(p);
  p3.label = "p*3";
  p12.label = "p*3*4";
  y.label = "y";
  const ran: Value[] = [];
  for (const node of [x, p, p3, p12, y]) {
    const step = node.backwardStep;
    node.backwardStep = () => {
      ran.push(node);
      step();
    };
  }
  y.backward();
  const pos = (v: Value) => ran.indexOf(v);
  for (const node of [y, p12, p3, p]) {
    const times = ran.filter((v) => v === node).length;
    if (times !== 1) {
      throw new KataAssertionError(
        `backward() ran ${node.label}'s backwardStep ${times} times, not once`,
      );
    }
  }
  for (const [user, used] of [[y, p12], [p12, p3], [p3, p], [y, p]] as const) {
    if (pos(user) > pos(used)) {
      throw new KataAssertionError(
        `backward() ran ${used.label}'s backwardStep before that of ${user.label}, which uses it: ` +
          `${used.label}.grad was not complete yet. Ran: ${ran.map((v) => v.label).join(", ")}`,
      );
    }
  }
});

Deno.test("01.5 backward() on the neuron gives the lecture's grads", () => {
  const x = neuron();
  x.o.backward();
  assertClose("o.grad", x.o.grad, 1);
  assertNeuronGrads(x);
});

Deno.test("01.5 backward() on the lecture's expression gives the grads by hand", () => {
  const x = lectureExpression(1.5, 0.25, -3, 7);
  x.L.backward();
  assertLectureGrads(x, 1.5, 0.25, -3, 7);
});

Deno.test("01.5 backward() through a chain of 1,000,000 nodes does not overflow the stack", () => {
  const x = new Value(0.5), step = new Value(1e-6);
  let y = x;
  for (let i = 0; i < 1_000_000; i++) y = y.add(step);
  assertSame("topologicalOrder(y).length", topologicalOrder(y).length, 1_000_002);
  y.backward();
  assertClose("y.data", y.data, 1.5, 1e-9);
  assertClose("x.grad", x.grad, 1);
});

// ---- 01.6 gradients accumulate ----

Deno.test("01.6 b = a + a gives a.grad = 2, and a*a gives 2a", () => {
  const a = new Value(3);
  a.add(a).backward();
  assertClose("a.grad for b = a + a", a.grad, 2);
  const c = new Value(-1.5);
  c.mul(c).backward();
  assertClose("c.grad for c * c", c.grad, -3);
});

Deno.test("01.6 a value used in several places sums its contributions", () => {
  const a = new Value(-2, [], "", "a"), b = new Value(3, [], "", "b");
  const d = a.mul(b), e = a.add(b), f = d.mul(e);
  f.backward();
  assertClose("f.data", f.data, -6);
  assertClose("a.grad (e·b + d)", a.grad, -3);
  assertClose("b.grad (e·a + d)", b.grad, -8);
});

Deno.test("01.6 a node reached by paths of different lengths runs after all its users", () => {
  // y = r + p with r = ((p * 3) * 4), p = x * 2: p must collect 1 + 12 before passing it to x.
  const x = new Value(1.25), p = x.mul(new Value(2));
  const y = p.mul(new Value(3)).mul(new Value(4)).add(p);
  y.backward();
  assertClose("p.grad", p.grad, 13);
  assertClose("x.grad", x.grad, 26);
});

// ---- 01.7 the remaining operations ----

/** Runs backward from `f(x)` for a fresh leaf x and returns [f(x).data, x.grad]. */
function dataAndGrad(v: number, f: (x: Value) => Value): [number, number] {
  const x = new Value(v), y = f(x);
  y.backward();
  return [y.data, x.grad];
}

function assertOp(name: string, v: number, f: (x: Value) => Value, data: number, grad: number) {
  const [d, g] = dataAndGrad(v, f);
  assertClose(`${name} at ${v}: data`, d, data, 1e-12);
  assertClose(`${name} at ${v}: grad`, g, grad, 1e-12);
}

Deno.test("01.7 neg and sub: data and grads", () => {
  assertOp("x.neg()", 1.5, (x) => x.neg(), -1.5, -1);
  const a = new Value(1.5), b = new Value(-0.25), y = a.sub(b);
  y.backward();
  assertClose("a.sub(b).data", y.data, 1.75);
  assertClose("a.grad", a.grad, 1);
  assertClose("b.grad", b.grad, -1);
});

Deno.test("01.7 div: data and grads 1/b and -a/b²", () => {
  const a = new Value(1.5), b = new Value(-0.4), y = a.div(b);
  y.backward();
  assertClose("a.div(b).data", y.data, -3.75, 1e-12);
  assertClose("a.grad (1/b)", a.grad, -2.5, 1e-12);
  assertClose("b.grad (-a/b²)", b.grad, -9.375, 1e-12);
});

Deno.test("01.7 pow with a number exponent: k·x^(k-1)", () => {
  assertOp("x.pow(3)", 1.7, (x) => x.pow(3), 1.7 ** 3, 3 * 1.7 ** 2);
  assertOp("x.pow(-1)", -0.8, (x) => x.pow(-1), -1.25, -1 / 0.64);
  assertOp("x.pow(0.5)", 2.25, (x) => x.pow(0.5), 1.5, 0.5 / 1.5);
});

Deno.test("01.7 exp and log: grads e^x and 1/x", () => {
  assertOp("x.exp()", 0.3, (x) => x.exp(), Math.exp(0.3), Math.exp(0.3));
  assertOp("x.exp()", -1.2, (x) => x.exp(), Math.exp(-1.2), Math.exp(-1.2));
  assertOp("x.log()", 2.5, (x) => x.log(), Math.log(2.5), 0.4);
  assertOp("x.log()", 0.2, (x) => x.log(), Math.log(0.2), 5);
});

Deno.test("01.7 relu: max(0, x), grad 1 above zero and 0 below", () => {
  assertOp("x.relu()", 2.5, (x) => x.relu(), 2.5, 1);
  assertOp("x.relu()", -1.5, (x) => x.relu(), 0, 0);
});

Deno.test("01.7 sigmoid: 1/(1 + e^-x), grad s·(1 - s)", () => {
  for (const v of [0.3, -2]) {
    const s = 1 / (1 + Math.exp(-v));
    assertOp("x.sigmoid()", v, (x) => x.sigmoid(), s, s * (1 - s));
  }
});

Deno.test("01.7 add, mul, sub and div accept numbers as operands", () => {
  const a = new Value(3);
  assertClose("a.add(1).data", a.add(1).data, 4);
  assertClose("a.mul(2).data", a.mul(2).data, 6);
  assertClose("a.sub(0.5).data", a.sub(0.5).data, 2.5);
  assertClose("a.div(4).data", a.div(4).data, 0.75);
  assertOp("x*2 + 1 - x/4", 3, (x) => x.mul(2).add(1).sub(x.div(4)), 6.25, 1.75);
});

Deno.test("01.7 tanh written with exp, (e^2n - 1)/(e^2n + 1), gives tanh's data and grads", () => {
  const x = neuron(), viaTanh = neuron();
  const e = x.n.mul(2).exp();
  const o = e.sub(1).div(e.add(1));
  o.backward();
  viaTanh.o.backward();
  assertClose("o.data", o.data, viaTanh.o.data, 1e-12);
  for (const k of ["x1", "w1", "x2", "w2", "b"] as const) {
    assertClose(`${k}.grad`, x[k].grad, viaTanh[k].grad, 1e-9);
  }
});

Deno.test("01.7 pow refuses a Value exponent, and operands must be Values or numbers", () => {
  const a = new Value(2);
  assertTypeError("a.pow(new Value(2))", () => a.pow(new Value(2) as unknown as number), /number/);
  assertTypeError('a.add("1")', () => a.add("1" as unknown as number), /string/);
  assertTypeError("a.mul(undefined)", () => a.mul(undefined as unknown as number), /undefined/);
});
