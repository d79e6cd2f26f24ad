/**
 * Kata 07, step 07.1: the network of makemore part 4 (an MLP with one
 * BatchNorm'd tanh layer), its forward pass "chunkated" into the lecture's
 * twenty small steps, and the lecture's `cmp`. Replace every `todo(...)` with
 * your code; `deno test katas/07` tells you what to do next. Read
 * katas/07/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `randn(shape,
 * { generator })`, `index(C, Xb)` [`C[Xb]`], `view`, `matmul` [`@`], `add`,
 * `sub`, `mul`, `pow`, `sum(0, { keepdim: true })`, `max(1, { keepdim: true })`
 * (`.values`, `.indices`), `exp`, `log`, `tanh`, `mean`, `neg`, `arange`
 * [`range(n)`], `index(logprobs, [arange(n), Yb])` [`logprobs[range(n), Yb]`],
 * `t.grad`, `dataSync()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { arange, type Generator, index, randn, type Tensor } from "../../mod.ts";

/** The sizes of the network (the lecture's exercise 1 by default). */
export interface NetConfig {
  /** Symbols in the vocabulary (27: `.` and a–z). */
  vocabSize?: number;
  /** Characters of context (3). */
  blockSize?: number;
  /** Dimensions of each character's embedding (10). */
  nEmbd?: number;
  /** Neurons in the hidden layer (64; exercise 4 uses 200). */
  nHidden?: number;
  /**
   * Where `bngain` and `bnbias` come from. The lecture draws them with
   * `torch.randn((1, n_hidden))`, without `generator=g`: from torch's global
   * generator. Default: this generator, `g`, after the other five.
   */
  gainGenerator?: Generator;
}

/** The seven parameters, raw tensors as in the lecture. */
export interface NetParams {
  /** The embedding table `(vocabSize, nEmbd)`. */
  C: Tensor;
  /** First layer weights `(blockSize · nEmbd, nHidden)`. */
  W1: Tensor;
  /** First layer bias `(nHidden)` (useless before BatchNorm; kept "for fun"). */
  b1: Tensor;
  /** Output weights `(nHidden, vocabSize)`. */
  W2: Tensor;
  /** Output bias `(vocabSize)`. */
  b2: Tensor;
  /** BatchNorm gain `(1, nHidden)`. */
  bngain: Tensor;
  /** BatchNorm bias `(1, nHidden)`. */
  bnbias: Tensor;
}

/**
 * Draws the parameters as the lecture's cell does: `C`, `W1 · (5/3)/√fan_in`,
 * `b1 · 0.1`, `W2 · 0.1`, `b2 · 0.1` from `g`, in this order, then
 * `bngain = randn((1, nHidden)) · 0.1 + 1` and `bnbias = randn((1, nHidden)) · 0.1`
 * from `config.gainGenerator`; every one requires grad.
 *
 * @param g the generator (the lecture: `Generator(2147483647)`)
 * @param config the sizes and the generator of bngain and bnbias
 * @returns the parameters
 */
export function initParams(g: Generator, config: NetConfig = {}): NetParams {
  return todo(
    "07.1",
    "initParams: C, W1·(5/3)/√fan_in, b1·0.1, W2·0.1, b2·0.1 from g; bngain, bnbias from gainGenerator",
  );
}

/**
 * @param p the parameters
 * @returns `[C, W1, b1, W2, b2, bngain, bnbias]`, the lecture's order
 */
export function parameters(p: NetParams): Tensor[] {
  return todo("07.1", "parameters: [C, W1, b1, W2, b2, bngain, bnbias]");
}

/**
 * @param p the parameters
 * @returns the number of trainable numbers (4,137 for the lecture's exercise 1)
 */
export function numParameters(p: NetParams): number {
  return todo("07.1", "numParameters: the total number of elements of the parameters");
}

/** Every intermediate tensor of the chunked forward pass, named as in the lecture. */
export interface Chunks {
  /** `C[Xb]` `(n, blockSize, nEmbd)`. */
  emb: Tensor;
  /** `emb.view(n, -1)` `(n, blockSize · nEmbd)`. */
  embcat: Tensor;
  /** `embcat @ W1 + b1` `(n, nHidden)`. */
  hprebn: Tensor;
  /** `1/n · hprebn.sum(0, keepdim)` `(1, nHidden)`. */
  bnmeani: Tensor;
  /** `hprebn - bnmeani` `(n, nHidden)`. */
  bndiff: Tensor;
  /** `bndiff ** 2`. */
  bndiff2: Tensor;
  /** `1/(n-1) · bndiff2.sum(0, keepdim)` `(1, nHidden)` (Bessel's correction). */
  bnvar: Tensor;
  /** `(bnvar + 1e-5) ** -0.5` `(1, nHidden)`. */
  bnvar_inv: Tensor;
  /** `bndiff · bnvar_inv` `(n, nHidden)`. */
  bnraw: Tensor;
  /** `bngain · bnraw + bnbias`. */
  hpreact: Tensor;
  /** `tanh(hpreact)`. */
  h: Tensor;
  /** `h @ W2 + b2` `(n, vocabSize)`. */
  logits: Tensor;
  /** `logits.max(1, keepdim).values` `(n, 1)`. */
  logit_maxes: Tensor;
  /** `logits - logit_maxes`. */
  norm_logits: Tensor;
  /** `norm_logits.exp()`. */
  counts: Tensor;
  /** `counts.sum(1, keepdim)` `(n, 1)`. */
  counts_sum: Tensor;
  /** `counts_sum ** -1`. */
  counts_sum_inv: Tensor;
  /** `counts · counts_sum_inv` `(n, vocabSize)`. */
  probs: Tensor;
  /** `probs.log()`. */
  logprobs: Tensor;
  /** `-logprobs[range(n), Yb].mean()`, a scalar. */
  loss: Tensor;
}

/**
 * The lecture's forward pass, one small step at a time (cell 10), so that
 * each step can be backpropagated by hand.
 *
 * @param p the parameters
 * @param Xb int32 contexts `(n, blockSize)`
 * @param Yb int32 targets `(n)`
 * @returns every intermediate, the loss last
 */
export function forwardChunks(p: NetParams, Xb: Tensor, Yb: Tensor): Chunks {
  return todo("07.1", "forwardChunks: the lecture's forward pass, one chunk at a time");
}

/** What {@link cmp} found. */
export interface Cmp {
  /** Every element equal (`torch.all(dt == t.grad)`); false when the shapes differ. */
  exact: boolean;
  /** `torch.allclose(dt, t.grad)`: `|dt - grad| <= 1e-8 + 1e-5 · |grad|` everywhere. */
  approximate: boolean;
  /** The largest `|dt - grad|` (NaN when the shapes differ). */
  maxdiff: number;
  /**
   * The lecture's line, the name padded to 15 and True/False to 5, maxdiff as
   * Python prints a float (`0.0`, `5.122274160385132e-09`):
   * `logprobs        | exact: True  | approximate: True  | maxdiff: 0.0`.
   */
  line: string;
}

/**
 * The lecture's `cmp(s, dt, t)` (cell 7): compares a gradient written by hand
 * with the one autograd left in `t.grad`. A gradient has its tensor's shape,
 * so different shapes count as a mismatch (the line says which).
 *
 * @param name the tensor's name, e.g. `"logprobs"`
 * @param dt the gradient written by hand
 * @param t the tensor (its `grad` set by `backward()`)
 * @returns exact, approximate, maxdiff and the printed line
 */
export function cmp(name: string, dt: Tensor, t: Tensor): Cmp {
  return todo(
    "07.1",
    "cmp: exact, approximate (rtol 1e-5, atol 1e-8), maxdiff and the lecture's line",
  );
}
