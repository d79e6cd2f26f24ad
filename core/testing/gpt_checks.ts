/**
 * Checks of a GPT-shaped model that the library's tests and kata 10's tests share: causality,
 * the PyTorch fixture of testdata/gpt/ (weights, logits, loss, gradients), closeness of flat
 * arrays. They take functions, not a class, so any model that maps `(B, T)` int32 ids to
 * `(B, T, V)` logits can be checked.
 *
 * @module
 */

import { AssertionError } from "node:assert";
import { loadSafetensors } from "../io/safetensors.ts";
import { fromTyped } from "../ops/creation.ts";
import type { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";

/** The committed PyTorch fixture of a 2-layer GPT (testdata/gpt/gen_gpt.py). */
export const GPT_FIXTURE_PATH: string = new URL(
  "../../testdata/gpt/gpt_2layer.safetensors",
  import.meta.url,
).pathname;

/** One model of the fixture: its init weights, and logits, loss and gradients on the batch. */
export interface GPTFixtureModel {
  /** The state dict right after `torch.manual_seed(seed)`, by katagrad's names. */
  init: Record<string, Tensor>;
  /** The gradient of the loss for each parameter, by katagrad's names. */
  grads: Record<string, Float32Array>;
  /** `(B, T, V)` logits, flat. */
  logits: Float32Array;
  /** The loss. */
  loss: number;
  /**
   * nanoGPT's `generate` (temperature 0.8, top_k 5, generator manual_seed(seed)): 6 ids after
   * idx, `(B, T + 6)`; model "a" only.
   */
  generated: Int32Array | null;
}

/** The fixture: config, seed, the batch and the two models (a: bias, b: no bias). */
export interface GPTFixture {
  /** vocabSize, blockSize, nLayer, nHead, nEmbd, dropout (katagrad's names). */
  config: {
    vocabSize: number;
    blockSize: number;
    nLayer: number;
    nHead: number;
    nEmbd: number;
    dropout: number;
  };
  /** The seed both models were built after. */
  seed: number;
  /** `(B, T)` int32 input ids. */
  idx: Tensor;
  /** `(B, T)` int32 targets, −1 where ignored. */
  targets: Tensor;
  /** bias = true. */
  a: GPTFixtureModel;
  /** bias = false. */
  b: GPTFixtureModel;
}

/**
 * Reads the fixture; tensors are created on the default device.
 *
 * @param path the file (default {@link GPT_FIXTURE_PATH})
 * @returns the fixture
 */
export async function loadGPTFixture(path = GPT_FIXTURE_PATH): Promise<GPTFixture> {
  const file = await loadSafetensors(path);
  const t = (name: string) => {
    const e = file.tensors[name];
    if (e === undefined) throw new Error(`${path} has no tensor ${name}`);
    return e;
  };
  const model = (key: string): GPTFixtureModel => {
    const init: Record<string, Tensor> = {}, grads: Record<string, Float32Array> = {};
    for (const [name, e] of Object.entries(file.tensors)) {
      const [k, kind, ...rest] = name.split(".");
      if (k !== key) continue;
      if (kind === "init") {
        init[rest.join(".")] = fromTyped(e.data as Float32Array, e.shape.slice());
      }
      if (kind === "grad") grads[rest.join(".")] = e.data as Float32Array;
    }
    return {
      init,
      grads,
      logits: t(`${key}.logits`).data as Float32Array,
      loss: t(`${key}.loss`).data[0],
      generated: (file.tensors[`${key}.generated`]?.data as Int32Array | undefined) ?? null,
    };
  };
  const c = JSON.parse(file.metadata.config);
  const ids = (name: string) => fromTyped(t(name).data as Int32Array, t(name).shape.slice());
  return {
    config: {
      vocabSize: c.vocab_size,
      blockSize: c.block_size,
      nLayer: c.n_layer,
      nHead: c.n_head,
      nEmbd: c.n_embd,
      dropout: c.dropout,
    },
    seed: Number(file.metadata.seed),
    idx: ids("idx"),
    targets: ids("targets"),
    a: model("a"),
    b: model("b"),
  };
}

/**
 * The largest `|a − e| / (atol + rtol·|e|)` over the elements (≤ 1 means within tolerance).
 *
 * @param actual the values
 * @param expected the reference
 * @param atol absolute tolerance
 * @param rtol relative tolerance
 * @returns the worst ratio and where it is
 */
export function worstRatio(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): { ratio: number; at: number; maxAbs: number } {
  if (actual.length !== expected.length) {
    throw new AssertionError({
      message: `length ${actual.length} differs from expected ${expected.length}`,
    });
  }
  let ratio = 0, at = -1, maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    const r = d / (atol + rtol * Math.abs(expected[i]));
    if (!(r <= ratio)) [ratio, at] = [r, i];
    maxAbs = Math.max(maxAbs, d);
  }
  return { ratio, at, maxAbs };
}

/**
 * Asserts `|a − e| ≤ atol + rtol·|e|` everywhere (NaN fails).
 *
 * @param what named in the message
 * @param actual the values
 * @param expected the reference
 * @param atol absolute tolerance
 * @param rtol relative tolerance
 * @throws {AssertionError} naming the worst element
 */
export function assertAllClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): void {
  const { ratio, at } = worstRatio(actual, expected, atol, rtol);
  if (!(ratio <= 1)) {
    throw new AssertionError({
      message: `${what}: element ${at} is ${actual[at]}, expected ${expected[at]} ` +
        `(atol ${atol}, rtol ${rtol})`,
    });
  }
}

/**
 * Checks that a language model is causal: for a random `(B, T)` batch, changing the token at
 * position j leaves the logits at every position before j exactly as they were, and changes
 * those at j (so the check cannot pass on a model that ignores its input).
 *
 * @param logitsOf the model: `(B, T)` int32 ids → `(B, T, V)` logits
 * @param vocabSize V
 * @param seqLen T
 * @param generator draws the batch
 * @param batch B (default 2)
 * @throws {AssertionError} naming the position that saw the future
 */
export function assertCausal(
  logitsOf: (idx: Tensor) => Tensor,
  vocabSize: number,
  seqLen: number,
  generator: Generator,
  batch = 2,
): void {
  const ids = generator.integers(0, vocabSize, batch * seqLen);
  const base = logitsOf(fromTyped(ids, [batch, seqLen])).dataSync();
  const V = vocabSize;
  for (let j = 1; j < seqLen; j++) {
    const changed = ids.slice();
    for (let b = 0; b < batch; b++) {
      const i = b * seqLen + j;
      changed[i] = (changed[i] + 1 + (j % (V - 1))) % V; // a different token at j
    }
    const out = logitsOf(fromTyped(changed, [batch, seqLen])).dataSync();
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t <= j; t++) {
        const start = (b * seqLen + t) * V;
        let same = true;
        for (let v = 0; v < V; v++) same &&= out[start + v] === base[start + v];
        if (t < j && !same) {
          throw new AssertionError({
            message: `changing the token at position ${j} changed the logits at position ${t} ` +
              `(batch row ${b}): the model sees the future`,
          });
        }
        if (t === j && same) {
          throw new AssertionError({
            message: `changing the token at position ${j} left its own logits unchanged ` +
              `(batch row ${b}): the model ignores its input`,
          });
        }
      }
    }
  }
}
