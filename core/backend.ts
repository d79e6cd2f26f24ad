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

/** Elementwise functions of one operand (`copy` casts to the output dtype). */
export type UnaryKernel =
  | "copy"
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "tanh"
  | "relu"
  | "sigmoid"
  | "gelu"
  | "geluTanh"
  | "geluGrad"
  | "geluTanhGrad"
  | "sign"
  | "toBool"
  | "isInf";

/**
 * Elementwise functions of two operands (comparisons write 0/1 into a bool
 * output; `tanhGrad`/`sigmoidGrad` are fused backward steps: g·(1−y²), g·y·(1−y);
 * `geluBackward`/`geluTanhBackward` are g·gelu′(x) with a = g, b = x).
 */
export type BinaryKernel =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "and"
  | "tanhGrad"
  | "sigmoidGrad"
  | "geluBackward"
  | "geluTanhBackward";

/** Reductions along one dim of a contiguous input. */
export type ReduceKernel = "sum" | "max" | "min" | "logsumexp";

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

  // ---- Optional fused/indexing kernels. Ops whose CPU code reads host memory use these on
  // other devices; the CPU path stays in the op files. All views here are contiguous. ----
  /** `out[o, j, i] = x[o, idx[j], i]` for x `(outer, size, inner)` and `count` int32 indices. */
  indexSelect?(
    x: StridedView,
    outer: number,
    size: number,
    inner: number,
    idx: StridedView,
    out: StridedView,
  ): void;
  /** `acc[o, idx[j], i] += g[o, j, i]` (the backward of indexSelect; acc zero-filled). */
  indexAdd?(
    g: StridedView,
    outer: number,
    size: number,
    inner: number,
    idx: StridedView,
    acc: StridedView,
  ): void;
  /** torch.gather: `out[c] = x[c with c[dim] = idx[c]]`; idx and out share a shape. */
  gather?(x: StridedView, dim: number, idx: StridedView, out: StridedView): void;
  /** The gather backward: `acc[c with c[dim] = idx[c]] += g[c]` (acc zero-filled, x's shape). */
  scatterAdd?(g: StridedView, dim: number, idx: StridedView, acc: StridedView): void;
  /** Softmax (or log-softmax when `log`) along the middle dim of `(outer, size, inner)`. */
  softmax?(
    x: StridedView,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
    out: StridedView,
  ): void;
  /**
   * Fused cross-entropy of `(n, c)` logits and int32 targets: per-row losses into `rowLoss`
   * and the unscaled gradient `softmax − onehot` into `dlogits`.
   */
  crossEntropy?(
    logits: StridedView,
    targets: StridedView,
    rowLoss: StridedView,
    dlogits: StridedView,
  ): void;
  /**
   * Fused LayerNorm over the last dim of a contiguous `(rows, cols)` x: y (same shape), and
   * per-row mean and rstd `(rows)`; weight and bias are `(cols)`.
   */
  layerNorm?(
    x: StridedView,
    weight: StridedView,
    bias: StridedView,
    eps: number,
    y: StridedView,
    mean: StridedView,
    rstd: StridedView,
  ): void;
  /** The fused LayerNorm backward from the saved mean/rstd: dx `(rows, cols)`, dweight, dbias `(cols)`. */
  layerNormBackward?(
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
   * One fused AdamW step in place on contiguous float32 views of equal size (param, expAvg and
   * expAvgSq updated): decoupled decay `p·(1 − lr·wd)`, moments, bias-corrected update;
   * `hp.step` is the step number t from 1.
   */
  adamw?(
    param: StridedView,
    grad: StridedView,
    expAvg: StridedView,
    expAvgSq: StridedView,
    hp: {
      step: number;
      lr: number;
      beta1: number;
      beta2: number;
      eps: number;
      weightDecay: number;
    },
  ): void;
}
