/**
 * Sampling from categorical distributions: {@link multinomial} (torch.multinomial).
 *
 * @module
 */

import { DTypeError, formatShape, ShapeError, SyncReadError } from "../errors.ts";
import { defaultGenerator } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkOptions, checkTensor, describe } from "../validate.ts";
import { fromTyped } from "./creation.ts";

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  /** Whether a category can be drawn more than once (default false, as PyTorch). */
  replacement?: boolean;
  /** The generator to draw from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * Draws category indices from the rows of `probs` (non-negative weights, not necessarily
 * normalised), like `torch.multinomial(probs, numSamples, replacement, generator=g)`.
 *
 * @param probs a 1-d (C) or 2-d (R, C) float32 tensor of weights
 * @param numSamples draws per row
 * @param opts replacement, generator
 * @returns int32 indices of shape (numSamples) or (R, numSamples)
 * @throws {DTypeError} when probs is not float32
 * @throws {ShapeError} when probs is not 1-d or 2-d
 * @throws {RangeError} on a negative, NaN or infinite weight, a row summing to 0, a
 *   non-positive numSamples, or more samples than categories without replacement
 * @throws {SyncReadError} on a device without synchronous reads (sampling reads the weights on the host and
 *   they cannot be read back synchronously): use {@link multinomialAsync}
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { multinomial } from "./sampling.ts";
 * import { Generator } from "../random/generator.ts";
 * const ix = multinomial(tensor([0, 0, 1]), 4, { replacement: true, generator: new Generator(42) });
 * deepEqual(ix.toArraySync(), [2, 2, 2, 2]);
 * equal(ix.dtype, "int32");
 * ```
 */
export function multinomial(
  probs: Tensor,
  numSamples: number,
  opts?: MultinomialOptions,
): Tensor {
  const o = checkSampling(probs, numSamples, opts);
  let p: Float32Array;
  try {
    p = probs.dataSync() as Float32Array;
  } catch (e) {
    if (!(e instanceof SyncReadError)) throw e;
    throw new SyncReadError(
      `multinomial: the weights cannot be read synchronously on ${probs.device}; ` +
        "`await multinomialAsync(probs, n)` reads them back",
    );
  }
  const out = sample(p, probs, numSamples, o);
  return fromTyped(out, outShape(probs, numSamples), probs.device);
}

function outShape(probs: Tensor, numSamples: number): number[] {
  return probs.ndim === 1 ? [numSamples] : [probs.shape[0], numSamples];
}

/** Validates the arguments; returns the options. */
function checkSampling(
  probs: Tensor,
  numSamples: number,
  opts: MultinomialOptions | undefined,
): MultinomialOptions {
  const o = checkOptions("multinomial", opts, ["replacement", "generator"]);
  checkTensor("multinomial", "input", probs);
  if (probs.dtype !== "float32") {
    throw new DTypeError(`multinomial: probabilities must be float32, got ${probs.dtype}`);
  }
  if (probs.ndim !== 1 && probs.ndim !== 2) {
    throw new ShapeError(
      `multinomial: probabilities must be 1-d or 2-d, got shape ${formatShape(probs.shape)}`,
    );
  }
  if (o.generator !== undefined && !(o.generator instanceof Generator)) {
    throw new TypeError(`multinomial: generator must be a Generator, got ${describe(o.generator)}`);
  }
  if (o.replacement !== undefined && typeof o.replacement !== "boolean") {
    throw new TypeError(
      `multinomial: replacement must be a boolean, got ${describe(o.replacement)}`,
    );
  }
  const cols = probs.shape[probs.ndim - 1];
  checkNumber("multinomial", "numSamples", numSamples, { integer: true, min: 1 });
  if (!(o.replacement ?? false) && numSamples > cols) {
    throw new RangeError(
      `Cannot sample ${numSamples} categories out of ${cols} without replacement`,
    );
  }
  return o;
}

/** Draws on the host from checked weights. */
function sample(
  p: Float32Array,
  probs: Tensor,
  numSamples: number,
  o: MultinomialOptions,
): Int32Array {
  const rows = probs.ndim === 1 ? 1 : probs.shape[0];
  const cols = probs.shape[probs.ndim - 1];
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const v = p[r * cols + c];
      if (!(v >= 0 && v < Infinity)) {
        throw new RangeError(
          `Cannot sample: probabilities must be finite and non-negative, got ${v} at row ${r}, column ${c}`,
        );
      }
      total += v;
    }
    if (!(total > 0)) {
      throw new RangeError(`Cannot sample: row ${r} of the probabilities sums to 0`);
    }
  }
  const gen = o.generator ?? defaultGenerator();
  return gen.multinomial(p, rows, cols, numSamples, o.replacement ?? false);
}

/**
 * {@link multinomial} on any device: on a non-cpu device the weights are read back (async: one
 * GPU→host transfer per call), sampled on the host from the same generator (so the draws equal
 * the cpu ones for the same seed) and the indices uploaded to the device. Meant for sampling
 * loops (text generation), where a readback per step is the price of a data-dependent draw.
 *
 * @param probs a 1-d (C) or 2-d (R, C) float32 tensor of weights
 * @param numSamples draws per row
 * @param opts replacement, generator
 * @returns int32 indices of shape (numSamples) or (R, numSamples), on probs' device
 * @throws {DTypeError} when probs is not float32
 * @throws {ShapeError} when probs is not 1-d or 2-d
 * @throws {RangeError} as {@link multinomial}
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { multinomialAsync } from "./sampling.ts";
 * const ix = await multinomialAsync(tensor([0, 1, 0]), 2, { replacement: true });
 * deepEqual(await ix.toArray(), [1, 1]);
 * ```
 */
export async function multinomialAsync(
  probs: Tensor,
  numSamples: number,
  opts?: MultinomialOptions,
): Promise<Tensor> {
  const o = checkSampling(probs, numSamples, opts);
  const out = sample(await probs.data() as Float32Array, probs, numSamples, o);
  return fromTyped(out, outShape(probs, numSamples), probs.device);
}
