/**
 * Shared pieces of kata 12's tests: the fixture checkpoint (a small random
 * model in the Hugging Face GPT-2 layout, with what PyTorch computed from it),
 * its parameters read without your code, float64 references written with plain
 * loops, and comparisons that print shapes and the first entries that differ.
 *
 * @module
 */

import { assertAllClose } from "../_lib/assert.ts";
import { loadSafetensors, type SafetensorsFile, type Tensor, tensor } from "../../mod.ts";
import type { AttentionParams, BlockParams, GPT2Params, HParams, MlpParams } from "./_types.ts";

const HERE = new URL("../../testdata/gpt2/", import.meta.url);

/** testdata/gpt2/tiny_gpt2.json: what PyTorch 1.13 computed from the fixture checkpoint. */
export interface TinyExpected {
  /** snake_case, as the script writes them */
  hparams: { n_vocab: number; n_ctx: number; n_embd: number; n_head: number; n_layer: number };
  /** the prompt's token ids */
  prompt: number[];
  /** `(prompt length, n_vocab)`, flattened */
  logits: number[];
  /** 12 greedy tokens after the prompt */
  continuation: number[];
  /** the byte where the file's data starts (3 mod 4, as in the real file) */
  data_start: number;
}

/** The fixture's path. */
export const TINY_PATH: string = new URL("tiny_gpt2.safetensors", HERE).pathname;

/** What PyTorch computed from the fixture. */
export const TINY: TinyExpected = JSON.parse(
  await Deno.readTextFile(new URL("tiny_gpt2.json", HERE)),
);

/** The fixture's hyper-parameters. */
export const TINY_HPARAMS: HParams = {
  nVocab: TINY.hparams.n_vocab,
  nCtx: TINY.hparams.n_ctx,
  nEmbd: TINY.hparams.n_embd,
  nHead: TINY.hparams.n_head,
  nLayer: TINY.hparams.n_layer,
};

/** The fixture file, decoded by the library's reader. */
export const TINY_FILE: SafetensorsFile = await loadSafetensors(TINY_PATH);

/** The fixture's parameters, read here so that steps after 12.8 do not depend on yours. */
export const TINY_PARAMS: GPT2Params = paramsFromFile(TINY_FILE, TINY_HPARAMS.nLayer);

function paramsFromFile(file: SafetensorsFile, nLayer: number): GPT2Params {
  const t = (key: string): Tensor => {
    const e = file.tensors[key];
    return tensor(e.data as Float32Array, { shape: e.shape });
  };
  const pair = (p: string, a: "w" | "g") => ({ [a]: t(`${p}.weight`), b: t(`${p}.bias`) });
  const lin = (p: string) => pair(p, "w") as { w: Tensor; b: Tensor };
  const ln = (p: string) => pair(p, "g") as { g: Tensor; b: Tensor };
  return {
    wte: t("wte.weight"),
    wpe: t("wpe.weight"),
    blocks: Array.from({ length: nLayer }, (_, i) => ({
      ln1: ln(`h.${i}.ln_1`),
      attn: { cAttn: lin(`h.${i}.attn.c_attn`), cProj: lin(`h.${i}.attn.c_proj`) },
      ln2: ln(`h.${i}.ln_2`),
      mlp: { cFc: lin(`h.${i}.mlp.c_fc`), cProj: lin(`h.${i}.mlp.c_proj`) },
    })),
    lnF: ln("ln_f"),
  };
}

/** Flat float64 data and a shape. */
export interface Plain {
  /** row-major values */
  data: ArrayLike<number>;
  /** dimensions */
  shape: number[];
}

/**
 * A tensor's values and shape (throws a readable error for a non-tensor).
 *
 * @param what the name in the message
 * @param t what your code returned
 * @returns its data and shape
 */
export function plain(what: string, t: unknown): Plain {
  const x = t as Tensor;
  if (x === null || typeof x !== "object" || typeof x.dataSync !== "function") {
    throw new TypeError(`${what}: expected a Tensor, got ${String(t)}`);
  }
  return { data: Array.from(x.dataSync()), shape: [...x.shape] };
}

/**
 * Asserts a tensor matches a float64 reference (absolute plus relative `tol`).
 *
 * @param what the name in the message, starting with the step
 * @param actual your tensor
 * @param expected the reference
 * @param tol tolerance (default 1e-5)
 */
export function assertTensor(what: string, actual: unknown, expected: Plain, tol = 1e-5): void {
  const a = plain(what, actual);
  assertAllClose(what, { data: Array.from(a.data), shape: a.shape }, {
    data: Array.from(expected.data),
    shape: expected.shape,
  }, tol);
}

/**
 * Row-major float64 values of `f` over every index of `shape`.
 *
 * @param shape the result's shape
 * @param f the value at each flat index
 * @returns a Plain
 */
export function build(shape: number[], f: (i: number) => number): Plain {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from({ length: n }, (_, i) => f(i)), shape };
}

/** A float64 LayerNorm of the rows of `x` (biased variance). */
export function refLayerNorm(
  x: Plain,
  g: ArrayLike<number>,
  b: ArrayLike<number>,
  eps = 1e-5,
): Plain {
  const n = x.shape[x.shape.length - 1], out = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / n; r++) {
    let mean = 0, v = 0;
    for (let j = 0; j < n; j++) mean += x.data[r * n + j] / n;
    for (let j = 0; j < n; j++) v += (x.data[r * n + j] - mean) ** 2 / n;
    for (let j = 0; j < n; j++) {
      out[r * n + j] = (x.data[r * n + j] - mean) / Math.sqrt(v + eps) * g[j] + b[j];
    }
  }
  return { data: out, shape: x.shape };
}

/** float64 softmax over the last axis. */
export function refSoftmax(x: Plain): Plain {
  const n = x.shape[x.shape.length - 1], out = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / n; r++) {
    let m = -Infinity, s = 0;
    for (let j = 0; j < n; j++) m = Math.max(m, x.data[r * n + j]);
    for (let j = 0; j < n; j++) s += Math.exp(x.data[r * n + j] - m);
    for (let j = 0; j < n; j++) out[r * n + j] = Math.exp(x.data[r * n + j] - m) / s;
  }
  return { data: out, shape: x.shape };
}

/** GELU's tanh form in float64. */
export function refGelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

/** float64 `(m, k) @ (k, n)`. */
export function refMatmul(a: Plain, b: Plain): Plain {
  const [m, k] = a.shape, n = b.shape[1], out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
      out[i * n + j] = s;
    }
  }
  return { data: out, shape: [m, n] };
}

/**
 * float64 single-head causal attention of `(T, d)` q, k, v, query i seeing keys
 * 0..i + offset.
 */
export function refAttention(
  q: Plain,
  k: Plain,
  v: Plain,
  offset = k.shape[0] - q.shape[0],
): Plain {
  const [tq, d] = q.shape, tk = k.shape[0], dv = v.shape[1];
  const out = new Float64Array(tq * dv);
  for (let i = 0; i < tq; i++) {
    const w = new Float64Array(tk);
    let m = -Infinity, s = 0;
    for (let j = 0; j <= Math.min(i + offset, tk - 1); j++) {
      let dot = 0;
      for (let p = 0; p < d; p++) dot += q.data[i * d + p] * k.data[j * d + p];
      w[j] = dot / Math.sqrt(d);
      m = Math.max(m, w[j]);
    }
    for (let j = 0; j <= Math.min(i + offset, tk - 1); j++) s += w[j] = Math.exp(w[j] - m);
    for (let j = 0; j <= Math.min(i + offset, tk - 1); j++) {
      for (let c = 0; c < dv; c++) out[i * dv + c] += w[j] / s * v.data[j * dv + c];
    }
  }
  return { data: out, shape: [tq, dv] };
}

/** Columns `from..from+n` of a `(T, C)` Plain. */
export function columns(x: Plain, from: number, n: number): Plain {
  const [T, C] = x.shape;
  return build([T, n], (i) => x.data[Math.floor(i / n) * C + from + (i % n)]);
}

function refLinear(x: Plain, p: { w: Tensor; b: Tensor }): Plain {
  const y = refMatmul(x, plain("w", p.w)), b = p.b.dataSync(), n = y.shape[1];
  return build(y.shape, (i) => y.data[i] + b[i % n]);
}

/** float64 causal multi-head attention of a `(T, C)` input with GPT-2's parameters. */
export function refMha(x: Plain, attn: AttentionParams, nHead: number): Plain {
  const [T, C] = x.shape, hs = C / nHead;
  const qkv = refLinear(x, attn.cAttn);
  const heads = Array.from(
    { length: nHead },
    (_, h) =>
      refAttention(
        columns(qkv, h * hs, hs),
        columns(qkv, C + h * hs, hs),
        columns(qkv, 2 * C + h * hs, hs),
      ),
  );
  const merged = build([T, C], (i) => {
    const t = Math.floor(i / C), c = i % C;
    return heads[Math.floor(c / hs)].data[t * hs + (c % hs)];
  });
  return refLinear(merged, attn.cProj);
}

/** float64 feed-forward network. */
export function refFfn(x: Plain, mlp: MlpParams): Plain {
  const up = refLinear(x, mlp.cFc);
  return refLinear(build(up.shape, (i) => refGelu(up.data[i])), mlp.cProj);
}

/** float64 pre-LayerNorm transformer block. */
export function refBlock(x: Plain, block: BlockParams, nHead: number): Plain {
  const ln = (y: Plain, p: { g: Tensor; b: Tensor }) =>
    refLayerNorm(y, p.g.dataSync(), p.b.dataSync());
  const a = refMha(ln(x, block.ln1), block.attn, nHead);
  const x1 = build(x.shape, (i) => x.data[i] + a.data[i]);
  const m = refFfn(ln(x1, block.ln2), block.mlp);
  return build(x.shape, (i) => x1.data[i] + m.data[i]);
}
