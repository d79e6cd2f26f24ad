/**
 * Kata 12, step 12.10: GPT-2's weights from the Hugging Face safetensors
 * layout. The fixture file has the real file's layout, including a data
 * segment that does not start on a 4-byte boundary. Run `deno test katas/12`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import type { SafetensorsFile } from "../../mod.ts";
import { assertTensor, plain, TINY, TINY_FILE, TINY_HPARAMS, TINY_PARAMS } from "./_checks.ts";
import type { GPT2Params } from "./_types.ts";
import { gpt2 } from "./transformer.ts";
import { gpt2Params, hparamsOf } from "./weights.ts";

/** Every tensor of a GPT2Params with its path, in a fixed order. */
function leaves(p: GPT2Params): [string, unknown][] {
  const out: [string, unknown][] = [["wte", p.wte], ["wpe", p.wpe]];
  p.blocks.forEach((b, i) => {
    out.push([`blocks[${i}].ln1.g`, b.ln1.g], [`blocks[${i}].ln1.b`, b.ln1.b]);
    out.push([`blocks[${i}].attn.cAttn.w`, b.attn.cAttn.w], [
      `blocks[${i}].attn.cAttn.b`,
      b.attn.cAttn.b,
    ]);
    out.push([`blocks[${i}].attn.cProj.w`, b.attn.cProj.w], [
      `blocks[${i}].attn.cProj.b`,
      b.attn.cProj.b,
    ]);
    out.push([`blocks[${i}].ln2.g`, b.ln2.g], [`blocks[${i}].ln2.b`, b.ln2.b]);
    out.push([`blocks[${i}].mlp.cFc.w`, b.mlp.cFc.w], [`blocks[${i}].mlp.cFc.b`, b.mlp.cFc.b]);
    out.push([`blocks[${i}].mlp.cProj.w`, b.mlp.cProj.w], [
      `blocks[${i}].mlp.cProj.b`,
      b.mlp.cProj.b,
    ]);
  });
  out.push(["lnF.g", p.lnF.g], ["lnF.b", p.lnF.b]);
  return out;
}

Deno.test("12.10 gpt2Params: every tensor where picoGPT nests it, Conv1D weights used as stored", () => {
  const mine = leaves(gpt2Params(TINY_FILE, TINY_HPARAMS.nLayer));
  // the fixture is laid out like the real file: data at 3 mod 4, mask buffers, no lm_head
  equal(TINY.data_start % 4, 3, "the fixture's data segment should start at 3 mod 4");
  ok("h.0.attn.bias" in TINY_FILE.tensors && !("lm_head.weight" in TINY_FILE.tensors));
  const ref = leaves(TINY_PARAMS);
  deepEqual(mine.map(([k]) => k), ref.map(([k]) => k), "12.10 gpt2Params: the blocks, in order");
  for (let i = 0; i < ref.length; i++) {
    assertTensor(`12.10 gpt2Params → ${ref[i][0]}`, mine[i][1], plain(ref[i][0], ref[i][1]), 0);
  }
});

Deno.test("12.10 gpt2Params: the model built from them gives PyTorch's logits", () => {
  assertTensor(
    "12.10 gpt2(prompt, gpt2Params(file))",
    gpt2(TINY.prompt, gpt2Params(TINY_FILE, TINY_HPARAMS.nLayer), TINY_HPARAMS.nHead),
    { data: TINY.logits, shape: [TINY.prompt.length, TINY_HPARAMS.nVocab] },
    2e-4,
  );
});

Deno.test("12.10 gpt2Params: a missing tensor is an error that names its key", () => {
  const tensors = { ...TINY_FILE.tensors };
  delete tensors["h.1.mlp.c_proj.bias"];
  const broken: SafetensorsFile = { tensors, metadata: TINY_FILE.metadata };
  let error: unknown;
  try {
    gpt2Params(broken, 2);
  } catch (e) {
    error = e;
  }
  if (error instanceof Error && error.name === "KataTodo") throw error;
  ok(
    error instanceof Error && error.message.includes("h.1.mlp.c_proj.bias"),
    `12.10 gpt2Params without "h.1.mlp.c_proj.bias" must throw an error naming that key; it ${
      error === undefined ? "returned" : `threw ${String(error)}`
    }`,
  );
});

Deno.test("12.10 hparamsOf: vocabulary, context, width and layers from the shapes and keys", () => {
  deepEqual(hparamsOf(TINY_FILE, 2), TINY_HPARAMS, "12.10 hparamsOf(file, 2)");
});
