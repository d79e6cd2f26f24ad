/**
 * Kata 08, step 08.6: what a model sees. Both of the lecture's models read
 * the last 8 characters and nothing else: a character before them cannot
 * change the logits, and each of the 8 can. Replace every `todo(...)` with
 * your code.
 *
 * From the library: `tensor([context], { dtype: "int32" })`, `noGrad`,
 * `dataSync`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
  return todo("08.6", "contextOf: the last blockSize characters, padded on the left with 0");
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
  return todo("08.6", "nextLogits: the model in evaluation mode on the context, (1, vocabSize)");
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
  return todo(
    "08.6",
    "sensitivity: per position, the largest logit change over every character put there",
  );
}
