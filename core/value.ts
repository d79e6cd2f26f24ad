/**
 * Scalar reverse-mode autograd: micrograd's `Value`, in TypeScript.
 *
 * Each operator builds a new node and stores, beside it, the closure that pushes
 * the node's gradient back to its children. `backward()` orders the graph
 * topologically (iteratively, so a million-node chain does not overflow the
 * stack) and runs those closures in reverse. Gradients accumulate (`+=`), so a
 * value used twice receives both contributions.
 *
 * @module
 */

import { graphToDot } from "./value_dot.ts";
import { checkValueArgs, describe } from "./value_checks.ts";
import { valueDisplay } from "./value_svg.ts";

export { topologicalOrder, type VisitedMarks } from "./topological_order.ts";

/** Something that can stand in for a `Value` operand: a `Value` or a plain number. */
export type ValueLike = Value | number;

/** Set while {@link node} constructs: the operations' nodes need no argument checks. */
let trusted = false;
/** The operands {@link node} hands to the constructor. */
let pendingA: Value | null = null, pendingB: Value | null = null;
/** The children of every leaf the operations make (frozen: nobody can add to it). */
const NO_CHILDREN: readonly Value[] = Object.freeze([]);

/**
 * `new Value(data, [a, b], op)` without re-checking what the operations already know, and with
 * the operands in two fields rather than an array (`children` builds the array when asked).
 * Both halve the work of the two-moons run, which builds 70,000 nodes a step.
 */
function node(data: number, a: Value | null, b: Value | null, op: string): Value {
  trusted = true;
  pendingA = a;
  pendingB = b;
  const v = new Value(data, NO_CHILDREN, op);
  trusted = false;
  pendingA = pendingB = null;
  return v;
}

/** The backward steps that read operands (defined in the class, which can read them). */
let addBackward: (this: Value) => void,
  mulBackward: (this: Value) => void,
  expBackward: (this: Value) => void,
  logBackward: (this: Value) => void,
  tanhBackward: (this: Value) => void,
  reluBackward: (this: Value) => void,
  sigmoidBackward: (this: Value) => void;

/**
 * A scalar that remembers how it was computed, so its gradient can flow back.
 *
 * @example The lecture's first expression
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Value } from "./value.ts";
 * const a = new Value(2), b = new Value(-3), c = new Value(10), f = new Value(-2);
 * const L = a.mul(b).add(c).mul(f);
 * L.backward();
 * equal(L.data, -8);
 * equal(a.grad, 6); // dL/da = b * f
 * ```
 */
export class Value {
  /** The scalar this node holds. */
  data: number;
  /** dOutput/dThis, filled in by `backward()`; accumulates until reset. */
  grad = 0;
  /** The operation that produced this value (`"+"`, `"*"`, `"tanh"`, …; `""` for leaves). */
  readonly op: string;
  /** An optional name shown by `toDot()`. */
  label: string;
  /**
   * Pushes `this.grad` into the children's `grad`; a no-op for leaves. Call it as
   * a method, `v.backwardStep()`: the steps below read the node from `this`.
   */
  backwardStep: () => void = leafBackward;
  /** The number of the last `backward()` traversal that reached this node. */
  #visitedBy = 0;
  /** The first operand of a node an operation made. */
  #a: Value | null = null;
  /** Its second operand (null for one-operand operations). */
  #b: Value | null = null;
  /** The children array given to the constructor by a caller (null for the operations' nodes). */
  #given: readonly Value[] | null = null;
  /** How many `backward()` traversals have run; each marks nodes with its number. */
  static #traversals = 0;

  /**
   * Creates a value.
   *
   * @param data the scalar; must be a finite or non-finite `number`, not a string or object
   * @param children the operands it was computed from
   * @param op the label of the operation that produced it
   * @param label an optional display name
   * @throws {TypeError} when `data` is not a number, `children` not an array of Values, or
   *   `op`/`label` not strings
   */
  constructor(data: number, children: readonly Value[] = [], op = "", label = "") {
    // the operations below build nodes from checked parts and skip this (a third of the
    // two-moons run went to re-checking them)
    if (trusted) {
      this.#a = pendingA;
      this.#b = pendingB;
    } else {
      checkValueArgs(data, children, op, label);
      this.#given = children;
    }
    this.data = data;
    this.op = op;
    this.label = label;
  }

  /** The operands this value was computed from (empty for leaves). */
  get children(): readonly Value[] {
    if (this.#given !== null) return this.#given;
    const a = this.#a, b = this.#b;
    return a === null ? NO_CHILDREN : b === null ? [a] : [a, b];
  }

  // The backward steps of the operations, here where they can read the operand fields.
  static {
    /** `out = a + b`: d/da = 1, d/db = 1. */
    addBackward = function (this: Value): void {
      const a = this.#a!, b = this.#b!;
      a.grad += this.grad;
      b.grad += this.grad;
    };
    /** `out = a * b`: d/da = b, d/db = a. */
    mulBackward = function (this: Value): void {
      const a = this.#a!, b = this.#b!;
      a.grad += b.data * this.grad;
      b.grad += a.data * this.grad;
    };
    /** `out = e^x`: d/dx = e^x = out. */
    expBackward = function (this: Value): void {
      this.#a!.grad += this.data * this.grad;
    };
    /** `out = ln x`: d/dx = 1 / x. */
    logBackward = function (this: Value): void {
      const x = this.#a!;
      x.grad += this.grad / x.data;
    };
    /** `out = tanh x`: d/dx = 1 - tanh² x = 1 - out². */
    tanhBackward = function (this: Value): void {
      this.#a!.grad += (1 - this.data * this.data) * this.grad;
    };
    /** `out = max(0, x)`: d/dx = 1 where out > 0, else 0. */
    reluBackward = function (this: Value): void {
      this.#a!.grad += (this.data > 0 ? 1 : 0) * this.grad;
    };
    /** `out = σ(x)`: d/dx = σ(x)(1 - σ(x)) = out(1 - out). */
    sigmoidBackward = function (this: Value): void {
      this.#a!.grad += this.data * (1 - this.data) * this.grad;
    };
  }

  /**
   * `this + other`.
   *
   * @param other a Value or number
   * @returns a new Value
   */
  add(other: ValueLike): Value {
    const o = toValue(other, "add");
    const out = node(this.data + o.data, this, o, "+");
    out.backwardStep = addBackward;
    return out;
  }

  /**
   * `this * other`.
   *
   * @param other a Value or number
   * @returns a new Value
   */
  mul(other: ValueLike): Value {
    const o = toValue(other, "multiply");
    const out = node(this.data * o.data, this, o, "*");
    out.backwardStep = mulBackward;
    return out;
  }

  /**
   * `this ** exponent` for a constant number exponent.
   *
   * @param exponent a number (a `Value` exponent is not supported)
   * @returns a new Value
   * @throws {TypeError} when the exponent is not a number
   */
  pow(exponent: number): Value {
    if (typeof exponent !== "number") {
      throw new TypeError(
        `Cannot raise a Value to ${describe(exponent)}: only number exponents are supported ` +
          `(for a Value exponent write x.log().mul(y).exp())`,
      );
    }
    const out = node(this.data ** exponent, this, null, `**${exponent}`);
    // A closure, unlike the other operations: the exponent is not stored in the node.
    out.backwardStep = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  /**
   * `-this`.
   *
   * @returns a new Value
   */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this - other`.
   *
   * @param other a Value or number
   * @returns a new Value
   */
  sub(other: ValueLike): Value {
    return this.add(toValue(other, "subtract").neg());
  }

  /**
   * `this / other`, as `this * other**-1` (the lecture's way).
   *
   * @param other a Value or number
   * @returns a new Value
   */
  div(other: ValueLike): Value {
    return this.mul(toValue(other, "divide").pow(-1));
  }

  /**
   * `e ** this`.
   *
   * @returns a new Value
   */
  exp(): Value {
    const out = node(Math.exp(this.data), this, null, "exp");
    out.backwardStep = expBackward;
    return out;
  }

  /**
   * The natural logarithm.
   *
   * @returns a new Value
   */
  log(): Value {
    const out = node(Math.log(this.data), this, null, "log");
    out.backwardStep = logBackward;
    return out;
  }

  /**
   * The hyperbolic tangent; its local derivative is `1 - tanh²`.
   *
   * @returns a new Value
   */
  tanh(): Value {
    const out = node(Math.tanh(this.data), this, null, "tanh");
    out.backwardStep = tanhBackward;
    return out;
  }

  /**
   * `max(0, this)`.
   *
   * @returns a new Value
   */
  relu(): Value {
    const out = node(this.data < 0 ? 0 : this.data, this, null, "ReLU");
    out.backwardStep = reluBackward;
    return out;
  }

  /**
   * `1 / (1 + e^-this)`.
   *
   * @returns a new Value
   */
  sigmoid(): Value {
    const out = node(1 / (1 + Math.exp(-this.data)), this, null, "sigmoid");
    out.backwardStep = sigmoidBackward;
    return out;
  }

  /**
   * Back-propagates from this value: sets `this.grad = 1` and adds every
   * node's contribution to its children, in reverse topological order.
   * Gradients accumulate; reset them (`grad = 0`) between steps.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { Value } from "./value.ts";
   * const a = new Value(3);
   * const b = a.add(a); // a is used twice
   * b.backward();
   * equal(a.grad, 2);
   * ```
   */
  backward(): void {
    const order = Value.#backwardOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  /**
   * `topologicalOrder(root)` with a faster visited mark: this traversal's number
   * written into the node rather than a `Set` (hashing 70,000 nodes a step was a
   * quarter of the two-moons training time).
   */
  static #backwardOrder(root: Value): Value[] {
    const traversal = ++Value.#traversals;
    // topologicalOrder's walk, reading the operand fields directly: a node and the index of
    // its next child to visit, on two parallel stacks
    const order: Value[] = [];
    const nodes: Value[] = [root];
    const nextChild: number[] = [0];
    root.#visitedBy = traversal;
    let top = 0;
    while (top >= 0) {
      const n = nodes[top], next = nextChild[top], given = n.#given;
      const count = given !== null ? given.length : n.#a === null ? 0 : n.#b === null ? 1 : 2;
      if (next < count) {
        nextChild[top] = next + 1;
        const child = given !== null ? given[next] : next === 0 ? n.#a! : n.#b!;
        if (child.#visitedBy !== traversal) {
          child.#visitedBy = traversal;
          top++;
          nodes[top] = child;
          nextChild[top] = 0;
        }
      } else {
        top--;
        order.push(n);
      }
    }
    return order;
  }

  /**
   * The graph that produced this value as Graphviz DOT text (micrograd's
   * `draw_dot`): one record per value (`label | data | grad`), one small node
   * per operation.
   *
   * @returns DOT source; render it with `dot -Tsvg`
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Value } from "./value.ts";
   * const dot = new Value(2, [], "", "a").mul(3).toDot();
   * ok(dot.startsWith("digraph"));
   * ```
   */
  toDot(): string {
    return graphToDot(this);
  }

  /** A short description for logs: `Value(data=-8, grad=1)`. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }

  /** @ignore `deno jupyter`'s rich display: the graph as SVG (see `valueToSvg`) */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return valueDisplay(this);
  }
}

// Backward steps, in the order of the operations above. Each runs as a method of
// the node an operation produced (`out.backwardStep()`, so `this` is `out`) and
// adds `local derivative × out.grad` to each operand's grad. They are shared
// functions rather than one closure per node: a training step of the two-moons
// demo builds 70,000 nodes, and the closures were half of its allocations.

/** A leaf has nothing to propagate. */
function leafBackward(): void {}

function toValue(x: ValueLike, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return node(x, null, null, "");
  throw new TypeError(
    `Cannot ${op} a Value and ${describe(x)}: expected a Value or a number`,
  );
}
