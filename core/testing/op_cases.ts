/**
 * The op-case table: for every op in the PyTorch fixtures, how to call katagrad on the fixture's
 * input tensors and kwargs, and the float32 tolerances it is held to. The generic suite
 * (`op_suite.ts`) iterates the fixtures and looks each case's op up here.
 *
 * Tolerances (|actual - expected| <= atol + rtol·|expected|, NaN/±Inf must match exactly):
 * - EXACT (0, 0): creation of integers, movement, indexing, comparisons, integer arithmetic,
 *   relu/abs/neg/max/min/maximum/minimum/clamp/where (no rounding involved).
 * - ARITH (rtol 1e-6, atol 1e-7): add/sub/mul/div/pow, float ranges (1 float32 rounding
 *   of a value computed differently).
 * - TRANSCENDENTAL (rtol 2e-6, atol 1e-6): exp, log, sqrt, tanh, sigmoid, gelu.
 * - REDUCE (rtol 1e-5, atol 1e-6): sum, mean, var, std, logsumexp (summation order differs).
 * - MATMUL (rtol 1e-5, atol 1e-5): matmul (blocked summation).
 * - SOFTMAX (rtol 1e-5, atol 1e-6): softmax, logSoftmax, crossEntropy, nllLoss, mseLoss.
 * - NORM (rtol 1e-4, atol 1e-5): layerNorm, batchNorm (variance computed in another order,
 *   then divided by a small sqrt).
 * Gradients: rtol 1e-5, atol 1e-5 unless stated; NORM ops 1e-4/1e-4.
 * The ops added for the lectures and nanoGPT (sort, topk, cumsum, norm, …) and their tolerances
 * are in `lecture_op_cases.ts`.
 * Finite differences (op_suite.ts): eps 1e-2, tolerance 2e-3·(1 + |directional derivative|);
 * skipped (`fd: false`) for ops with kinks where a step of 1e-2 may cross one.
 *
 * @module
 */

import type { DType } from "../dtype.ts";
import { arange, eye, full, linspace, ones, onesLike, zeros, zerosLike } from "../ops/creation.ts";
import { where } from "../ops/elementwise.ts";
import { embedding, oneHot } from "../ops/encoding.ts";
import {
  crossEntropy,
  logSoftmax,
  mseLoss,
  nllLoss,
  type Reduction,
  softmax,
} from "../ops/functional.ts";
import { indexPut_ } from "../ops/index_put.ts";
import { gather, index, indexSelect } from "../ops/indexing.ts";
import { maskedFill, tril, triu } from "../ops/masking.ts";
import { cat, stack } from "../ops/movement.ts";
import { batchNorm, dropout, layerNorm } from "../ops/normalization.ts";
import type { Tensor } from "../tensor.ts";
import type { Tolerance } from "./fixture.ts";
import { lectureOpCases } from "./lecture_op_cases.ts";

/** How one op is called and checked. */
export interface OpCase {
  /** Calls katagrad on the fixture inputs (already on the suite's device) and kwargs. */
  call: (inputs: Tensor[], kw: Record<string, unknown>) => Tensor | Tensor[];
  /** Forward tolerance (default 1e-6/1e-6). */
  tol?: Tolerance;
  /** Gradient tolerance (default 1e-5/1e-5). */
  gradTol?: Tolerance;
  /** false: no finite-difference check (kinks). */
  fd?: boolean;
  /** Finite-difference step (default 1e-2). */
  fdEps?: number;
  /** Finite-difference relative tolerance (default 2e-3). */
  fdTol?: number;
}

const EXACT: Tolerance = { rtol: 0, atol: 0 };
const ARITH: Tolerance = { rtol: 1e-6, atol: 1e-7 };
const TRANSCENDENTAL: Tolerance = { rtol: 2e-6, atol: 1e-6 };
const REDUCE: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const MATMUL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
const SOFTMAX: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const NORM: Tolerance = { rtol: 1e-4, atol: 1e-5 };
const NORM_GRAD: Tolerance = { rtol: 1e-4, atol: 1e-4 };

type Kw = Record<string, unknown>;
const num = (kw: Kw, k: string): number => kw[k] as number;
const opt = (kw: Kw, k: string): number | undefined => (kw[k] ?? undefined) as number | undefined;
const dims = (kw: Kw): number | number[] | undefined => kw.dim as number | number[] | undefined;
const keep = (kw: Kw) => ({ keepdim: (kw.keepdim as boolean | undefined) ?? false });

type Binary = "add" | "sub" | "mul" | "div" | "maximum" | "minimum";
type Compare = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
type Unary = "neg" | "exp" | "log" | "sqrt" | "abs" | "tanh" | "relu" | "sigmoid";

const binary = (op: Binary, tol: Tolerance, fd = true): OpCase => ({
  call: ([a, b], kw) => a[op](b ?? num(kw, "other")),
  tol,
  fd,
});
const compare = (op: Compare): OpCase => ({
  call: ([a, b], kw) => a[op](b ?? num(kw, "other")),
  tol: EXACT,
});
const unary = (op: Unary, tol: Tolerance, fd = true): OpCase => ({
  call: ([a]) => a[op](),
  tol,
  fd,
});
const reduceAll = (op: "sum" | "mean"): OpCase => ({
  call: ([x], kw) => kw.dim === undefined ? x[op]() : x[op](dims(kw), keep(kw)),
  tol: REDUCE,
});
const extreme = (op: "max" | "min"): OpCase => ({
  call: ([x], kw) => {
    if (kw.dim === undefined) return x[op]();
    const r = x[op](num(kw, "dim"), keep(kw));
    return [r.values, r.indices];
  },
  tol: EXACT,
  fd: false,
});
const variance = (op: "var" | "std"): OpCase => ({
  call: ([x], kw) => {
    const o = { unbiased: kw.unbiased as boolean, ...keep(kw) };
    return kw.dim === undefined ? x[op](o) : x[op](dims(kw), o);
  },
  tol: REDUCE,
});
const softmaxLike = (f: typeof softmax): OpCase => ({
  call: ([x], kw) => f(x, num(kw, "dim")),
  tol: SOFTMAX,
});
const reduction = (kw: Kw) => ({ reduction: kw.reduction as Reduction });
const triangle = (f: typeof tril): OpCase => ({
  call: ([x], kw) => f(x, num(kw, "diagonal")),
  tol: EXACT,
});

/** Every op of the fixtures, keyed by the fixture's op name. */
export const opCases: Record<string, OpCase> = {
  // ---- creation ----
  arange: {
    call: (_, kw) =>
      kw.start === undefined
        ? arange(num(kw, "end"), undefined, 1, { dtype: kw.dtype as DType | undefined })
        : arange(num(kw, "start"), num(kw, "end"), opt(kw, "step") ?? 1),
    tol: ARITH,
  },
  linspace: {
    call: (_, kw) => linspace(num(kw, "start"), num(kw, "end"), num(kw, "steps")),
    tol: ARITH,
  },
  eye: { call: (_, kw) => eye(num(kw, "n"), opt(kw, "m")), tol: EXACT },
  zeros: { call: (_, kw) => zeros(kw.shape as number[]), tol: EXACT },
  ones: { call: (_, kw) => ones(kw.shape as number[]), tol: EXACT },
  full: {
    call: (_, kw) => full(kw.shape as number[], num(kw, "value"), { dtype: kw.dtype as DType }),
    tol: EXACT,
  },
  zerosLike: { call: ([x]) => zerosLike(x), tol: EXACT },
  onesLike: { call: ([x]) => onesLike(x), tol: EXACT },
  to: { call: ([x], kw) => x.to(kw.dtype as DType), tol: EXACT },
  // ---- elementwise ----
  add: binary("add", ARITH),
  sub: binary("sub", ARITH),
  mul: binary("mul", ARITH),
  div: binary("div", ARITH),
  maximum: binary("maximum", EXACT, false),
  minimum: binary("minimum", EXACT, false),
  pow: { call: ([a, b], kw) => a.pow(b ?? num(kw, "exponent")), tol: ARITH },
  neg: unary("neg", EXACT),
  exp: unary("exp", TRANSCENDENTAL),
  log: unary("log", TRANSCENDENTAL),
  sqrt: unary("sqrt", TRANSCENDENTAL),
  abs: unary("abs", EXACT),
  tanh: unary("tanh", TRANSCENDENTAL),
  relu: unary("relu", EXACT),
  sigmoid: unary("sigmoid", TRANSCENDENTAL),
  gelu: {
    call: ([x], kw) => x.gelu({ approximate: kw.approximate as "none" | "tanh" }),
    tol: TRANSCENDENTAL,
  },
  clamp: { call: ([x], kw) => x.clamp(opt(kw, "min"), opt(kw, "max")), tol: EXACT, fd: false },
  eq: compare("eq"),
  ne: compare("ne"),
  lt: compare("lt"),
  le: compare("le"),
  gt: compare("gt"),
  ge: compare("ge"),
  where: { call: ([c, a, b], kw) => where(c, a, b ?? num(kw, "other")), tol: EXACT },
  // ---- reductions ----
  sum: reduceAll("sum"),
  mean: reduceAll("mean"),
  max: extreme("max"),
  min: extreme("min"),
  argmax: { call: ([x], kw) => x.argmax(opt(kw, "dim"), keep(kw)), tol: EXACT },
  argmin: { call: ([x], kw) => x.argmin(opt(kw, "dim"), keep(kw)), tol: EXACT },
  var: variance("var"),
  std: variance("std"),
  // The gradient exp(x - lse) inherits lse's rounding: 1 ulp of 1000 is 6e-5 (large case).
  logsumexp: {
    call: ([x], kw) => x.logsumexp(dims(kw), keep(kw)),
    tol: REDUCE,
    gradTol: { rtol: 1e-4, atol: 1e-5 },
  },
  // ---- matmul ----
  matmul: { call: ([a, b]) => a.matmul(b), tol: MATMUL },
  t: { call: ([a]) => a.t(), tol: EXACT },
  mT: { call: ([a]) => a.mT, tol: EXACT },
  // ---- movement ----
  reshape: {
    call: ([x], kw) => (kw.transposeFirst ? x.t() : x).reshape(kw.shape as number[]),
    tol: EXACT,
  },
  view: { call: ([x], kw) => x.view(kw.shape as number[]), tol: EXACT },
  transpose: { call: ([x], kw) => x.transpose(num(kw, "dim0"), num(kw, "dim1")), tol: EXACT },
  permute: { call: ([x], kw) => x.permute(kw.dims as number[]), tol: EXACT },
  squeeze: { call: ([x], kw) => x.squeeze(opt(kw, "dim")), tol: EXACT },
  unsqueeze: { call: ([x], kw) => x.unsqueeze(num(kw, "dim")), tol: EXACT },
  expand: { call: ([x], kw) => x.expand(kw.shape as number[]), tol: EXACT },
  flatten: { call: ([x], kw) => x.flatten(opt(kw, "startDim"), opt(kw, "endDim")), tol: EXACT },
  contiguous: { call: ([x]) => x.t().contiguous(), tol: EXACT },
  slice: {
    call: ([x], kw) => x.slice(num(kw, "dim"), opt(kw, "start"), opt(kw, "stop"), num(kw, "step")),
    tol: EXACT,
  },
  split: { call: ([x], kw) => x.split(kw.size as number | number[], num(kw, "dim")), tol: EXACT },
  chunk: { call: ([x], kw) => x.chunk(num(kw, "chunks"), num(kw, "dim")), tol: EXACT },
  cat: { call: (xs, kw) => cat(xs, num(kw, "dim")), tol: EXACT },
  stack: { call: (xs, kw) => stack(xs, num(kw, "dim")), tol: EXACT },
  // ---- indexing ----
  index: { call: ([c, x]) => index(c, x), tol: EXACT },
  pick: {
    call: ([p, y]) => index(p, [arange(p.shape[0], undefined, 1, { dtype: "int32" }), y]),
    tol: EXACT,
  },
  gather: { call: ([x, i], kw) => gather(x, num(kw, "dim"), i), tol: EXACT },
  indexSelect: { call: ([x, i], kw) => indexSelect(x, num(kw, "dim"), i), tol: EXACT },
  maskedFill: { call: ([x, m], kw) => maskedFill(x, m, num(kw, "value")), tol: EXACT },
  tril: triangle(tril),
  triu: triangle(triu),
  oneHot: { call: ([i], kw) => oneHot(i, num(kw, "numClasses")), tol: EXACT },
  indexPutAdd: {
    call: ([n, i1, i2], kw) =>
      indexPut_(
        n,
        i2.dtype === "int32" ? [i1, i2] : [i1],
        i2.dtype === "int32" ? num(kw, "value") : i2,
        {
          accumulate: true,
        },
      ),
    tol: EXACT,
  },
  // ---- functional ----
  softmax: softmaxLike(softmax),
  logSoftmax: softmaxLike(logSoftmax),
  crossEntropy: {
    call: ([x, t], kw) =>
      crossEntropy(x, t, {
        ...reduction(kw),
        ...(kw.ignoreIndex !== undefined ? { ignoreIndex: num(kw, "ignoreIndex") } : {}),
        ...(kw.labelSmoothing !== undefined ? { labelSmoothing: num(kw, "labelSmoothing") } : {}),
      }),
    tol: SOFTMAX,
  },
  nll: { call: ([x, t], kw) => nllLoss(x, t, reduction(kw)), tol: SOFTMAX },
  mse: { call: ([a, b], kw) => mseLoss(a, b, reduction(kw)), tol: SOFTMAX },
  layerNorm: {
    call: ([x, w, b], kw) =>
      layerNorm(x, kw.normalizedShape as number[], { weight: w, bias: b, eps: num(kw, "eps") }),
    tol: NORM,
    gradTol: NORM_GRAD,
    fdTol: 5e-3,
  },
  batchNorm: {
    call: ([x, w, b, rm, rv], kw) => {
      const [m, v] = [rm.detach().clone(), rv.detach().clone()];
      const y = batchNorm(x, m, v, {
        weight: w,
        bias: b,
        training: kw.training as boolean,
        momentum: num(kw, "momentum"),
        eps: num(kw, "eps"),
      });
      return [y, m, v];
    },
    tol: NORM,
    gradTol: NORM_GRAD,
    fdTol: 5e-3,
  },
  embedding: { call: ([i, w]) => embedding(i, w), tol: EXACT },
  dropout: {
    call: ([x], kw) => dropout(x, { p: num(kw, "p"), training: kw.training as boolean }),
    tol: EXACT,
  },
  // ---- the ops lecture and nanoGPT code reach for (lecture_op_cases.ts) ----
  ...lectureOpCases,
};
