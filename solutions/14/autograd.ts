/**
 * Kata 14, step 14.1: microgpt's scalar `Value`. Each node keeps its children
 * and, beside each child, the local derivative d(this)/d(child) as a plain
 * number computed in the forward pass, so backward is one loop with no closures.
 *
 * Every operation is written the way CPython evaluates the published program
 * (float64, `a / b` as `a * b ** -1`, `a - b` as `a + (-b)`, `-a` as `a * -1`),
 * so the data and the gradients come out bit for bit like Python's.
 *
 * @module
 */

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
    const o = other instanceof Value ? other : new Value(other);
    return new Value(this.data + o.data, [this, o], [1, 1]);
  }

  /**
   * `this * other`.
   *
   * @param other a Value or a number
   * @returns the product, with local gradients other.data and this.data
   */
  mul(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    return new Value(this.data * o.data, [this, o], [o.data, this.data]);
  }

  /**
   * `this ** k` for a constant k.
   *
   * @param k the exponent
   * @returns the power, with local gradient `k * data ** (k - 1)`
   */
  pow(k: number): Value {
    return new Value(this.data ** k, [this], [k * this.data ** (k - 1)]);
  }

  /** @returns `ln(this)`, local gradient `1 / data` */
  log(): Value {
    return new Value(Math.log(this.data), [this], [1 / this.data]);
  }

  /** @returns `e ** this`, local gradient the result itself */
  exp(): Value {
    const e = Math.exp(this.data);
    return new Value(e, [this], [e]);
  }

  /** @returns `max(0, this)`, local gradient 1 where data > 0, else 0 */
  relu(): Value {
    return new Value(Math.max(0, this.data), [this], [this.data > 0 ? 1 : 0]);
  }

  /** @returns `this * -1` */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this + (-other)`.
   *
   * @param other a Value or a number
   * @returns the difference
   */
  sub(other: Value | number): Value {
    return this.add(other instanceof Value ? other.neg() : -other);
  }

  /**
   * `this * other ** -1`.
   *
   * @param other a Value or a number
   * @returns the quotient
   */
  div(other: Value | number): Value {
    return this.mul(other instanceof Value ? other.pow(-1) : other ** -1);
  }

  /**
   * Sets `grad` of every Value this one depends on to d(this)/d(it): a
   * depth-first topological order (children in order), then, from this Value
   * back, `child.grad += localGrad * v.grad`. Grads add up over calls: zero
   * the parameters' grads after each update.
   */
  backward(): void {
    const order: Value[] = [];
    const seen = new Set<Value>();
    // An explicit stack, visiting children in the same order as the recursive definition.
    const stack: [Value, number][] = [[this, 0]];
    seen.add(this);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < v.children.length) {
        top[1] = i + 1;
        const c = v.children[i];
        if (!seen.has(c)) {
          seen.add(c);
          stack.push([c, 0]);
        }
      } else {
        stack.pop();
        order.push(v);
      }
    }
    this.grad = 1;
    for (let j = order.length - 1; j >= 0; j--) {
      const v = order[j];
      for (let c = 0; c < v.children.length; c++) {
        v.children[c].grad += v.localGrads[c] * v.grad;
      }
    }
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
  let s = values[0].add(0);
  for (let i = 1; i < values.length; i++) s = s.add(values[i]);
  return s;
}
