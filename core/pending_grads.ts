/**
 * The gradients a backward pass is summing, one per tensor not yet processed. A sum the pass
 * made itself is seen by nothing else until its tensor is processed, so further gradients are
 * added into it in place instead of into a fresh tensor each time; and the gradient of a slice
 * (q, k and v cut from one projection) is added into its part of the input's sum, instead of
 * being padded with zeros to the input's whole shape first.
 *
 * @module
 */

import type { Recycler } from "./grad_recycler.ts";
import { empty } from "./ops/creation.ts";
import type { Tensor } from "./tensor.ts";

/** The pending gradients of one backward pass (its engine's bookkeeping, gradients off). */
export class PendingGrads {
  readonly #recycler: Recycler;
  /** Sums this pass made whose tensor is not processed yet: nothing else sees them. */
  readonly #owned = new Set<Tensor>();

  /** @param recycler frees the gradients nothing holds any more */
  constructor(recycler: Recycler) {
    this.#recycler = recycler;
  }

  /**
   * Adds `g` (x's shape) to x's pending gradient.
   *
   * @param x a tensor with a node, not processed yet
   * @param g a gradient of x's shape
   */
  add(x: Tensor, g: Tensor): void {
    const old = x._pending;
    if (old === null) {
      x._pending = g;
      this.#recycler.hold(g);
      return;
    }
    if (this.#owned.has(old) && g.dtype === old.dtype) {
      old.add_(g);
      this.#recycler.drop(g);
      return;
    }
    const sum = old.add(g);
    x._pending = sum;
    this.#owned.add(sum);
    this.#recycler.hold(sum);
    this.#recycler.unhold(old);
    this.#recycler.drop(g);
  }

  /**
   * Adds `g` to the part of x's pending gradient that `x.sliceRaw(dim, start, g.shape[dim], step)`
   * views (zeros elsewhere when x has none yet).
   *
   * @param x a tensor with a node, not processed yet
   * @param dim the sliced dim
   * @param start the slice's first index
   * @param step its step
   * @param g the slice's gradient
   */
  addSlice(x: Tensor, dim: number, start: number, step: number, g: Tensor): void {
    const old = x._pending;
    let sum: Tensor;
    if (old !== null && this.#owned.has(old) && g.dtype === old.dtype) sum = old;
    else {
      sum = old === null ? empty(x.shape, g.dtype, x.device) : old.clone(); // empty: zero-filled
      x._pending = sum;
      this.#owned.add(sum);
      this.#recycler.hold(sum);
      if (old !== null) this.#recycler.unhold(old);
    }
    sum.sliceRaw(dim, start, g.shape[dim], step).add_(g);
  }

  /**
   * x's summed gradient, taken out: from now on the rule of x's node may share it.
   *
   * @param x the tensor being processed
   * @returns its gradient, or null when none reached it
   */
  take(x: Tensor): Tensor | null {
    const g = x._pending;
    x._pending = null;
    if (g !== null) this.#owned.delete(g);
    return g;
  }
}
