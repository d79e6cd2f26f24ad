import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import { loadGPTFixture } from "../testing/gpt_checks.ts";
import { GPT } from "./gpt.ts";

const TINY = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 3, nEmbd: 12 };
const model = new GPT(TINY, { generator: new Generator(21) }).eval();
const ids = (rows: number[][]) => tensor(rows, { dtype: "int32" });

Deno.test("generate samples nanoGPT's tokens from the same weights, prompt and seed", async () => {
  const fx = await loadGPTFixture();
  const m = new GPT({ ...fx.config, bias: true }, { generator: new Generator(0) });
  m.loadStateDict(fx.a.init);
  m.eval();
  // (3, 7) + 6 tokens crosses blockSize 8: the context is cropped, as nanoGPT crops it
  const out = await m.generate(fx.idx, 6, {
    temperature: 0.8,
    topK: 5,
    generator: new Generator(fx.seed),
  });
  deepEqual(out.shape, [3, 13]);
  deepEqual(out.dataSync(), fx.a.generated);
});

Deno.test("generate keeps the prompt, adds maxNewTokens, and is reproducible from a seed", async () => {
  const prompt = ids([[1, 2, 3], [4, 5, 6]]);
  const a = await model.generate(prompt, 5, { generator: new Generator(1) });
  deepEqual(a.shape, [2, 8]);
  deepEqual(a.slice(1, 0, 3).toArraySync(), prompt.toArraySync());
  const b = await model.generate(prompt, 5, { generator: new Generator(1) });
  deepEqual(b.dataSync(), a.dataSync());
  deepEqual((await model.generate(prompt, 0)).toArraySync(), prompt.toArraySync());
});

Deno.test("generate crops the context to the last blockSize tokens", async () => {
  const long = ids([[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]]); // 12 > blockSize 8
  const tail = long.slice(1, 4, 12);
  const a = await model.generate(long, 4, { generator: new Generator(2) });
  const b = await model.generate(tail, 4, { generator: new Generator(2) });
  deepEqual(a.slice(1, 12, 16).dataSync(), b.slice(1, 8, 12).dataSync());
});

Deno.test("generate with topK 1 is greedy; with topK k draws only among the k likeliest", async () => {
  const prompt = ids([[1, 2], [7, 3], [10, 0]]);
  const greedy = await model.generate(prompt, 6, { topK: 1, generator: new Generator(3) });
  const rows = greedy.toArraySync() as number[][];
  for (let t = 2; t < 8; t++) {
    const ctx = ids(rows.map((r) => r.slice(0, t)));
    const next = model.forward(ctx).logits.argmax(-1).dataSync(); // (B, 1, V) -> (B, 1)
    deepEqual(rows.map((r) => r[t]), [...next]);
  }
  const k = 3;
  const sampled = (await model.generate(prompt, 12, {
    topK: k,
    temperature: 2,
    generator: new Generator(4),
  })).toArraySync() as number[][];
  for (let t = 2; t < 14; t++) {
    const ctx = ids(sampled.map((r) => r.slice(Math.max(0, t - 8), t)));
    const top = model.forward(ctx).logits.topk(k, -1).indices.toArraySync() as number[][][];
    sampled.forEach((r, b) => ok(top[b][0].includes(r[t]), `step ${t}, row ${b}`));
  }
  equal(new Set(sampled.flatMap((r) => r.slice(2))).size > 1, true); // not greedy at T = 2
});

Deno.test("generate refuses bad arguments with a message that names them", async () => {
  const p = ids([[1]]);
  await rejects(model.generate(p, 3, { temperature: 0 }), {
    name: "RangeError",
    message: "GPT.generate: temperature must be a number > 0, got 0",
  });
  await rejects(model.generate(p, 3, { topK: 0 }), {
    name: "RangeError",
    message: "GPT.generate: topK must be an integer >= 1, got 0",
  });
  await rejects(model.generate(p, -1), {
    name: "RangeError",
    message: "GPT.generate: maxNewTokens must be an integer >= 0, got -1",
  });
  await rejects(model.generate(tensor([[1.5]]), 3), {
    name: "DTypeError",
    message: "GPT.generate: idx must be int32, got float32",
  });
});
