/**
 * Kata 12, step 12.10, the reference solution: GPT-2's weights from the Hugging
 * Face safetensors layout.
 *
 * @module
 */

import { type SafetensorsFile, type Tensor, tensor } from "../../mod.ts";
import type { GPT2Params, HParams, LinearParams } from "../../katas/12/_types.ts";

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
  const keys = Object.keys(file.tensors).length;
  const get = (key: string): Tensor => {
    const t = file.tensors[key];
    if (t === undefined) throw new MissingWeightError(key, keys);
    return tensor(t.data as Float32Array, { shape: t.shape });
  };
  const lin = (p: string): LinearParams => ({ w: get(`${p}.weight`), b: get(`${p}.bias`) });
  const ln = (p: string) => ({ g: get(`${p}.weight`), b: get(`${p}.bias`) });
  const blocks = Array.from({ length: nLayer }, (_, i) => ({
    ln1: ln(`h.${i}.ln_1`),
    attn: { cAttn: lin(`h.${i}.attn.c_attn`), cProj: lin(`h.${i}.attn.c_proj`) },
    ln2: ln(`h.${i}.ln_2`),
    mlp: { cFc: lin(`h.${i}.mlp.c_fc`), cProj: lin(`h.${i}.mlp.c_proj`) },
  }));
  return { wte: get("wte.weight"), wpe: get("wpe.weight"), blocks, lnF: ln("ln_f") };
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
  const wte = file.tensors["wte.weight"], wpe = file.tensors["wpe.weight"];
  if (wte === undefined) {
    throw new MissingWeightError("wte.weight", Object.keys(file.tensors).length);
  }
  if (wpe === undefined) {
    throw new MissingWeightError("wpe.weight", Object.keys(file.tensors).length);
  }
  let nLayer = 0;
  while (`h.${nLayer}.ln_1.weight` in file.tensors) nLayer++;
  return { nVocab: wte.shape[0], nCtx: wpe.shape[0], nEmbd: wte.shape[1], nHead, nLayer };
}
