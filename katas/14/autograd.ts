/**
 * Kata 14, step 14.1: microgpt's scalar `Value`. Unlike kata 01's Value, which
 * keeps a `_backward` closure per node, each node here keeps its children and,
 * beside each child, the local derivative d(this)/d(child) as a plain number
 * computed in the forward pass; backward is then one loop over the graph.
 * Replace every `todo(...)` with your code; `deno test katas/14` tells you what
 * to do next. Read katas/14/README.md first.
 *
 * Write every operation the way CPython evaluates the published program
 * (`a / b` as `a * b ** -1`, `a - b` as `a + (-b)`, `-a` as `a * -1`,
 * `Math.exp`/`Math.log`, `**` for powers), so your numbers come out like Python's.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/** A number that remembers how it was made, for backpropagation. */
export class Value {
  /** The number. */
  data: number;
  /** d(loss)/d(this), filled by {@link Value.backward}; 0 until then. */
  grad = 0;
  /** The inputs of the operation that made this Value (empty for a leaf). */
  readonly children: readonly Value[];
  /** d(this)/d(child) for each child, in the same order. */
  readonly localGrads: readonly number[];

  /**
   * @param data the number
   * @param children the operation's inputs
   * @param localGrads the derivative of the result with respect to each input
   */
  constructor(data: number, children: readonly Value[] = [], localGrads: readonly number[] = []) {
    this.data = data;
    this.children = children;
    this.localGrads = localGrads;
  }

  /**
   * `this + other`; a number is wrapped in a Value first, as Python does.
   *
   * @param other a Value or a number
   * @returns the sum, with local gradients 1 and 1
   */
  add(other: Value | number): Value {
    return todo(
      "14.1",
      "Value.add: a new Value with children [this, other] and local grads [1, 1]",
    );
  }

  /**
   * `this * other`.
   *
   * @param other a Value or a number
   * @returns the product, with local gradients other.data and this.data
   */
  mul(other: Value | number): Value {
    return todo("14.1", "Value.mul: local grads [other.data, this.data]");
  }

  /**
   * `this ** k` for a constant k.
   *
   * @param k the exponent
   * @returns the power, with local gradient `k * data ** (k - 1)`
   */
  pow(k: number): Value {
    return todo("14.1", "Value.pow: data ** k, local grad k * data ** (k - 1)");
  }

  /** @returns `ln(this)`, local gradient `1 / data` */
  log(): Value {
    return todo("14.1", "Value.log: Math.log(data), local grad 1 / data");
  }

  /** @returns `e ** this`, local gradient the result itself */
  exp(): Value {
    return todo("14.1", "Value.exp: Math.exp(data), local grad the same number");
  }

  /** @returns `max(0, this)`, local gradient 1 where data > 0, else 0 */
  relu(): Value {
    return todo("14.1", "Value.relu: max(0, data), local grad 1 if data > 0 else 0");
  }

  /** @returns `this * -1` */
  neg(): Value {
    return todo("14.1", "Value.neg: this * -1");
  }

  /**
   * `this + (-other)`.
   *
   * @param other a Value or a number
   * @returns the difference
   */
  sub(other: Value | number): Value {
    return todo("14.1", "Value.sub: this + (-other)");
  }

  /**
   * `this * other ** -1`.
   *
   * @param other a Value or a number
   * @returns the quotient
   */
  div(other: Value | number): Value {
    return todo("14.1", "Value.div: this * other ** -1");
  }

  /**
   * Sets `grad` of every Value this one depends on to d(this)/d(it): a
   * depth-first topological order (children in order), then, from this Value
   * back, `child.grad += localGrad * v.grad`. Grads add up over calls: zero
   * the parameters' grads after each update.
   */
  backward(): void {
    todo("14.1", "Value.backward: topological order, grad = 1, child.grad += local * v.grad");
  }
}

/**
 * Python's `sum(values)`: `0 + v0` is `v0.__radd__(0)`, that is `v0 + 0`, then
 * each further value is added on the left-to-right running sum.
 *
 * @param values at least one Value
 * @returns their sum
 */
export function sum(values: readonly Value[]): Value {
  return todo("14.1", "sum: v0 + 0, then + v1, + v2, … left to right");
}
