/**
 * `FlattenConsecutive`, the WaveNet lecture's layer that merges neighbouring time steps.
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";
import { checkNumber, checkTensor } from "../validate.ts";

/**
 * Concatenates every `n` consecutive time steps (makemore part 5):
 * `(B, T, C) -> (B, T/n, C·n)`, and squeezes the time dim when it becomes 1, so the last level
 * of the tree hands `(B, C·n)` to a `Linear`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { FlattenConsecutive } from "./flatten_consecutive.ts";
 * const f = new FlattenConsecutive(2);
 * deepEqual(f.forward(zeros([4, 8, 10])).shape, [4, 4, 20]);
 * deepEqual(f.forward(zeros([4, 2, 10])).shape, [4, 20]);
 * ```
 */
export class FlattenConsecutive extends Module {
  /** How many consecutive steps are merged. */
  readonly n: number;

  /**
   * Creates the layer.
   *
   * @param n steps merged into one (a positive integer)
   * @throws {RangeError} when n is not a positive integer
   */
  constructor(n: number) {
    super();
    this.n = checkNumber("FlattenConsecutive", "n", n, { integer: true, min: 1 });
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `n=${this.n}`;
  }

  /**
   * Merges consecutive steps.
   *
   * @param x `(B, T, C)` with T divisible by n
   * @returns `(B, T/n, C·n)`, or `(B, C·n)` when T equals n
   * @throws {ShapeError} when x is not 3-d or T is not divisible by n
   */
  forward(x: Tensor): Tensor {
    checkTensor("FlattenConsecutive.forward", "input", x);
    if (x.ndim !== 3 || x.shape[1] % this.n !== 0) {
      throw new ShapeError(
        `FlattenConsecutive: expected (B, T, C) input with T divisible by ${this.n}, got shape ${
          formatShape(x.shape)
        }`,
      );
    }
    const [b, t, c] = x.shape;
    const y = x.reshape(b, t / this.n, c * this.n); // (B, T, C) -> (B, T/n, C*n)
    return t === this.n ? y.squeeze(1) : y;
  }
}
