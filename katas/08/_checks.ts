/**
 * Shared pieces of kata 08's tests: PyTorch running the lecture's code
 * (testdata/lectures/wavenet.json, written by testdata/gen_wavenet.py), the
 * lecture's split with block size 8, the first minibatch, and small helpers.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, index, randint, type Tensor } from "../../mod.ts";
import { loadMakemoreSplit, type MakemoreSplit } from "../../bench/reproduce/makemore_mlp.ts";
import wavenet from "../../testdata/lectures/wavenet.json" with { type: "json" };

/**
 * PyTorch 1.13 running the lecture's classes with `torch.manual_seed(42)`:
 * the first weights, the first minibatch losses, the running buffers after
 * them, a dev loss and five sampled names (the hierarchical network), the same
 * with the lecture's BatchNorm bug, and the flat network's losses.
 */
export const TORCH = wavenet;

/** The lecture's seed: `torch.manual_seed(42)` before the model. */
export const SEED = 42;

let split: MakemoreSplit | undefined;

/** The lecture's split of names.txt with block size 8, loaded once per test file. */
export async function lectureSplit(): Promise<MakemoreSplit> {
  split ??= await loadMakemoreSplit(8);
  return split;
}

/**
 * The first minibatch after the model was drawn from `g`:
 * `ix = randint(0, n, (32,))`, then `X[ix]`, `Y[ix]`.
 *
 * @param g the generator that drew the model
 * @param X contexts
 * @param Y targets
 * @returns the batch
 */
export function firstBatch(g: Generator, X: Tensor, Y: Tensor): { Xb: Tensor; Yb: Tensor } {
  const ix = randint(0, X.shape[0], [32], { generator: g });
  return { Xb: index(X, ix), Yb: index(Y, ix) };
}

/** @returns a tensor as `{ data, shape }` for `assertAllClose` */
export function plain(t: Tensor): { data: ArrayLike<number>; shape: readonly number[] } {
  return { data: t.dataSync(), shape: t.shape };
}

/** A fresh generator with the lecture's seed. */
export function lectureGenerator(): Generator {
  return new Generator(SEED);
}

/**
 * Asserts a tensor's shape, with an explanation of what a wrong one means.
 *
 * @param name what is compared
 * @param t the tensor
 * @param shape the expected shape
 * @param why an explanation to add when it differs
 */
export function assertShape(name: string, t: Tensor, shape: number[], why = ""): void {
  const got = `(${t.shape.join(", ")})`, want = `(${shape.join(", ")})`;
  if (got !== want) {
    throw new KataAssertionError(
      `${name}: expected shape ${want}, got ${got}${why ? `\n  ${why}` : ""}`,
    );
  }
}

/**
 * Asserts that a tensor is kept out of the graph: no gradient, no history.
 *
 * @param name what is checked
 * @param t the tensor
 */
export function assertNoGraph(name: string, t: Tensor): void {
  if (t.requiresGrad || t.gradFn !== null) {
    throw new KataAssertionError(
      `${name} requires grad (gradFn ${t.gradFn}): update the running statistics inside ` +
        `noGrad(() => …) (08.4); outside it every update records a graph that keeps every ` +
        `earlier batch alive`,
    );
  }
}
