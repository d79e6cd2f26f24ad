/**
 * Shared pieces of kata 07's tests: the lecture's data and first batch, a
 * small network whose sizes all differ (so that a transposed or un-summed
 * gradient has the wrong shape), autograd's gradients of every chunk, and a
 * gradient assertion with `torch.allclose`'s tolerances (rtol 1e-5, atol
 * 1e-8) that says what a wrong shape usually means.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, randint, randn, type Tensor } from "../../mod.ts";
import { loadMakemoreSplit, type MakemoreSplit } from "../../bench/reproduce/makemore_mlp.ts";
import backprop from "../../testdata/lectures/backprop.json" with { type: "json" };
import type { Chunks, NetConfig, NetParams } from "./chunks.ts";
import * as chunks from "./chunks.ts";

/**
 * PyTorch running the lecture's code (testdata/gen_backprop.py): the first
 * values of each parameter, the first batch's loss, exercise 4's first
 * minibatch losses and its loss after a short run, twenty sampled names.
 */
export const TORCH = backprop;

/**
 * The low 32 bits of the seed of torch's global generator in the lecture's
 * notebook. The lecture draws `bngain` and `bnbias` without `generator=g`, from
 * the global generator, which PyTorch seeds at random at start-up; this seed
 * was found by trying all 2^32 (testdata/gen_backprop.py says how), and with
 * it the first batch's loss is the lecture's 3.3377387523651123.
 */
export const LECTURE_GLOBAL_SEED: number = backprop.lecture_global_seed;

let split: MakemoreSplit | undefined;

/** The lecture's split of names.txt (block size 3), loaded once per test file. */
export async function lectureSplit(): Promise<MakemoreSplit> {
  split ??= await loadMakemoreSplit(3);
  return split;
}

/** A network, its batch and its forward pass. */
export interface Case {
  /** The parameters. */
  p: NetParams;
  /** int32 contexts `(n, blockSize)`. */
  Xb: Tensor;
  /** int32 targets `(n)`. */
  Yb: Tensor;
  /** The chunked forward pass, every chunk retaining its grad. */
  f: Chunks;
}

/**
 * The lecture's exercise 1: `Generator(2147483647)` for the parameters and the
 * batch, the lecture's global generator for bngain and bnbias, the first
 * minibatch of 32, forward (your 07.1), every chunk retaining its grad.
 *
 * @returns the case, before any backward
 */
export async function lectureCase(): Promise<Case> {
  const { Xtr, Ytr } = await lectureSplit();
  const g = new Generator(2147483647);
  const p = chunks.initParams(g, { gainGenerator: new Generator(LECTURE_GLOBAL_SEED) });
  const ix = randint(0, Xtr.shape[0], [32], { generator: g });
  const Xb = Xtr.index(ix), Yb = Ytr.index(ix);
  return { p, Xb, Yb, f: retained(chunks.forwardChunks(p, Xb, Yb)) };
}

/**
 * Exercise 4's network (nHidden 200) as the notebook draws it: `g` for C … b2
 * and the minibatches, the global generator for bngain and bnbias, going on
 * after exercise 1's 128 draws.
 *
 * @param init the `initParams` to draw with (default: yours, katas/07/chunks.ts)
 * @returns the parameters and `g`, ready to draw the first minibatch
 */
export function exercise4Params(
  init: typeof chunks.initParams = chunks.initParams,
): { p: NetParams; g: Generator } {
  const g = new Generator(2147483647);
  const global = new Generator(LECTURE_GLOBAL_SEED);
  global.normal(64); // exercise 1's bngain
  global.normal(64); // and bnbias
  return { p: init(g, { nHidden: 200, gainGenerator: global }), g };
}

/** The small network: every size different (n 13, block 4, embedding 5, hidden 7, vocab 11). */
export const SMALL: Required<Omit<NetConfig, "gainGenerator">> & { n: number } = {
  n: 13,
  vocabSize: 11,
  blockSize: 4,
  nEmbd: 5,
  nHidden: 7,
};

/**
 * The small network with a random batch: 52 lookups into 11 rows of C, so
 * rows repeat.
 *
 * @param seed the seed of the parameters and the batch
 * @returns the case, before any backward
 */
export function smallCase(seed = 7): Case {
  const g = new Generator(seed);
  const { n, ...config } = SMALL;
  const p = chunks.initParams(g, config);
  const Xb = randint(0, SMALL.vocabSize, [n, SMALL.blockSize], { generator: g });
  const Yb = randint(0, SMALL.vocabSize, [n], { generator: g });
  return { p, Xb, Yb, f: retained(chunks.forwardChunks(p, Xb, Yb)) };
}

/** Calls `retainGrad()` on every chunk but the loss. */
function retained(f: Chunks): Chunks {
  for (const [name, t] of Object.entries(f)) if (name !== "loss") t.retainGrad();
  return f;
}

/**
 * Autograd from `t` with a random upstream gradient (`t.backward(G)`), so
 * that gradients which are zero from the real loss (the max's) are not.
 *
 * @param t the tensor to start from
 * @param seed the seed of G
 */
export function randomUpstream(t: Tensor, seed = 11): void {
  t.backward(randn(t.shape, { generator: new Generator(seed) }));
}

const fmtShape = (s: readonly number[]) => `(${s.join(", ")})`;

/**
 * What a wrong gradient shape usually means, for the failure message.
 *
 * @param got the shape written by hand
 * @param want the tensor's shape
 * @returns a sentence
 */
export function shapeAdvice(got: readonly number[], want: readonly number[]): string {
  const sorted = (s: readonly number[]) => [...s].sort((a, b) => a - b).join(",");
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (got.length === want.length && sorted(got) === sorted(want)) {
    return "the same numbers in another order: a transposed matmul gradient? (dW = xᵀ @ dout)";
  }
  if (size(got) > size(want)) {
    return "more numbers than the tensor has: where the forward pass broadcast this tensor, " +
      "sum its gradient over the broadcast dimension";
  }
  if (size(got) === size(want)) {
    return "summed, but the tensor keeps its size-1 dimension: sum with { keepdim: true }";
  }
  return "fewer numbers than the tensor has: a gradient has its tensor's shape";
}

/**
 * Asserts that a gradient written by hand equals autograd's `t.grad`: the
 * same shape, then `torch.allclose` (|d − grad| ≤ 1e-8 + 1e-5·|grad|).
 *
 * @param step the kata step, e.g. `"07.4"`
 * @param name the tensor's name, e.g. `"bnmeani"`
 * @param dt the gradient written by hand
 * @param t the tensor whose `grad` autograd set
 * @throws {KataAssertionError} naming the step, the gradient, the shape or the entries that differ
 */
export function assertGrad(step: string, name: string, dt: Tensor | undefined, t: Tensor): void {
  const what = `${step} d${name}`;
  if (!dt || typeof dt.dataSync !== "function") {
    throw new KataAssertionError(`${what}: expected a tensor, got ${dt}`);
  }
  const g = t.grad;
  if (g === null) throw new KataAssertionError(`${what}: the test found no autograd grad`);
  if (fmtShape(dt.shape) !== fmtShape(g.shape)) {
    throw new KataAssertionError(
      `${what}: expected the shape of ${name}, ${fmtShape(g.shape)}, got ${fmtShape(dt.shape)}: ` +
        shapeAdvice(dt.shape, g.shape),
    );
  }
  const a = dt.dataSync(), b = g.dataSync();
  const bad: string[] = [];
  let count = 0, maxdiff = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > maxdiff || Number.isNaN(d)) maxdiff = d;
    if (d <= 1e-8 + 1e-5 * Math.abs(b[i])) continue;
    count++;
    if (bad.length < 6) bad.push(`  [${unravel(i, g.shape)}] autograd ${b[i]}, yours ${a[i]}`);
  }
  if (count > 0) {
    throw new KataAssertionError(
      `${what}: ${count} of ${a.length} entries differ from autograd's ${name}.grad ` +
        `(allclose: rtol 1e-5, atol 1e-8; maxdiff ${maxdiff.toExponential(2)})\n${bad.join("\n")}` +
        (count > 6 ? `\n  … and ${count - 6} more` : ""),
    );
  }
}

function unravel(flat: number, shape: readonly number[]): string {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx.join(", ");
}

/** The 26 tensors of the lecture's exercise 1, in the order its `cmp` calls print them. */
export const EXERCISE1_ORDER = [
  "logprobs",
  "probs",
  "counts_sum_inv",
  "counts_sum",
  "counts",
  "norm_logits",
  "logit_maxes",
  "logits",
  "h",
  "W2",
  "b2",
  "hpreact",
  "bngain",
  "bnbias",
  "bnraw",
  "bnvar_inv",
  "bnvar",
  "bndiff2",
  "bndiff",
  "bnmeani",
  "hprebn",
  "embcat",
  "W1",
  "b1",
  "emb",
  "C",
] as const;

/**
 * The tensor of a case by its lecture name (a chunk or a parameter).
 *
 * @param c the case
 * @param name one of {@link EXERCISE1_ORDER}
 * @returns the tensor
 */
export function tensorOf(c: Case, name: (typeof EXERCISE1_ORDER)[number]): Tensor {
  return (c.f as unknown as Record<string, Tensor>)[name] ??
    (c.p as unknown as Record<string, Tensor>)[name];
}
