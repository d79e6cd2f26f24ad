/**
 * Kata 01 — Value: derivatives, micrograd's `Value`, backward by topological sort.
 *
 * Replace every `todo(...)` with your code, step by step (see README.md).
 * Run `deno test katas/01` after each change; `deno task hint 01.N` when stuck.
 *
 * @module
 */
// The stub's parameters are unused until you write the bodies.
// deno-lint-ignore-file no-unused-vars
import { todo } from "../_lib/todo.ts";

/** Something that can stand in for a `Value` operand: a `Value` or a plain number. */
export type ValueLike = Value | number;

/**
 * 01.1 The slope of `f` at `x`, numerically: the forward difference
 * `(f(x + h) - f(x)) / h`, as in the lecture.
 *
 * @param f a function of one number
 * @param x where to take the slope
 * @param h the step (default 1e-4, the lecture's 0.0001)
 * @returns the approximate derivative
 */
export function derivative(f: (x: number) => number, x: number, h = 1e-4): number {
  return todo("01.1", "derivative(f, x, h): the forward difference (f(x + h) - f(x)) / h");
}

/** A scalar that remembers how it was computed, so its gradient can flow back. */
export class Value {
  /** The scalar this node holds. */
  data: number;
  /** dOutput/dThis; 0 until backward fills it in. */
  grad = 0;
  /** The operands this value was computed from (empty for leaves). */
  readonly children: readonly Value[];
  /** The operation that produced it: `"+"`, `"*"`, `"tanh"`, …; `""` for leaves. */
  readonly op: string;
  /** A display name, e.g. `"a"`. */
  label: string;
  /**
   * 01.3 Adds this node's contribution to its children's grads. Leaves keep
   * this no-op; each operation (`add`, `mul`, …) replaces it on the Value it returns.
   */
  backwardStep: () => void = () => {};

  /**
   * 01.2 Creates a value. Refuses anything but a number with a TypeError
   * (`Cannot create a Value from the string "3": expected a number`).
   *
   * @param data the scalar
   * @param children the operands it was computed from
   * @param op the operation that produced it
   * @param label a display name
   */
  constructor(data: number, children: readonly Value[] = [], op = "", label = "") {
    todo(
      "01.2",
      "the Value constructor: store data, children, op and label (a TypeError if data is not a number)",
    );
  }

  /** 01.2 `Value(data=…, grad=…)`, like micrograd's `__repr__`. */
  toString(): string {
    return todo("01.2", "Value.toString(): `Value(data=${this.data}, grad=${this.grad})`");
  }

  /**
   * 01.2 `this + other`: a new Value with children `[this, other]` and op `"+"`.
   * 01.3: give it a backwardStep. 01.7: accept a number as `other`.
   *
   * @param other a Value (01.7: or a number)
   * @returns a new Value
   */
  add(other: ValueLike): Value {
    return todo(
      "01.2",
      "Value.add: a new Value with data this.data + other.data, children [this, other], op '+'",
    );
  }

  /**
   * 01.2 `this * other`: a new Value with children `[this, other]` and op `"*"`.
   * 01.3: give it a backwardStep. 01.7: accept a number as `other`.
   *
   * @param other a Value (01.7: or a number)
   * @returns a new Value
   */
  mul(other: ValueLike): Value {
    return todo(
      "01.2",
      "Value.mul: a new Value with data this.data * other.data, children [this, other], op '*'",
    );
  }

  /**
   * 01.4 The hyperbolic tangent, op `"tanh"`, with its backwardStep.
   *
   * @returns a new Value
   */
  tanh(): Value {
    return todo(
      "01.4",
      "Value.tanh: Math.tanh forward, local derivative 1 - tanh² in its backwardStep",
    );
  }

  /**
   * 01.5 Back-propagates from this value: `this.grad = 1`, then every node's
   * backwardStep, each node only after every node that uses it.
   */
  backward(): void {
    todo(
      "01.5",
      "Value.backward: grad 1 here, then backwardStep over topologicalOrder(this) reversed",
    );
  }

  /**
   * 01.7 `-this`.
   *
   * @returns a new Value
   */
  neg(): Value {
    return todo("01.7", "Value.neg: -this (hint: mul by -1)");
  }

  /**
   * 01.7 `this - other`.
   *
   * @param other a Value or a number
   * @returns a new Value
   */
  sub(other: ValueLike): Value {
    return todo("01.7", "Value.sub: this - other (hint: add and neg)");
  }

  /**
   * 01.7 `this ** exponent` for a number exponent. A Value exponent is refused
   * with a TypeError that says only number exponents are supported.
   *
   * @param exponent a number
   * @returns a new Value
   */
  pow(exponent: number): Value {
    return todo(
      "01.7",
      "Value.pow: this ** exponent for a number exponent, local derivative k·x^(k-1)",
    );
  }

  /**
   * 01.7 `this / other`.
   *
   * @param other a Value or a number
   * @returns a new Value
   */
  div(other: ValueLike): Value {
    return todo("01.7", "Value.div: this / other (hint: mul and pow(-1))");
  }

  /**
   * 01.7 `e ** this`.
   *
   * @returns a new Value
   */
  exp(): Value {
    return todo("01.7", "Value.exp: Math.exp forward, local derivative e^x");
  }

  /**
   * 01.7 The natural logarithm.
   *
   * @returns a new Value
   */
  log(): Value {
    return todo("01.7", "Value.log: Math.log forward, local derivative 1/x");
  }

  /**
   * 01.7 `max(0, this)`.
   *
   * @returns a new Value
   */
  relu(): Value {
    return todo("01.7", "Value.relu: max(0, x), local derivative 1 where x > 0 else 0");
  }

  /**
   * 01.7 `1 / (1 + e^-this)`.
   *
   * @returns a new Value
   */
  sigmoid(): Value {
    return todo("01.7", "Value.sigmoid: 1 / (1 + e^-x), local derivative s·(1 - s)");
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
 * 01.2 Builds the lecture's expression `e = a*b`, `d = e + c`, `L = d * f`
 * from four numbers, every node labelled with its name (`"a"`, …, `"L"`).
 *
 * @param a the first factor
 * @param b the second factor
 * @param c the addend
 * @param f the last factor
 * @returns the seven nodes
 */
export function lectureExpression(a: number, b: number, c: number, f: number): LectureExpression {
  return todo("01.2", "lectureExpression: build e = a*b, d = e + c, L = d * f with labels");
}

/**
 * 01.3 Fills in every grad of the lecture's expression by the chain rule,
 * by hand: from the nodes' data alone, without calling any backwardStep.
 *
 * @param x the seven nodes (their data is set, their grads are 0)
 */
export function backpropByHand(x: LectureExpression): void {
  todo("01.3", "backpropByHand: set L.grad = 1, then d, f, c, e, a, b by the chain rule");
}

/**
 * 01.5 The nodes reachable from `root`, each exactly once, every node after
 * all of its children (so `root` comes last). Do it without recursion: a
 * chain of a million nodes must not overflow the call stack.
 *
 * @param root the output node
 * @returns the nodes in topological order
 */
export function topologicalOrder(root: Value): Value[] {
  return todo(
    "01.5",
    "topologicalOrder: depth-first post-order with a visited set and an explicit stack",
  );
}
