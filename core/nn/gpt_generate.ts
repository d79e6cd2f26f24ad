/**
 * Sampling from a GPT (nanoGPT's `generate`): crop the context to the block size, take the last
 * position's logits, scale by the temperature, keep the top k, sample, append.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { keep, tidy } from "../memory.ts";
import { cat } from "../ops/movement.ts";
import { multinomialAsync } from "../ops/sampling.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { checkInstance, checkNumber, checkOptions, checkTensor } from "../validate.ts";

/** Options of `GPT.generate`. */
export interface GenerateOptions {
  /** Divides the logits: below 1 sharper, above 1 flatter (default 1, > 0). */
  temperature?: number;
  /** Sample only among the k most likely tokens (default: all). */
  topK?: number | null;
  /** The generator the draws come from (default: the process-wide one). */
  generator?: Generator;
}

/** What generate needs of a model: nanoGPT's forward without targets, and its block size. */
export interface GenerativeModel {
  /** The config's block size. */
  readonly config: { readonly blockSize: number; readonly vocabSize: number };
  /**
   * The forward pass without targets.
   *
   * @param idx (B, T) int32
   * @returns logits (B, 1, V)
   */
  forward(idx: Tensor): { logits: Tensor };
}

/**
 * Appends `maxNewTokens` sampled tokens to `idx` (see `GPT.generate`).
 *
 * @param model the model
 * @param idx `(B, T)` int32 prompt ids
 * @param maxNewTokens how many tokens to add
 * @param opts temperature, topK, generator
 * @returns `(B, T + maxNewTokens)` int32 ids
 * @throws {RangeError} for a negative maxNewTokens, a temperature ≤ 0 or a topK < 1
 * @throws {ShapeError} when idx is not (B, T) with T ≥ 1
 * @throws {DTypeError} when idx is not int32
 */
export async function generate(
  model: GenerativeModel,
  idx: Tensor,
  maxNewTokens: number,
  opts: GenerateOptions = {},
): Promise<Tensor> {
  const op = "GPT.generate";
  checkTensor(op, "idx", idx);
  if (idx.dtype !== "int32") throw new DTypeError(`${op}: idx must be int32, got ${idx.dtype}`);
  if (idx.ndim !== 2 || idx.shape[1] < 1) {
    throw new ShapeError(`${op}: idx must be (B, T) with T >= 1, got ${formatShape(idx.shape)}`);
  }
  checkNumber(op, "maxNewTokens", maxNewTokens, { integer: true, min: 0 });
  const o = checkOptions(op, opts, ["temperature", "topK", "generator"]);
  const temperature = o.temperature ?? 1;
  if (!(checkNumber(op, "temperature", temperature, { min: 0 }) > 0)) {
    throw new RangeError(`${op}: temperature must be a number > 0, got 0`);
  }
  const topK = o.topK ?? null;
  if (topK !== null) checkNumber(op, "topK", topK, { integer: true, min: 1 });
  if (o.generator !== undefined) {
    checkInstance(op, "generator", o.generator, Generator, "a Generator");
  }
  const { blockSize, vocabSize } = model.config;
  let out = idx;
  for (let i = 0; i < maxNewTokens; i++) {
    const probs = tidy(() =>
      noGrad(() => {
        const T = out.shape[1];
        const cond = T <= blockSize ? out : out.slice(1, T - blockSize, T); // (B, <= blockSize)
        const B = cond.shape[0];
        let logits = model.forward(cond).logits.reshape(B, vocabSize).div(temperature); // (B, 1, V) -> (B, V)
        if (topK !== null && topK < vocabSize) {
          const kth = logits.topk(topK, -1).values.slice(1, topK - 1, topK); // (B, k) -> (B, 1)
          logits = logits.maskedFill(logits.lt(kth), -Infinity); // below the k-th: never drawn
        }
        return logits.softmax(-1);
      })
    );
    const next = await multinomialAsync(probs, 1, { generator: o.generator }); // (B, 1)
    probs.dispose();
    const grown = keep(cat([out, next], 1)); // (B, T) + (B, 1) -> (B, T + 1)
    next.dispose();
    if (out !== idx) out.dispose();
    out = grown;
  }
  return out;
}
