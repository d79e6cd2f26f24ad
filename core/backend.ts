/**
 * The narrow interface every backend implements. The frontend (`core/ops/`)
 * validates shapes and dtypes and computes output shapes; a backend assumes
 * valid input and only moves and computes numbers.
 *
 * @module
 */

import type { Device, DType, TypedArray } from "./dtype.ts";

/** A backend's buffer of elements; views share it. */
export interface Storage {
  /** The device that owns the buffer. */
  readonly device: Device;
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly length: number;
  /** Bumped by every in-place write, so autograd can detect changes of saved tensors. */
  version: number;
  /** Set once the buffer is some tensor's `.grad`, so autograd copies instead of aliasing it. */
  heldAsGrad: boolean;
  /** Allocation order (increasing), so autograd can tell buffers it created itself. */
  readonly serial: number;
}

/** A strided window on a storage: what a kernel reads or writes. */
export interface StridedView {
  /** The buffer. */
  readonly storage: Storage;
  /** The dims. */
  readonly shape: readonly number[];
  /** Elements to skip per step along each dim (0 on broadcast dims). */
  readonly strides: readonly number[];
  /** Index of the first element in the storage. */
  readonly offset: number;
}

/** The elementwise functions of one operand (`copy` casts to the output dtype). */
export const UNARY_KERNELS = [
  "copy",
  "neg",
  "exp",
  "log",
  "sqrt",
  "abs",
  "tanh",
  "relu",
  "sigmoid",
  "gelu",
  "geluTanh",
  "geluGrad",
  "geluTanhGrad",
  "sign",
  "toBool",
  "isInf",
  "sin",
  "cos",
  "log1p",
] as const;

/** An elementwise function of one operand. */
export type UnaryKernel = typeof UNARY_KERNELS[number];

/**
 * The elementwise functions of two operands (comparisons write 0/1 into a bool output;
 * `tanhGrad`/`sigmoidGrad` are fused backward steps: g·(1−y²), g·y·(1−y);
 * `geluBackward`/`geluTanhBackward` are g·gelu′(x) with a = g, b = x).
 */
export const BINARY_KERNELS = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "tanhGrad",
  "sigmoidGrad",
  "geluBackward",
  "geluTanhBackward",
] as const;

/** An elementwise function of two operands. */
export type BinaryKernel = typeof BINARY_KERNELS[number];

/** Reductions along one dim of a contiguous input. */
export type ReduceKernel = "sum" | "max" | "min" | "logsumexp";

/** Inclusive scans along one dim of a contiguous input: running sums or running products. */
export type ScanKernel = "sum" | "prod";

/** A batched matmul request: `out[i] = A[i] · B[i]` for each batch `i`. */
export interface MatmulSpec {
  /** Rows of each A block and of each output block. */
  m: number;
  /** Inner dimension. */
  k: number;
  /** Columns of each B block and of each output block. */
  n: number;
  /** Storage offset of each batch's A block. */
  aOffsets: readonly number[];
  /** Storage offset of each batch's B block. */
  bOffsets: readonly number[];
  /** A blocks hold Aᵀ row-major (k x m). */
  transA: boolean;
  /** B blocks hold Bᵀ row-major (n x k). */
  transB: boolean;
  /**
   * Elements between consecutive rows of each A block as stored: k for a tight (m x k) block
   * (m when transposed), more for a block cut from a wider matrix (q, k and v of attention,
   * views of one (B, T, 3C) projection).
   */
  lda: number;
  /** Elements between consecutive rows of each B block as stored (n, or k when transposed, when tight). */
  ldb: number;
}

/** What a device must provide. */
export interface Backend {
  /** The device this backend runs on. */
  readonly device: Device;
  /** A zero-filled buffer. */
  alloc(dtype: DType, length: number): Storage;
  /** The serial the next allocated storage will get. */
  nextSerial(): number;
  /**
   * Hands back a buffer no tensor uses any more, for reuse by a later
   * allocation of the same size (autograd calls this for gradients it consumed).
   */
  release(storage: Storage): void;
  /** Wraps (takes ownership of) host data. */
  upload(data: TypedArray): Storage;
  /** A contiguous copy of a view's elements (throws on devices that cannot read synchronously). */
  readSync(view: StridedView): TypedArray;
  /** A contiguous copy of a view's elements. */
  read(view: StridedView): Promise<TypedArray>;
  /** Writes `value` into every element of a view. */
  fill(out: StridedView, value: number): void;
  /** `out = f(x)` elementwise; same shapes; `out` may be strided. */
  unary(op: UnaryKernel, x: StridedView, out: StridedView): void;
  /** `out = f(a, b)` with a and b broadcast to `out.shape`; `out` is contiguous. */
  binary(op: BinaryKernel, a: StridedView, b: StridedView, out: StridedView): void;
  /** `out = cond ? a : b` with broadcasting; `out` is contiguous. */
  where(cond: StridedView, a: StridedView, b: StridedView, out: StridedView): void;
  /**
   * Reduces a contiguous `(outer, n, inner)` view along the middle dim into a
   * contiguous `(outer, inner)` output; `indices` (int32) receives arg-max/min.
   */
  reduce(
    op: ReduceKernel,
    x: StridedView,
    outer: number,
    n: number,
    inner: number,
    out: StridedView,
    indices: StridedView | null,
  ): void;
  /** `out += alpha · x` with x broadcast to `out.shape` (in-place updates). */
  axpy(out: StridedView, alpha: number, x: StridedView): void;
  /** Batched float32 matmul into a contiguous `(batch, m, n)` output. */
  matmul(a: StridedView, b: StridedView, out: StridedView, spec: MatmulSpec): void;

  // ---- Scans and sorting. All views here are contiguous. ----
  /**
   * The inclusive running sum or product along the middle dim of a `(outer, n, inner)` x into
   * `out` of the same shape and dtype (float32, or int32 with wrapping arithmetic).
   */
  scan(
    op: ScanKernel,
    x: StridedView,
    outer: number,
    n: number,
    inner: number,
    out: StridedView,
  ): void;
  /**
   * The first `k` entries of each row of a `(rows, n)` x (float32 or int32) after a stable sort,
   * ascending or `descending`: equal values keep their order (−0 equals 0) and NaN counts as
   * larger than every number. Writes the values into a `(rows, k)` `values` (x's dtype) and
   * their positions in the row into a `(rows, k)` int32 `indices`.
   */
  sort(
    x: StridedView,
    rows: number,
    n: number,
    k: number,
    descending: boolean,
    values: StridedView,
    indices: StridedView,
  ): void;

  // ---- Indexing. All views here are contiguous; index views are int32. ----
  /**
   * Validates index tensors and combines them into flat row numbers:
   * `out[p] = ((i0[p]·bounds[1] + i1[p])·bounds[2] + …)` for k index views broadcast to
   * `out.shape`, where each index must lie in `[0, bounds[d])` (or `[−bounds[d], bounds[d])`,
   * counted from the end, when `check.negative`). An index out of range is reported, never
   * clamped silently: the CPU throws `IndexError` at once; a device that cannot tell the host
   * synchronously records it and raises `IndexError` at the next readback.
   */
  flatIndex(
    indices: readonly StridedView[],
    bounds: readonly number[],
    out: StridedView,
    check: IndexCheck,
  ): void;
  /** `out[o, j, i] = x[o, idx[j], i]` for x `(outer, size, inner)` and valid int32 indices. */
  indexSelect(
    x: StridedView,
    outer: number,
    size: number,
    inner: number,
    idx: StridedView,
    out: StridedView,
  ): void;
  /** `acc[o, idx[j], i] += g[o, j, i]` (the backward of indexSelect). */
  indexAdd(
    g: StridedView,
    outer: number,
    size: number,
    inner: number,
    idx: StridedView,
    acc: StridedView,
  ): void;
  /** torch.gather with valid indices: `out[c] = x[c with c[dim] = idx[c]]`; idx and out share a shape. */
  gather(x: StridedView, dim: number, idx: StridedView, out: StridedView): void;
  /** The gather backward: `acc[c with c[dim] = idx[c]] += g[c]` (acc has x's shape). */
  scatterAdd(g: StridedView, dim: number, idx: StridedView, acc: StridedView): void;
  /**
   * `x[rows[p], :] = values[p, :]` (or `+=` when `accumulate`) for a `(n, rowSize)` x, `count`
   * valid row numbers and `(count, rowSize)` values (broadcast views allowed). Repeated rows
   * add up when accumulating; when assigning, one of them wins.
   */
  indexPut(x: StridedView, rows: StridedView, values: StridedView, accumulate: boolean): void;

  // ---- Fused nn kernels. All views here are contiguous. ----
  /** Softmax (or log-softmax when `log`) along the middle dim of `(outer, size, inner)`. */
  softmax(
    x: StridedView,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
    out: StridedView,
  ): void;
  /**
   * The attention weights of causal self-attention: softmax over the last dim of each `(rows,
   * cols)` matrix of a `(matrices, rows, cols)` x times `scale`, entry (i, j) masked (0 in
   * `out`) when j > i + cols − rows; a row left with no entry is NaN, as a softmax of −∞ is.
   */
  causalSoftmax(
    x: StridedView,
    matrices: number,
    rows: number,
    cols: number,
    scale: number,
    out: StridedView,
  ): void;
  /** Softmax's backward over the last dim of `(rows, size)` y and g: `out = scale·y·(g − Σ g·y)`. */
  softmaxBackward(
    y: StridedView,
    g: StridedView,
    rows: number,
    size: number,
    scale: number,
    out: StridedView,
  ): void;
  /**
   * Fused cross-entropy of `(n, c)` logits and int32 targets. `loss` receives the per-row losses
   * (`(n)`, reduction "none") or their sum or mean (`()`); `dlogits` the gradient of that loss
   * for an upstream gradient of 1 per row: `softmax − target distribution`, divided by the
   * number of rows counted for "mean". Rows whose target is `opts.ignoreIndex` count for
   * nothing (loss 0, gradient 0, not in the mean's count); other targets must lie in `[0, c)`
   * (reported as `flatIndex` reports). With label smoothing ε the target distribution is
   * `(1 − ε)·onehot + ε/c`.
   */
  crossEntropy(
    logits: StridedView,
    targets: StridedView,
    loss: StridedView,
    dlogits: StridedView,
    opts: CrossEntropyKernelOptions,
  ): void;
  /**
   * Fused LayerNorm over the last dim of a `(rows, cols)` x: y (same shape), and per-row mean
   * and rstd `(rows)`; weight and bias are `(cols)`.
   */
  layerNorm(
    x: StridedView,
    weight: StridedView,
    bias: StridedView,
    eps: number,
    y: StridedView,
    mean: StridedView,
    rstd: StridedView,
  ): void;
  /** The fused LayerNorm backward from the saved mean/rstd: dx `(rows, cols)`, dweight, dbias `(cols)`. */
  layerNormBackward(
    dy: StridedView,
    x: StridedView,
    weight: StridedView,
    mean: StridedView,
    rstd: StridedView,
    dx: StridedView,
    dweight: StridedView,
    dbias: StridedView,
  ): void;
  /**
   * One fused Adam/AdamW step in place on float32 views of equal size (param, expAvg and
   * expAvgSq updated), rounding to float32 after every operation as PyTorch's single-tensor
   * AdamW does: decoupled decay `p·(1 − lr·wd)` (AdamW) or `g + wd·p` (Adam), moments, the
   * bias-corrected update.
   */
  adamw(
    param: StridedView,
    grad: StridedView,
    expAvg: StridedView,
    expAvgSq: StridedView,
    hp: AdamHyperParams,
  ): void;
}

/** What a failed index check names (the op, the dims), and whether negatives count from the end. */
export interface IndexCheck {
  /** The op, for the message (`index`, `gather`, …). */
  readonly op: string;
  /** The tensor dim each index operand indexes, for the message. */
  readonly dims: readonly number[];
  /** Whether `−bound <= i < 0` counts from the end (as in `C[X]`). */
  readonly negative: boolean;
  /**
   * The error message for index `value` of operand `d` against `bound` (default:
   * `<op>: index <value> is out of bounds for dim <dims[d]> with size <bound>`).
   */
  readonly message?: (value: number, bound: number, d: number) => string;
  /** The error class raised (default IndexError; e.g. DTypeError for `pow`'s exponent check). */
  readonly errorClass?: new (message: string) => Error;
}

/**
 * The message of a failed index check.
 *
 * @param check what the check names
 * @param value the index found
 * @param bound the size of its dim
 * @param d which index operand
 * @returns the message
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { indexErrorMessage } from "./backend.ts";
 * equal(indexErrorMessage({ op: "gather", dims: [1], negative: false }, 5, 3, 0),
 *   "gather: index 5 is out of bounds for dim 1 with size 3");
 * ```
 */
export function indexErrorMessage(
  check: IndexCheck,
  value: number,
  bound: number,
  d: number,
): string {
  return check.message?.(value, bound, d) ??
    `${check.op}: index ${value} is out of bounds for dim ${check.dims[d]} with size ${bound}`;
}

/** Options of `Backend.crossEntropy`. */
export interface CrossEntropyKernelOptions {
  /** How the per-row losses are reduced. */
  readonly reduction: "mean" | "sum" | "none";
  /** A target value whose rows are skipped (loss 0, gradient 0; PyTorch's default is −100). */
  readonly ignoreIndex: number;
  /** Label smoothing ε in [0, 1] (0 for none). */
  readonly labelSmoothing: number;
}

/** The hyper-parameters of one `Backend.adamw` step. */
export interface AdamHyperParams {
  /** The step number t, from 1. */
  readonly step: number;
  /** Learning rate. */
  readonly lr: number;
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly eps: number;
  /** Weight decay. */
  readonly weightDecay: number;
  /** AdamW's decoupled decay (true) or Adam's L2 term added to the gradient (false). */
  readonly decoupled: boolean;
}
