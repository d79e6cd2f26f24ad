/**
 * Recycling of gradient buffers during backward: a buffer goes back to the
 * backend's pool once the engine is done with it. Only buffers allocated
 * during this backward qualify, never one kept as a `.grad`, and never one
 * still pending for another tensor (views included: counted per storage).
 *
 * @module
 */

import type { Backend, Storage } from "./backend.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Hands gradient buffers back to the backend once backward is done with them:
 * only buffers allocated during this backward, not kept as any `.grad`, and
 * not (or no longer) pending for another tensor, views included (counted per
 * storage).
 */
export class Recycler {
  readonly #be: Backend;
  readonly #first: number;
  readonly #refs = new Map<Storage, number>();
  readonly #candidates: Storage[] = [];
  readonly #released = new Set<Storage>();
  /** @param be the backend that allocated the gradients */
  constructor(be: Backend) {
    this.#be = be;
    this.#first = be.nextSerial();
  }
  /** `t` became some tensor's pending gradient. @param t the gradient */
  hold(t: Tensor): void {
    this.#refs.set(t.storage, (this.#refs.get(t.storage) ?? 0) + 1);
  }
  /** `t` stopped being a pending gradient. @param t the gradient */
  unhold(t: Tensor): void {
    this.#refs.set(t.storage, (this.#refs.get(t.storage) ?? 1) - 1);
    this.#candidates.push(t.storage);
  }
  /** `t` was used and is not kept by the engine. @param t the gradient */
  drop(t: Tensor): void {
    this.#candidates.push(t.storage);
  }
  /** Releases the candidates that nothing holds any more. */
  flush(): void {
    for (const s of this.#candidates) {
      if (
        s.serial >= this.#first && !s.heldAsGrad && (this.#refs.get(s) ?? 0) <= 0 &&
        !this.#released.has(s)
      ) {
        this.#released.add(s);
        this.#be.release(s);
      }
    }
    this.#candidates.length = 0;
  }
}
