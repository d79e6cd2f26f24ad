/**
 * Shared checks for kata 01's tests: learner-facing assertions and the
 * lecture's two example graphs.
 *
 * @module
 */
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import { type LectureExpression, Value } from "./value.ts";

/** Asserts `fn` throws a TypeError whose message matches `pattern`; rethrows anything else. */
export function assertTypeError(what: string, fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    if (!pattern.test(e.message)) {
      throw new KataAssertionError(
        `${what}: the TypeError's message "${e.message}" should match ${pattern}`,
      );
    }
    return;
  }
  throw new KataAssertionError(`${what}: expected a TypeError, but nothing was thrown`);
}

/** Asserts `actual === expected`. */
export function assertSame(name: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) {
    throw new KataAssertionError(`${name}: expected ${String(expected)}, got ${String(actual)}`);
  }
}

/** Asserts `v.children` are exactly the given objects, in order. */
export function assertChildren(name: string, v: Value, expected: Value[]): void {
  const got = [...v.children];
  if (got.length !== expected.length || got.some((c, i) => c !== expected[i])) {
    throw new KataAssertionError(
      `${name}.children: expected [${expected.join(", ")}] (the operand objects themselves), got [${
        got.join(", ")
      }]`,
    );
  }
}

/** The lecture's nodes built with the constructor only: no backwardStep to lean on. */
export function nodesByConstructor(a: number, b: number, c: number, f: number): LectureExpression {
  const va = new Value(a, [], "", "a"), vb = new Value(b, [], "", "b");
  const vc = new Value(c, [], "", "c"), vf = new Value(f, [], "", "f");
  const e = new Value(a * b, [va, vb], "*", "e");
  const d = new Value(a * b + c, [e, vc], "+", "d");
  const L = new Value((a * b + c) * f, [d, vf], "*", "L");
  return { a: va, b: vb, c: vc, e, d, f: vf, L };
}

/** Asserts the lecture expression's grads, from the chain rule. */
export function assertLectureGrads(
  x: LectureExpression,
  a: number,
  b: number,
  c: number,
  f: number,
) {
  const d = a * b + c;
  assertClose("L.grad", x.L.grad, 1);
  assertClose("d.grad (dL/dd = f)", x.d.grad, f);
  assertClose("f.grad (dL/df = d)", x.f.grad, d);
  assertClose("c.grad (dL/dc = dL/dd)", x.c.grad, f);
  assertClose("e.grad (dL/de = dL/dd)", x.e.grad, f);
  assertClose("a.grad (dL/da = b · dL/de)", x.a.grad, b * f);
  assertClose("b.grad (dL/db = a · dL/de)", x.b.grad, a * f);
}

/** The lecture's neuron: o = tanh(x1*w1 + x2*w2 + b). */
export function neuron() {
  const x1 = new Value(2, [], "", "x1"), x2 = new Value(0, [], "", "x2");
  const w1 = new Value(-3, [], "", "w1"), w2 = new Value(1, [], "", "w2");
  const b = new Value(6.8813735870195432, [], "", "b");
  const x1w1 = x1.mul(w1), x2w2 = x2.mul(w2);
  const sum = x1w1.add(x2w2);
  const n = sum.add(b);
  const o = n.tanh();
  return { x1, x2, w1, w2, b, x1w1, x2w2, sum, n, o };
}

/** The lecture's neuron grads (1 - o² is 0.4999999999999998 in double precision). */
export function assertNeuronGrads(x: ReturnType<typeof neuron>) {
  assertClose("x1.grad", x.x1.grad, -1.5, 1e-9);
  assertClose("w1.grad", x.w1.grad, 1, 1e-9);
  assertClose("x2.grad", x.x2.grad, 0.5, 1e-9);
  assertClose("w2.grad", x.w2.grad, 0, 1e-9);
  assertClose("b.grad", x.b.grad, 0.5, 1e-9);
  assertClose("n.grad", x.n.grad, 0.5, 1e-9);
}
