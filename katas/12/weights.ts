/**
 * Kata 12, step 12.10: GPT-2's weights from the Hugging Face safetensors layout
 * (what picoGPT's `load_gpt2_params_from_tf_ckpt` does for OpenAI's TensorFlow
 * files). Replace every `todo(...)` with your code.
 *
 * From the library: `loadSafetensors(path)` gives `{ tensors, metadata }`, each
 * tensor `{ dtype, shape, data }`; `tensor(data, { shape })` makes a Tensor.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type SafetensorsFile, type Tensor, tensor } from "../../mod.ts";
import type { GPT2Params, HParams, LinearParams } from "./_types.ts";

/** A key the model needs is not in the file. */
export class MissingWeightError extends Error {
  override name = "MissingWeightError";
  /** @param key the missing key @param present how many keys the file has */
  constructor(readonly key: string, present: number) {
    super(`the checkpoint has no ${JSON.stringify(key)} (it has ${present} tensors)`);
  }
}

/**
 * Builds the model's parameters from a Hugging Face GPT-2 `model.safetensors`:
 * keys `wte.weight`, `wpe.weight`, `h.N.ln_1.weight`, `h.N.attn.c_attn.weight`
 * ([in, out], used as stored), …, `ln_f.weight`; the `h.N.attn.bias` mask
 * buffers are not parameters and are skipped.
 *
 * @param file a decoded safetensors file
 * @param nLayer how many blocks to read
 * @returns the weights as tensors
 * @throws {MissingWeightError} naming the first key that is missing
 */
export function gpt2Params(file: SafetensorsFile, nLayer: number): GPT2Params {
  return todo(
    "12.10",
    "gpt2Params: wte, wpe, h.N.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj}, ln_f",
  );
}

/**
 * The hyper-parameters a file's shapes imply (the number of heads is not in the
 * file: it is given).
 *
 * @param file a decoded safetensors file
 * @param nHead attention heads
 * @returns nVocab, nCtx and nEmbd from `wte`/`wpe`, nLayer from the `h.N.` keys
 */
export function hparamsOf(file: SafetensorsFile, nHead: number): HParams {
  return todo("12.10", "hparamsOf: shapes of wte and wpe, and how many h.N.ln_1.weight keys");
}
