/**
 * Kata 07 reference, step 07.1: the network of makemore part 4 (an MLP with
 * one BatchNorm'd tanh layer), its forward pass "chunkated" into the
 * lecture's twenty small steps, and the lecture's `cmp`.
 *
 * @module
 */

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
  const { vocabSize = 27, blockSize = 3, nEmbd = 10, nHidden = 64 } = config;
  const fanIn = nEmbd * blockSize;
  const C = randn([vocabSize, nEmbd], { generator: g });
  const W1 = randn([fanIn, nHidden], { generator: g }).mul(5 / 3).div(fanIn ** 0.5);
  const b1 = randn(nHidden, { generator: g }).mul(0.1);
  const W2 = randn([nHidden, vocabSize], { generator: g }).mul(0.1);
  const b2 = randn(vocabSize, { generator: g }).mul(0.1);
  const gg = config.gainGenerator ?? g;
  const bngain = randn([1, nHidden], { generator: gg }).mul(0.1).add(1);
  const bnbias = randn([1, nHidden], { generator: gg }).mul(0.1);
  const p = { C, W1, b1, W2, b2, bngain, bnbias };
  for (const t of Object.values(p)) t.requiresGrad = true;
  return p;
}

/**
 * @param p the parameters
 * @returns `[C, W1, b1, W2, b2, bngain, bnbias]`, the lecture's order
 */
export function parameters(p: NetParams): Tensor[] {
  return [p.C, p.W1, p.b1, p.W2, p.b2, p.bngain, p.bnbias];
}

/**
 * @param p the parameters
 * @returns the number of trainable numbers (4,137 for the lecture's exercise 1)
 */
export function numParameters(p: NetParams): number {
  return parameters(p).reduce((s, t) => s + t.size, 0);
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
  const n = Xb.shape[0];
  const emb = index(p.C, Xb); // (n, blockSize, nEmbd)
  const embcat = emb.view(n, -1); // (n, blockSize · nEmbd)
  const hprebn = embcat.matmul(p.W1).add(p.b1); // (n, nHidden)
  const bnmeani = hprebn.sum(0, { keepdim: true }).mul(1 / n); // (1, nHidden)
  const bndiff = hprebn.sub(bnmeani);
  const bndiff2 = bndiff.pow(2);
  const bnvar = bndiff2.sum(0, { keepdim: true }).mul(1 / (n - 1)); // Bessel: n - 1
  const bnvar_inv = bnvar.add(1e-5).pow(-0.5);
  const bnraw = bndiff.mul(bnvar_inv);
  const hpreact = p.bngain.mul(bnraw).add(p.bnbias);
  const h = hpreact.tanh();
  const logits = h.matmul(p.W2).add(p.b2); // (n, vocabSize)
  const logit_maxes = logits.max(1, { keepdim: true }).values; // (n, 1)
  const norm_logits = logits.sub(logit_maxes);
  const counts = norm_logits.exp();
  const counts_sum = counts.sum(1, { keepdim: true }); // (n, 1)
  const counts_sum_inv = counts_sum.pow(-1);
  const probs = counts.mul(counts_sum_inv);
  const logprobs = probs.log();
  const loss = index(logprobs, [arange(n), Yb]).mean().neg();
  return {
    emb,
    embcat,
    hprebn,
    bnmeani,
    bndiff,
    bndiff2,
    bnvar,
    bnvar_inv,
    bnraw,
    hpreact,
    h,
    logits,
    logit_maxes,
    norm_logits,
    counts,
    counts_sum,
    counts_sum_inv,
    probs,
    logprobs,
    loss,
  };
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
  const g = t.grad;
  const head = `${name.padEnd(15)} |`;
  if (g === null) {
    return { exact: false, approximate: false, maxdiff: NaN, line: `${head} no grad in t.grad` };
  }
  const fmtShape = (s: readonly number[]) => `(${s.join(", ")})`;
  if (fmtShape(dt.shape) !== fmtShape(g.shape)) {
    return {
      exact: false,
      approximate: false,
      maxdiff: NaN,
      line: `${head} shape ${fmtShape(dt.shape)}, but ${name} is ${fmtShape(g.shape)}`,
    };
  }
  const a = dt.dataSync(), b = g.dataSync();
  let exact = true, approximate = true, maxdiff = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (a[i] !== b[i]) exact = false;
    if (!(d <= 1e-8 + 1e-5 * Math.abs(b[i]))) approximate = false;
    if (d > maxdiff || Number.isNaN(d)) maxdiff = d;
  }
  const py = (v: boolean) => (v ? "True" : "False").padEnd(5);
  return {
    exact,
    approximate,
    maxdiff,
    line: `${head} exact: ${py(exact)} | approximate: ${py(approximate)} | maxdiff: ${
      pyFloat(maxdiff)
    }`,
  };
}

/** A number as Python's `print` writes a float: `0.0`, `2.5`, `5.122274160385132e-09`. */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2"); // Python: two exponent digits
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}
