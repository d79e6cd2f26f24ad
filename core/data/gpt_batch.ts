/**
 * The GPT lecture's `get_batch`: random `B × T` windows of a token stream and
 * the same windows shifted by one as targets.
 *
 * @module
 */

import type { IntSampler } from "./makemore.ts";
import { checkFunction, checkNumber, describe } from "../validate.ts";

function checkTokens(op: string, data: unknown): void {
  if (!(data instanceof Int32Array)) {
    throw new TypeError(`${op}: data must be an Int32Array of token ids, got ${describe(data)}`);
  }
}

/** A batch of `batchSize × blockSize` token ids, row-major. */
export interface GptBatch {
  /** Inputs: `x[b, t] = data[ix[b] + t]`. */
  x: Int32Array;
  /** Targets: `y[b, t] = data[ix[b] + t + 1]`. */
  y: Int32Array;
  /** The window starts that were drawn. */
  ix: Int32Array;
}

/**
 * `ix = torch.randint(len(data) - block_size, (batch_size,))`, then
 * `x = stack([data[i:i+block_size]])`, `y = stack([data[i+1:i+block_size+1]])`.
 *
 * @param data the encoded text (e.g. the train split, the first 90%)
 * @param batchSize B
 * @param blockSize T, the context length
 * @param randint the sampler, called once as `randint(0, data.length - blockSize, batchSize)`
 * @returns `x` and `y` (`B × T` each) and the drawn starts `ix`
 * @throws {RangeError} when sizes are not positive integers, the data is not
 *   longer than blockSize, or the sampler returns a bad count or start
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { getBatch } from "./gpt_batch.ts";
 * const data = Int32Array.from([10, 11, 12, 13, 14, 15]);
 * const { x, y } = getBatch(data, 2, 3, () => [0, 2]);
 * deepEqual([...x], [10, 11, 12, 12, 13, 14]);
 * deepEqual([...y], [11, 12, 13, 13, 14, 15]);
 * ```
 */
export function getBatch(
  data: Int32Array,
  batchSize: number,
  blockSize: number,
  randint: IntSampler,
): GptBatch {
  checkTokens("getBatch", data);
  checkNumber("getBatch", "batchSize", batchSize, { integer: true, min: 1 });
  checkNumber("getBatch", "blockSize", blockSize, { integer: true, min: 1 });
  checkFunction("getBatch", "randint", randint);
  const high = data.length - blockSize;
  if (high < 1) {
    throw new RangeError(
      `getBatch: data has ${data.length} tokens, needs more than blockSize ${blockSize}`,
    );
  }
  const drawn = randint(0, high, batchSize);
  if (drawn.length !== batchSize) {
    throw new RangeError(
      `getBatch: the sampler returned ${drawn.length} starts, expected ${batchSize}`,
    );
  }
  const ix = new Int32Array(batchSize);
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const i = drawn[b];
    if (!Number.isInteger(i) || i < 0 || i >= high) {
      throw new RangeError(`getBatch: start ${i} at ${b} is outside [0, ${high})`);
    }
    ix[b] = i;
    x.set(data.subarray(i, i + blockSize), b * blockSize); // (T,) -> row b of (B, T)
    y.set(data.subarray(i + 1, i + 1 + blockSize), b * blockSize);
  }
  return { x, y, ix };
}

/**
 * The lecture's train/val cut: `n = int(frac * len(data))`, `data[:n]`, `data[n:]`
 * (views, no copy).
 *
 * @param data the encoded text
 * @param frac the train fraction, in [0, 1] (0.9 in the lecture)
 * @returns `train` and `val` views of `data`
 * @throws {RangeError} when frac is outside [0, 1]
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { splitTrainVal } from "./gpt_batch.ts";
 * const { train, val } = splitTrainVal(new Int32Array(25));
 * equal(train.length, 22); // int(22.5)
 * equal(val.length, 3);
 * ```
 */
export function splitTrainVal(
  data: Int32Array,
  frac = 0.9,
): { train: Int32Array; val: Int32Array } {
  checkTokens("splitTrainVal", data);
  checkNumber("splitTrainVal", "frac", frac, { min: 0, max: 1 });
  const n = Math.trunc(frac * data.length);
  return { train: data.subarray(0, n), val: data.subarray(n) };
}
