/**
 * Kata 08 reference, step 08.6: what a model sees. Both of the lecture's
 * models read the last 8 characters and nothing else: a character before
 * them cannot change the logits, and each of the 8 can.
 *
 * @module
 */

import { noGrad, type Tensor, tensor } from "../../mod.ts";
import type { Sequential } from "./layers.ts";
import { setTraining } from "./model.ts";

/**
 * The context the model sees after `prefix`: the last `blockSize` characters,
 * padded on the left with `.` (0), as the lecture's sampling loop keeps it.
 *
 * @param prefix character indices seen so far
 * @param blockSize context length
 * @returns `blockSize` indices
 */
export function contextOf(prefix: number[], blockSize: number): number[] {
  let context = new Array(blockSize).fill(0);
  for (const ix of prefix) context = [...context.slice(1), ix]; // crop and append
  return context;
}

/**
 * The logits of the next character after `prefix`, in evaluation mode.
 *
 * @param model the model (left in evaluation mode)
 * @param prefix character indices seen so far
 * @param blockSize context length
 * @returns `(1, vocabSize)`
 */
export function nextLogits(model: Sequential, prefix: number[], blockSize: number): Tensor {
  setTraining(model, false);
  const x = tensor([contextOf(prefix, blockSize)], { dtype: "int32" }); // (1, blockSize)
  return noGrad(() => model.forward(x));
}

/**
 * How much each position of a context can move the logits: for each
 * position, the largest `|Δ logit|` over every other character put there.
 *
 * @param model the model (left in evaluation mode)
 * @param context `blockSize` character indices
 * @param vocabSize characters to try (27)
 * @returns one number per position, 0 where the position is never looked at
 */
export function sensitivity(model: Sequential, context: number[], vocabSize = 27): number[] {
  const base = nextLogits(model, context, context.length).dataSync();
  return context.map((_, i) => {
    let most = 0;
    for (let c = 0; c < vocabSize; c++) {
      const changed = context.with(i, c);
      const logits = nextLogits(model, changed, context.length).dataSync();
      for (let k = 0; k < logits.length; k++) most = Math.max(most, Math.abs(logits[k] - base[k]));
    }
    return most;
  });
}
