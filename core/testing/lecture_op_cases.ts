/**
 * The op-case entries of the ops that lecture and nanoGPT code reach for (issue 9, section 4):
 * how each is called on the fixture inputs and the tolerance it is held to. `op_cases.ts`
 * merges them into the one table. Tolerances, as there (|actual − expected| <= atol +
 * rtol·|expected|; NaN and ±Inf exact):
 * - EXACT: randperm, float()/int(), square, amax/amin, all/any/isclose/allclose, select,
 *   narrow, unbind, flip, repeat, sort/argsort/topk, F.relu (no rounding, or the same one).
 * - TRANSCENDENTAL (rtol 2e-6, atol 1e-6): sin, cos, log1p, log10 (log then a multiply:
 *   within an ulp or two of torch's log10), rsqrt (sqrt then a divide), F.tanh, F.gelu.
 * - REDUCE (rtol 1e-5, atol 1e-6): cumsum, prod, norm (summation or product order differs;
 *   the norm's gradient 1e-4 for p = 0.5, whose |x|^(p−1) amplifies rounding).
 * - MATMUL (rtol 1e-5, atol 1e-5): F.linear.
 *
 * @module
 */

import { randperm } from "../ops/creation.ts";
import { linear } from "../ops/linear.ts";
import { isclose } from "../ops/logical.ts";
import { F } from "../ops/nn_functional.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import type { Tolerance } from "./fixture.ts";
import type { OpCase } from "./op_cases.ts";

const EXACT: Tolerance = { rtol: 0, atol: 0 };
const TRANSCENDENTAL: Tolerance = { rtol: 2e-6, atol: 1e-6 };
const REDUCE: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const MATMUL: Tolerance = { rtol: 1e-5, atol: 1e-5 };

type Kw = Record<string, unknown>;
const num = (kw: Kw, k: string): number => Number(kw[k]); // "Infinity" arrives as a string
const dims = (kw: Kw) => kw.dim as number | number[] | undefined;
const keep = (kw: Kw) => ({ keepdim: (kw.keepdim as boolean | undefined) ?? false });
const closeOpts = (kw: Kw) => ({
  rtol: num(kw, "rtol"),
  atol: num(kw, "atol"),
  equalNan: kw.equalNan as boolean,
});

type Unary = "log10" | "log1p" | "sin" | "cos" | "rsqrt" | "square";
const unary = (op: Unary, tol: Tolerance): OpCase => ({ call: ([a]) => a[op](), tol });
const amax = (op: "amax" | "amin"): OpCase => ({
  call: ([x], kw) => x[op](dims(kw), keep(kw)),
  tol: EXACT,
  fd: false,
});
const truth = (op: "all" | "any"): OpCase => ({
  call: ([x], kw) => x[op](dims(kw), keep(kw)),
  tol: EXACT,
});
const values = (r: { values: Tensor; indices: Tensor }) => [r.values, r.indices];

/** The entries, keyed by the fixture's op name. */
export const lectureOpCases: Record<string, OpCase> = {
  // ---- creation and conversions ----
  randperm: {
    call: (_, kw) =>
      randperm(num(kw, "n"), {
        generator: new Generator(num(kw, "seed")),
        dtype: (kw.dtype as "int32" | "float32" | undefined) ?? "int32",
      }),
    tol: EXACT,
  },
  float: { call: ([x]) => x.float(), tol: EXACT },
  int: { call: ([x]) => x.int(), tol: EXACT },
  // ---- elementwise ----
  log10: unary("log10", TRANSCENDENTAL),
  log1p: unary("log1p", TRANSCENDENTAL),
  sin: unary("sin", TRANSCENDENTAL),
  cos: unary("cos", TRANSCENDENTAL),
  rsqrt: unary("rsqrt", TRANSCENDENTAL),
  square: unary("square", EXACT),
  // ---- reductions, scans, closeness ----
  amax: amax("amax"),
  amin: amax("amin"),
  prod: {
    call: ([x], kw) => x.prod(kw.dim as number | undefined, keep(kw)),
    tol: REDUCE,
  },
  norm: {
    call: ([x], kw) => x.norm(num(kw, "p"), dims(kw), keep(kw)),
    tol: REDUCE,
    gradTol: { rtol: 1e-4, atol: 1e-5 },
  },
  all: truth("all"),
  any: truth("any"),
  isclose: { call: ([a, b], kw) => isclose(a, b, closeOpts(kw)), tol: EXACT },
  // allclose itself answers a Promise<boolean> (tested in core/ops/logical_test.ts); the suite
  // checks the 0-d bool tensor it reads back.
  allclose: { call: ([a, b], kw) => isclose(a, b, closeOpts(kw)).all(), tol: EXACT },
  cumsum: { call: ([x], kw) => x.cumsum(num(kw, "dim")), tol: REDUCE },
  // ---- views ----
  select: { call: ([x], kw) => x.select(num(kw, "dim"), num(kw, "index")), tol: EXACT },
  narrow: {
    call: ([x], kw) => x.narrow(num(kw, "dim"), num(kw, "start"), num(kw, "length")),
    tol: EXACT,
  },
  unbind: { call: ([x], kw) => x.unbind(num(kw, "dim")), tol: EXACT },
  flip: { call: ([x], kw) => x.flip(kw.dims as number[]), tol: EXACT },
  repeat: { call: ([x], kw) => x.repeat(kw.sizes as number[]), tol: EXACT },
  // ---- sorting ----
  sort: {
    call: ([x], kw) => values(x.sort(num(kw, "dim"), { descending: kw.descending as boolean })),
    tol: EXACT,
  },
  argsort: {
    call: ([x], kw) => x.argsort(num(kw, "dim"), { descending: kw.descending as boolean }),
    tol: EXACT,
  },
  topk: {
    call: ([x], kw) =>
      values(x.topk(num(kw, "k"), num(kw, "dim"), { largest: kw.largest as boolean })),
    tol: EXACT,
  },
  // ---- nn.functional ----
  "F.linear": { call: ([x, w, b]) => linear(x, w, b), tol: MATMUL },
  "F.relu": { call: ([x]) => F.relu(x), tol: EXACT },
  "F.tanh": { call: ([x]) => F.tanh(x), tol: TRANSCENDENTAL },
  "F.gelu": {
    call: ([x], kw) => F.gelu(x, { approximate: kw.approximate as "none" | "tanh" }),
    tol: TRANSCENDENTAL,
  },
};
