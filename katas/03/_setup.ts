/**
 * Shared setup of kata 03's tests: the split, seeds and budget they all use,
 * and checks that name the parameter that differs.
 *
 * The seeds are pinned, and the margins the tests assert sit well inside what
 * the pinned seed gives (the same in PyTorch, bench/peers/fit_x2_torch.py); with
 * the reference they hold for every model seed 0–19, so they test the method,
 * not the luck of one seed.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, type nn, type Tensor } from "../../mod.ts";
import { makeData, type Split, splitData } from "./data.ts";

/** The grid on [-1, 1]: 50 points, 10 of them held out, 40 to train on. */
export const N_POINTS = 50;
/** How many grid points are held out of training. */
export const N_HELD_OUT = 10;
/** Seeds the train/held-out permutation. */
export const SPLIT_SEED = 0;
/** Seeds the models' initial weights (random search draws from `MODEL_SEED + 1`). */
export const MODEL_SEED = 5;
/** The budget of loss evaluations each method gets in the comparisons. */
export const BUDGET = 300;

let cached: Split | undefined;
/** The kata's split, `splitData(makeData(50), 10, new Generator(0))`, made on first use. */
export function kataSplit(): Split {
  cached ??= splitData(makeData(N_POINTS), N_HELD_OUT, new Generator(SPLIT_SEED));
  return cached;
}

/** Copies of every parameter's values, in `parameters()` order. */
export function snapshot(model: nn.Module): Float32Array[] {
  return model.parameters().map((p) => Float32Array.from(p.dataSync()));
}

/** Wraps a loss function so the test can count how often it is called. */
export function counting(loss: () => Tensor): { loss: () => Tensor; calls: () => number } {
  let n = 0;
  return {
    loss: () => {
      n++;
      return loss();
    },
    calls: () => n,
  };
}

/** The root mean square of `a - b` over every element of every parameter. */
export function rmsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let sum = 0, count = 0;
  a.forEach((t, i) => {
    for (let j = 0; j < t.length; j++) sum += (t[j] - b[i][j]) ** 2;
    count += t.length;
  });
  return Math.sqrt(sum / count);
}

/**
 * Asserts two parameter lists agree element by element (absolute plus
 * relative tolerance), naming the first parameter and index that differ.
 */
export function assertParamsClose(
  what: string,
  actual: readonly Float32Array[],
  expected: readonly Float32Array[],
  tol: number,
): void {
  if (actual.length !== expected.length) {
    throw new KataAssertionError(
      `${what}: expected ${expected.length} parameters, got ${actual.length}`,
    );
  }
  actual.forEach((a, i) => {
    for (let j = 0; j < a.length; j++) {
      const e = expected[i][j];
      if (!(Math.abs(a[j] - e) <= tol + tol * Math.abs(e))) {
        throw new KataAssertionError(
          `${what}: parameters()[${i}] element ${j}: expected ${e}, got ${a[j]} ` +
            `(|diff| ${Math.abs(a[j] - e).toExponential(2)} > ${tol})`,
        );
      }
    }
  });
}
