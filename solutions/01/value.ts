/**
 * Kata 01 reference solution: derivatives, micrograd's `Value`, and backward
 * by topological sort. Same exports as `katas/01/value.ts`.
 *
 * @module
 */

/** Something that can stand in for a `Value` operand: a `Value` or a plain number. */
export type ValueLike = Value | number;

/**
 * 01.1 The slope of `f` at `x`, numerically: the forward difference
 * `(f(x + h) - f(x)) / h` of the lecture.
 *
 * @param f a function of one number
 * @param x where to take the slope
 * @param h the step (default 1e-4, the lecture's 0.0001)
 * @returns the approximate derivative
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { derivative } from "./value.ts";
 * ok(Math.abs(derivative((x) => 3 * x * x - 4 * x + 5, 3) - 14) < 1e-3);
 * ```
 */
export function derivative(f: (x: number) => number, x: number, h = 1e-4): number {
  return (f(x + h) - f(x)) / h;
}

/**
 * A scalar that remembers how it was computed, so its gradient can flow back.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Value } from "./value.ts";
 * const a = new Value(2), b = new Value(-3);
 * const y = a.mul(b).add(a);
 * y.backward();
 * equal(a.grad, -2); // b + 1
 * ```
 */
export class Value {
  /** The scalar this node holds. */
  data: number;
  /** dOutput/dThis; 0 until `backward()` fills it in, then it accumulates. */
  grad = 0;
  /** The operands this value was computed from (empty for leaves). */
  readonly children: readonly Value[];
  /** The operation that produced it: `"+"`, `"*"`, `"tanh"`, …; `""` for leaves. */
  readonly op: string;
  /** A display name, e.g. `"a"`. */
  label: string;
  /** Adds this node's contribution to its children's grads; a no-op for leaves. */
  backwardStep: () => void = () => {};

  /**
   * 01.2 Creates a value.
   *
   * @param data the scalar
   * @param children the operands it was computed from
   * @param op the operation that produced it
   * @param label a display name
   * @throws {TypeError} when `data` is not a number
   */
  constructor(data: number, children: readonly Value[] = [], op = "", label = "") {
    if (typeof data !== "number") {
      throw new TypeError(`Cannot create a Value from ${describe(data)}: expected a number`);
    }
    this.data = data;
    this.children = children;
    this.op = op;
    this.label = label;
  }

  /** 01.2 `Value(data=…, grad=…)`, like micrograd's `__repr__`. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }

  /**
   * 01.2 `this + other` (01.3: its backwardStep; 01.7: numbers too).
   *
   * @param other a Value or a number
   * @returns a new Value
   * @throws {TypeError} when `other` is neither
   */
  add(other: ValueLike): Value {
    const o = toValue(other, "add");
    const out = new Value(this.data + o.data, [this, o], "+");
    out.backwardStep = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  /**
   * 01.2 `this * other` (01.3: its backwardStep; 01.7: numbers too).
   *
   * @param other a Value or a number
   * @returns a new Value
   * @throws {TypeError} when `other` is neither
   */
  mul(other: ValueLike): Value {
    const o = toValue(other, "multiply");
    const out = new Value(this.data * o.data, [this, o], "*");
    out.backwardStep = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /**
   * 01.4 The hyperbolic tangent; local derivative `1 - tanh²`.
   *
   * @returns a new Value
   */
  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], "tanh");
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  /** 01.5 Sets `this.grad = 1` and runs every backwardStep, consumers first. */
  backward(): void {
    const order = topologicalOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  /**
   * 01.7 `-this`.
   *
   * @returns a new Value
   */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * 01.7 `this - other`.
   *
   * @param other a Value or a number
   * @returns a new Value
   * @throws {TypeError} when `other` is neither
   */
  sub(other: ValueLike): Value {
    return this.add(toValue(other, "subtract").neg());
  }

  /**
   * 01.7 `this ** exponent` for a number exponent.
   *
   * @param exponent a number
   * @returns a new Value
   * @throws {TypeError} when the exponent is not a number (e.g. a Value)
   */
  pow(exponent: number): Value {
    if (typeof exponent !== "number") {
      throw new TypeError(
        `Cannot raise a Value to ${describe(exponent)}: only number exponents are supported`,
      );
    }
    const out = new Value(this.data ** exponent, [this], `**${exponent}`);
    out.backwardStep = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  /**
   * 01.7 `this / other`, as `this * other**-1`.
   *
   * @param other a Value or a number
   * @returns a new Value
   * @throws {TypeError} when `other` is neither
   */
  div(other: ValueLike): Value {
    return this.mul(toValue(other, "divide").pow(-1));
  }

  /**
   * 01.7 `e ** this`.
   *
   * @returns a new Value
   */
  exp(): Value {
    const e = Math.exp(this.data);
    const out = new Value(e, [this], "exp");
    out.backwardStep = () => {
      this.grad += e * out.grad;
    };
    return out;
  }

  /**
   * 01.7 The natural logarithm.
   *
   * @returns a new Value
   */
  log(): Value {
    const out = new Value(Math.log(this.data), [this], "log");
    out.backwardStep = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  /**
   * 01.7 `max(0, this)`.
   *
   * @returns a new Value
   */
  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, [this], "ReLU");
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  /**
   * 01.7 `1 / (1 + e^-this)`; local derivative `s (1 - s)`.
   *
   * @returns a new Value
   */
  sigmoid(): Value {
    const s = 1 / (1 + Math.exp(-this.data));
    const out = new Value(s, [this], "sigmoid");
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }
}

/** The nodes of the lecture's first expression, by their names. */
export interface LectureExpression {
  /** A leaf. */
  a: Value;
  /** A leaf. */
  b: Value;
  /** A leaf. */
  c: Value;
  /** `a * b` */
  e: Value;
  /** `e + c` */
  d: Value;
  /** A leaf. */
  f: Value;
  /** `d * f`, the output. */
  L: Value;
}

/**
 * 01.2 Builds `e = a*b`, `d = e + c`, `L = d * f`, every node labelled with its name.
 *
 * @param a the first factor
 * @param b the second factor
 * @param c the addend
 * @param f the last factor
 * @returns the seven nodes
 */
export function lectureExpression(a: number, b: number, c: number, f: number): LectureExpression {
  const va = new Value(a, [], "", "a"), vb = new Value(b, [], "", "b");
  const vc = new Value(c, [], "", "c"), vf = new Value(f, [], "", "f");
  const e = va.mul(vb), d = e.add(vc), L = d.mul(vf);
  e.label = "e";
  d.label = "d";
  L.label = "L";
  return { a: va, b: vb, c: vc, e, d, f: vf, L };
}

/**
 * 01.3 Fills in every grad of the lecture's expression by the chain rule, from
 * the nodes' data alone (no backwardStep).
 *
 * @param x the seven nodes
 */
export function backpropByHand(x: LectureExpression): void {
  x.L.grad = 1;
  x.d.grad = x.f.data; // dL/dd = f
  x.f.grad = x.d.data; // dL/df = d
  x.c.grad = x.d.grad; // d = e + c passes the gradient through
  x.e.grad = x.d.grad;
  x.a.grad = x.b.data * x.e.grad; // e = a * b
  x.b.grad = x.a.data * x.e.grad;
}

/**
 * 01.5 The nodes reachable from `root`, each once, every node after all its
 * children (root last). Iterative, so a million-node chain does not overflow.
 *
 * @param root the output node
 * @returns the nodes in topological order
 */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<Value>([root]);
  const stack: [Value, number][] = [[root, 0]]; // a node and its next child to visit
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const [node, next] = frame;
    if (next < node.children.length) {
      frame[1] = next + 1;
      const child = node.children[next];
      if (!visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

function toValue(x: ValueLike, action: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x);
  throw new TypeError(`Cannot ${action} a Value and ${describe(x)}: expected a Value or a number`);
}

function describe(x: unknown): string {
  if (x === undefined || x === null) return String(x);
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (x instanceof Value) return `a Value (data ${x.data})`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x)})`;
}
