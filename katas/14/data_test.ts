/**
 * Kata 14, step 14.2: the shuffled documents, the vocabulary and the 4,192
 * parameters drawn with gauss(0, 0.08) in the published order.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { PyRandom } from "../../mod.ts";
import { assertNear, namesText, REF, setup } from "./_checks.ts";
import { initStateDict, loadDocs, matrix, MICROGPT, parameters, Tokenizer } from "./data.ts";

function same(name: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new KataAssertionError(
      `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

Deno.test("14.2 loadDocs: 32,033 names, shuffled by seed 42 to yuheng, diondre, xavien, …", async () => {
  const docs = loadDocs(await namesText(), new PyRandom(42));
  same("docs.length", docs.length, REF.docs.count);
  same("the first five documents", docs.slice(0, 5), REF.docs.head);
  same(
    "loadDocs(' ab \\n\\n cd\\n', …) keeps stripped non-empty lines",
    loadDocs(" ab \n\n cd\n", new PyRandom(0)).sort(),
    ["ab", "cd"],
  );
});

Deno.test("14.2 Tokenizer: 26 sorted letters, BOS = 26, vocab 27, encode wraps in BOS", () => {
  const t = new Tokenizer(["emma", "olivia", "ava", "zoe"]);
  same("chars", t.chars, ["a", "e", "i", "l", "m", "o", "v", "z"]);
  same("bos", t.bos, 8);
  same("vocabSize", t.vocabSize, 9);
  same("encode('ava')", t.encode("ava"), [8, 0, 6, 0, 8]);
});

Deno.test("14.2 matrix draws gauss(0, std) row by row", () => {
  const m = matrix(new PyRandom(7), 2, 3, 0.08);
  const r = new PyRandom(7);
  const want = Array.from({ length: 6 }, () => r.gauss(0, 0.08));
  same("shape", [m.length, m[0]?.length], [2, 3]);
  same("values, row by row", m.flat().map((v) => v.data), want);
});

Deno.test("14.2 initStateDict: 4,192 parameters drawn in the published order, as CPython draws them", async () => {
  const { sd, rng } = await setup();
  const params = parameters(sd);
  same("num params", params.length, REF.params.count);
  const p = REF.params;
  assertNear("wte[0][0] (the first draw after the shuffle)", sd.wte[0][0].data, p.wte00);
  assertNear("wte[0][1]", sd.wte[0][1].data, p.wte01);
  assertNear("wpe[0][0] (after all of wte)", sd.wpe[0][0].data, p.wpe00);
  assertNear("lmHead[0][0] (after wpe)", sd.lmHead[0][0].data, p.lm_head00);
  const l = sd.layers[0];
  assertNear("layers[0].attnWq[0][0] (after lm_head)", l.attnWq[0][0].data, p.attn_wq00);
  assertNear("layers[0].attnWo[0][0]", l.attnWo[0][0].data, p.attn_wo00);
  assertNear("layers[0].mlpFc1[0][0]", l.mlpFc1[0][0].data, p.mlp_fc1_00);
  assertNear("the last parameter (mlpFc2[15][63])", params.at(-1)!.data, p.last);
  assertNear("the sum of all parameters", params.reduce((s, v) => s + v.data, 0), p.sum, 1e-10);
  same("shapes: mlpFc1 (64, 16), mlpFc2 (16, 64)", [
    l.mlpFc1.length,
    l.mlpFc1[0].length,
    l.mlpFc2.length,
    l.mlpFc2[0].length,
  ], [64, 16, 16, 64]);
  same("the generator after the draws (random())", rng.random(), p.random_after);
  same("MICROGPT", MICROGPT, { vocabSize: 27, nLayer: 1, nEmbd: 16, blockSize: 16, nHead: 4 });
  same(
    "a second initStateDict draws fresh values",
    initStateDict(new PyRandom(1), MICROGPT).wte[0][0].data === sd.wte[0][0].data,
    false,
  );
});
