/**
 * Kata 14, steps 14.6–14.7: the block, the whole forward pass for one token,
 * and the loss of one document with its gradients, against CPython on the
 * same seed.
 *
 * @module
 */

import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import {
  assertAllNear,
  assertNear,
  data,
  numericGrad,
  PUBLISHED_LOSSES,
  REF,
  setup,
  values,
} from "./_checks.ts";
import { emptyCache } from "./multi_head.ts";
import { block, documentLoss, gpt } from "./network.ts";

Deno.test("14.6 block: attention and MLP, each with rmsnorm before and a residual after", async () => {
  const { sd, config } = await setup();
  const cache = emptyCache(config.nLayer)[0];
  REF.doc0.positions.forEach((ref, pos) => {
    const out = block(values(ref.block_in), sd.layers[0], cache, config);
    assertAllNear(`block output at position ${pos}`, data(out), ref.block_out);
  });
});

Deno.test("14.6 gpt: embeddings, rmsnorm, the block, lm_head — the first three positions of 'yuheng'", async () => {
  const { sd, config } = await setup();
  const caches = emptyCache(config.nLayer);
  REF.doc0.positions.forEach((ref, pos) => {
    const logits = gpt(ref.token, pos, sd, caches, config);
    assertAllNear(`logits at position ${pos} (token ${ref.token})`, data(logits), ref.logits);
  });
  if (caches[0].keys.length !== 3) {
    throw new KataAssertionError(
      `gpt should append one key per call to its layer's cache: 3 calls, ${
        caches[0].keys.length
      } keys`,
    );
  }
});

Deno.test("14.7 documentLoss: the first document's loss is the published 3.3660", async () => {
  const { sd, config, tokenizer, docs } = await setup();
  const tokens = tokenizer.encode(docs[0]);
  const loss = documentLoss(tokens, sd, config);
  if (loss.data.toFixed(4) !== PUBLISHED_LOSSES[0]) {
    throw new KataAssertionError(
      `loss of "${docs[0]}" at init: published ${PUBLISHED_LOSSES[0]}, got ${loss.data.toFixed(4)}`,
    );
  }
  assertNear("loss of document 0 (CPython, full precision)", loss.data, REF.loss0.loss);
  loss.backward();
  const pick: Record<string, number[]> = REF.loss0.grads;
  const mats: Record<string, typeof sd.wte> = {
    wte: sd.wte,
    wpe: sd.wpe,
    lm_head: sd.lmHead,
    "layer0.attn_wq": sd.layers[0].attnWq,
    "layer0.attn_wk": sd.layers[0].attnWk,
    "layer0.attn_wv": sd.layers[0].attnWv,
    "layer0.attn_wo": sd.layers[0].attnWo,
    "layer0.mlp_fc1": sd.layers[0].mlpFc1,
    "layer0.mlp_fc2": sd.layers[0].mlpFc2,
  };
  for (const [name, [r, c, g]] of Object.entries(pick)) {
    assertNear(`${name}[${r}][${c}].grad`, mats[name][r][c].grad, g, 1e-9);
  }
});

Deno.test("14.7 documentLoss: gradients agree with finite differences", async () => {
  const { sd, config, tokenizer } = await setup();
  const tokens = tokenizer.encode("ava");
  documentLoss(tokens, sd, config).backward();
  const leaves = [
    sd.wte[0][2],
    sd.wpe[1][5],
    sd.layers[0].attnWk[3][7],
    sd.layers[0].mlpFc2[9][40],
  ];
  for (const [i, p] of leaves.entries()) {
    const fd = numericGrad(() => documentLoss(tokens, sd, config).data, p, 1e-6);
    assertClose(`parameter ${i}: grad vs finite differences`, p.grad, fd, 1e-6);
  }
});

Deno.test("14.7 documentLoss: the mean over at most blockSize positions", async () => {
  const { sd, config, tokenizer } = await setup();
  const long = tokenizer.encode("abcdefghijklmnopqrstuvwxyz"); // 28 tokens, 16 predictions
  const loss = documentLoss(long, sd, config);
  const cut = documentLoss(long.slice(0, 17), sd, config);
  assertNear(
    "a 26-letter name's loss equals its first 16 predictions'",
    loss.data,
    cut.data,
    1e-15,
  );
  if (REF.loss0.n !== 7) throw new KataAssertionError("fixture: 'yuheng' has 7 predictions");
});
