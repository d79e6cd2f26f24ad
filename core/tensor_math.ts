/**
 * The math methods of `Tensor`: elementwise (add … ge, the unary functions), reductions
 * (sum … logsumexp, amax/amin, prod, norm, all/any), scans and sorts (cumsum,
 * sort/argsort/topk) and closeness (isclose/allclose). The layer between {@link TensorBase}
 * (state, readback) and `Tensor` (core/tensor.ts: autograd, devices, dtypes, shape, views,
 * indexing and in-place methods), so that neither file mixes every concern. Methods are thin:
 * each delegates to its op function in `core/ops/` (`this: Tensor`: every tensor is a Tensor).
 * The op modules are imported as types only and bound at load time by core/tensor.ts
 * ({@link bindMathOps}), so that this module loads in any import order.
 *
 * @module
 */

import type * as am from "./ops/amax.ts";
import type * as ew from "./ops/elementwise.ts";
import type * as lg from "./ops/logical.ts";
import type * as nm from "./ops/norm.ts";
import type * as rd from "./ops/reduce.ts";
import type * as sc from "./ops/scan.ts";
import type * as so from "./ops/sorting.ts";
import type * as um from "./ops/unary_math.ts";
import type { Tensor } from "./tensor.ts";
import { TensorBase } from "./tensor_base.ts";

/** The op modules the methods delegate to. */
export interface MathOps {
  /** ops/amax.ts */
  am: typeof am;
  /** ops/elementwise.ts */
  ew: typeof ew;
  /** ops/logical.ts */
  lg: typeof lg;
  /** ops/norm.ts */
  nm: typeof nm;
  /** ops/reduce.ts */
  rd: typeof rd;
  /** ops/scan.ts */
  sc: typeof sc;
  /** ops/sorting.ts */
  so: typeof so;
  /** ops/unary_math.ts */
  um: typeof um;
}

let ops: MathOps;

/**
 * Hands the methods their op functions; core/tensor.ts calls it once as it loads. The ops are
 * not imported here because every op module imports core/tensor.ts, which extends TensorMath:
 * had this module imported them, loading it first would make tensor.ts extend a class not yet
 * defined. So, like TensorBase, this module loads in any order.
 *
 * @param o the op modules
 */
export function bindMathOps(o: MathOps): void {
  ops = o;
}

/** The elementwise, reduction, scan and sort methods of a tensor; see `Tensor`. */
export abstract class TensorMath extends TensorBase {
  // ---- elementwise (ops/elementwise.ts); `o` is a tensor or a scalar ----
  /** Elementwise this + o with broadcasting. @param o other operand @returns the sum */
  add(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.add(this, o);
  }
  /** Elementwise this − o. @param o other operand @returns the difference */
  sub(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.sub(this, o);
  }
  /** Elementwise this · o. @param o other operand @returns the product */
  mul(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.mul(this, o);
  }
  /** Elementwise this / o (true division, float32). @param o divisor @returns the quotient */
  div(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.div(this, o);
  }
  /** Elementwise this ** o. @param o exponent @returns the power */
  pow(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.pow(this, o);
  }
  /** Elementwise max (NaN wins). @param o other operand @returns the larger values */
  maximum(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.maximum(this, o);
  }
  /** Elementwise min (NaN wins). @param o other operand @returns the smaller values */
  minimum(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.minimum(this, o);
  }
  /** Elementwise −this. @returns the negation @throws {DTypeError} for bool */
  neg(this: Tensor): Tensor {
    return ops.ew.neg(this);
  }
  /** Elementwise e^this. @returns the exponential */
  exp(this: Tensor): Tensor {
    return ops.ew.exp(this);
  }
  /** Elementwise natural log. @returns ln this */
  log(this: Tensor): Tensor {
    return ops.ew.log(this);
  }
  /** Elementwise square root. @returns √this */
  sqrt(this: Tensor): Tensor {
    return ops.ew.sqrt(this);
  }
  /** Elementwise absolute value. @returns |this| */
  abs(this: Tensor): Tensor {
    return ops.ew.abs(this);
  }
  /** Elementwise tanh. @returns tanh this */
  tanh(this: Tensor): Tensor {
    return ops.ew.tanh(this);
  }
  /** Elementwise max(this, 0). @returns relu this */
  relu(this: Tensor): Tensor {
    return ops.ew.relu(this);
  }
  /** Elementwise logistic sigmoid. @returns σ(this) */
  sigmoid(this: Tensor): Tensor {
    return ops.ew.sigmoid(this);
  }
  /** Elementwise sine. @returns sin this */
  sin(this: Tensor): Tensor {
    return ops.um.sin(this);
  }
  /** Elementwise cosine. @returns cos this */
  cos(this: Tensor): Tensor {
    return ops.um.cos(this);
  }
  /** Elementwise ln(1 + this), accurate near 0. @returns log1p this */
  log1p(this: Tensor): Tensor {
    return ops.um.log1p(this);
  }
  /** Elementwise base-10 log. @returns log10 this */
  log10(this: Tensor): Tensor {
    return ops.um.log10(this);
  }
  /** Elementwise 1/√this. @returns rsqrt this */
  rsqrt(this: Tensor): Tensor {
    return ops.um.rsqrt(this);
  }
  /** Elementwise this². @returns the square */
  square(this: Tensor): Tensor {
    return ops.um.square(this);
  }
  /** GELU, exact or tanh-approximate. @param opts `approximate: "tanh"` @returns gelu(this) */
  gelu(this: Tensor, opts?: { approximate?: "none" | "tanh" }): Tensor {
    return ops.ew.gelu(this, opts);
  }
  /** Clamps into [min, max]. @param min lower bound or null @param max upper bound or null @returns the clamped tensor */
  clamp(this: Tensor, min?: number | null, max?: number | null): Tensor {
    return ops.ew.clamp(this, min, max);
  }
  /** Elementwise this == o. @param o other operand @returns a bool tensor */
  eq(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("eq", this, o);
  }
  /** Elementwise this != o. @param o other operand @returns a bool tensor */
  ne(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("ne", this, o);
  }
  /** Elementwise this < o. @param o other operand @returns a bool tensor */
  lt(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("lt", this, o);
  }
  /** Elementwise this <= o. @param o other operand @returns a bool tensor */
  le(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("le", this, o);
  }
  /** Elementwise this > o. @param o other operand @returns a bool tensor */
  gt(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("gt", this, o);
  }
  /** Elementwise this >= o. @param o other operand @returns a bool tensor */
  ge(this: Tensor, o: ew.Operand): Tensor {
    return ops.ew.compare("ge", this, o);
  }

  // ---- reductions (ops/reduce.ts); dims default to all ----
  /** Sum. @param dim dim(s) @param opts keepdim @returns the sum */
  sum(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.rd.sum(this, dim, opts);
  }
  /** Mean (float32 only). @param dim dim(s) @param opts keepdim @returns the mean */
  mean(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.rd.mean(this, dim, opts);
  }
  /** The max over all elements, as a 0-d tensor. @returns the max */
  max(this: Tensor): Tensor;
  /** The max along `dim` and where it occurs. @param dim the dim @param opts keepdim @returns values and int32 indices */
  max(this: Tensor, dim: number, opts?: rd.ReduceOptions): rd.ValuesIndices;
  max(this: Tensor, dim?: number, opts?: rd.ReduceOptions): Tensor | rd.ValuesIndices {
    return ops.rd.max(this, dim, opts);
  }
  /** The min over all elements, as a 0-d tensor. @returns the min */
  min(this: Tensor): Tensor;
  /** The min along `dim` and where it occurs. @param dim the dim @param opts keepdim @returns values and int32 indices */
  min(this: Tensor, dim: number, opts?: rd.ReduceOptions): rd.ValuesIndices;
  min(this: Tensor, dim?: number, opts?: rd.ReduceOptions): Tensor | rd.ValuesIndices {
    return ops.rd.min(this, dim, opts);
  }
  /** Index of the max (flattened when `dim` is omitted). @param dim the dim @param opts keepdim @returns int32 indices */
  argmax(this: Tensor, dim?: number, opts?: rd.ReduceOptions): Tensor {
    return ops.rd.argExtreme(this, dim, opts, "max");
  }
  /** Index of the min (flattened when `dim` is omitted). @param dim the dim @param opts keepdim @returns int32 indices */
  argmin(this: Tensor, dim?: number, opts?: rd.ReduceOptions): Tensor {
    return ops.rd.argExtreme(this, dim, opts, "min");
  }
  /** Variance, unbiased unless `unbiased: false`. @param dim dim(s) or the options @param opts unbiased, keepdim @returns the variance */
  var(
    this: Tensor,
    dim?: number | readonly number[] | rd.VarOptions,
    opts?: rd.VarOptions,
  ): Tensor {
    return typeof dim === "object" && !Array.isArray(dim)
      ? ops.rd.variance(this, undefined, dim as rd.VarOptions)
      : ops.rd.variance(this, dim as number | readonly number[] | undefined, opts);
  }
  /** Standard deviation; see `var`. @param dim dim(s) or the options @param opts unbiased, keepdim @returns the std */
  std(
    this: Tensor,
    dim?: number | readonly number[] | rd.VarOptions,
    opts?: rd.VarOptions,
  ): Tensor {
    return this.var(dim, opts).sqrt();
  }
  /** log Σ exp, computed stably. @param dim dim(s) @param opts keepdim @returns the log-sum-exp */
  logsumexp(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.rd.logsumexp(this, dim, opts);
  }
  /** The max over one or several dims, values only. @param dim dim(s) @param opts keepdim @returns the max */
  amax(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.am.amax(this, dim, opts);
  }
  /** The min over one or several dims, values only. @param dim dim(s) @param opts keepdim @returns the min */
  amin(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.am.amin(this, dim, opts);
  }
  /** Product of all elements, or along `dim`. @param dim the dim @param opts keepdim @returns the product */
  prod(this: Tensor, dim?: number, opts?: rd.ReduceOptions): Tensor {
    return ops.sc.prod(this, dim, opts);
  }
  /** The p-norm (L2 by default) over dims. @param p order (> 0, ±Infinity or "fro") @param dim dim(s) @param opts keepdim @returns the norm */
  norm(
    this: Tensor,
    p: number | "fro" = 2,
    dim?: number | readonly number[],
    opts?: rd.ReduceOptions,
  ): Tensor {
    return ops.nm.norm(this, p, dim, opts);
  }
  /** Whether every element is non-zero. @param dim dim(s) @param opts keepdim @returns a bool tensor */
  all(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.lg.all(this, dim, opts);
  }
  /** Whether some element is non-zero. @param dim dim(s) @param opts keepdim @returns a bool tensor */
  any(this: Tensor, dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return ops.lg.any(this, dim, opts);
  }

  // ---- scans and sorting (ops/scan.ts, ops/sorting.ts) ----
  /** Running sums along `dim`. @param dim the dim @returns a tensor of this shape */
  cumsum(this: Tensor, dim: number): Tensor {
    return ops.sc.cumsum(this, dim);
  }
  /** Stable sort along `dim` (default last). @param dim the dim @param opts descending @returns values and int32 indices */
  sort(this: Tensor, dim = -1, opts?: so.SortOptions): rd.ValuesIndices {
    return ops.so.sort(this, dim, opts);
  }
  /** The positions that sort `dim`. @param dim the dim @param opts descending @returns int32 indices */
  argsort(this: Tensor, dim = -1, opts?: so.SortOptions): Tensor {
    return ops.so.argsort(this, dim, opts);
  }
  /** The k largest (or smallest) along `dim`, sorted. @param k how many @param dim the dim @param opts largest @returns values and int32 indices */
  topk(this: Tensor, k: number, dim = -1, opts?: so.TopkOptions): rd.ValuesIndices {
    return ops.so.topk(this, k, dim, opts);
  }

  // ---- closeness (ops/logical.ts) ----
  /** Elementwise |this − o| <= atol + rtol·|o|. @param o other @param opts rtol, atol, equalNan @returns a bool tensor */
  isclose(this: Tensor, o: Tensor | number, opts?: lg.IscloseOptions): Tensor {
    return ops.lg.isclose(this, o, opts);
  }
  /** Whether every element is close to `o` (reads back; any device). @param o other @param opts rtol, atol, equalNan @returns the answer */
  allclose(this: Tensor, o: Tensor | number, opts?: lg.IscloseOptions): Promise<boolean> {
    return ops.lg.allclose(this, o, opts);
  }
  /** `allclose` for CPU tensors, synchronously. @param o other @param opts rtol, atol, equalNan @returns the answer @throws {SyncReadError} off the CPU */
  allcloseSync(this: Tensor, o: Tensor | number, opts?: lg.IscloseOptions): boolean {
    return ops.lg.allcloseSync(this, o, opts);
  }
}
