/**
 * The WebGPU backend: `Backend` on the executor and the WGSL kernels in
 * `kernels/`. A storage is a pooled GPUBuffer plus dtype, length and version;
 * float32 is stored as f32, int32 as i32 (exact, wrapping as on the CPU) and
 * bool as i32 0/1 (widened on upload, narrowed on readback). Reads are async only.
 *
 * @module
 */

import type { Backend, MatmulSpec, Storage, StridedView } from "../backend.ts";
import { allocArray, type DType, dtypeOfArray, type TypedArray } from "../dtype.ts";
import type { WebGPUExecutor } from "./executor.ts";
import { stridedLaunch, type StridedOp, type StridedOperand } from "../../kernels/strided.ts";
import { chooseMatmulKernel, matmulKChunk, matmulLaunch } from "../../kernels/matmul.ts";
import { loopStepBudget } from "../../kernels/loop_steps.ts";
import { wgslType } from "../../kernels/launch.ts";
import { nnMethods } from "./backend_nn.ts";
import { fusedMethods } from "./backend_fused.ts";
import { reduceMethods } from "./backend_reduce.ts";
import { scanSortMethods } from "./backend_scan_sort.ts";
import { SyncReadError } from "../errors.ts";
import { broadcastStrides, contiguousStrides, isContiguous, sizeOf } from "../shape.ts";

let serialCounter = 0;

/** A WebGPU buffer of a tensor: pooled GPUBuffer, dtype, length, version, tensor count. */
export class WebGPUStorage implements Storage {
  /** Always `"webgpu"`. */
  readonly device = "webgpu" as const;
  /** Bumped by in-place writes. */
  version = 0;
  /** Set once this buffer is some tensor's `.grad`. */
  heldAsGrad = false;
  /** Allocation order. */
  readonly serial = serialCounter++;
  /** Tensors wrapping this storage and not yet disposed (see core/memory.ts). */
  refs = 0;
  /**
   * Zero-filling is deferred: the first kernel that overwrites the whole buffer clears this
   * flag for free; any other first use runs the fill first (see `GpuCore.buf`/`outBuf`).
   */
  pendingZero = false;
  #buffer: GPUBuffer | null;
  /**
   * @param exec the executor owning the buffer
   * @param buffer the buffer (length·4 bytes at least)
   * @param dtype element type
   * @param length number of elements
   */
  constructor(
    readonly exec: WebGPUExecutor,
    buffer: GPUBuffer,
    readonly dtype: DType,
    readonly length: number,
  ) {
    this.#buffer = buffer;
  }
  /**
   * The buffer.
   *
   * @throws {TypeError} once freed
   * @throws {WebGPUDeviceLostError} once its device was lost
   */
  get buffer(): GPUBuffer {
    this.exec.ctx.assertAlive(`use a webgpu tensor of ${this.length} elements`);
    if (this.#buffer === null) {
      throw new TypeError(
        `Cannot use a webgpu tensor of ${this.length} elements: it was disposed`,
      );
    }
    return this.#buffer;
  }
  /** Whether the buffer went back to the pool. */
  get freed(): boolean {
    return this.#buffer === null;
  }
  /** Gives the buffer back to the pool (idempotent). */
  free(): void {
    if (this.#buffer === null) return;
    this.exec.release(this.#buffer);
    this.#buffer = null;
  }
}

/** Internal helpers the backend's methods share (also used by backend_nn.ts). */
export interface GpuCore {
  /** The executor. */
  exec: WebGPUExecutor;
  /** Max workgroups per dimension. */
  maxPerDim: number;
  /** Whether the adapter is a software one. */
  fallback: boolean;
  /** A fresh storage (zeroed when `zero`). */
  alloc(dtype: DType, length: number, zero?: boolean): WebGPUStorage;
  /** The view's buffer, zero-filled first if that is pending (for inputs and partial writes). */
  buf(v: StridedView): GPUBuffer;
  /** The buffer of an output the kernel overwrites entirely when `full` (no zero-fill needed). */
  outBuf(v: StridedView, full?: boolean): GPUBuffer;
  /** Runs a strided elementwise op into `out`. */
  run(op: StridedOp, inputs: StridedView[], out: StridedView, alpha?: number): void;
  /** A contiguous copy of a view (a temporary storage the caller frees). */
  contiguous(v: StridedView): WebGPUStorage;
}

function broadcast(v: StridedView, shape: readonly number[]): StridedOperand {
  const type = wgslType(v.storage.dtype);
  return { strides: broadcastStrides(v.shape, v.strides, shape), offset: v.offset, type };
}

const isDense = (v: StridedView) => isContiguous(v.shape, v.strides);

/**
 * The WebGPU backend on an executor.
 *
 * @param exec an executor on an open device
 * @returns the backend
 */
export function createWebGPUBackend(exec: WebGPUExecutor): Backend {
  const info = exec.ctx.info;
  const core: GpuCore = {
    exec,
    maxPerDim: info.limits.maxComputeWorkgroupsPerDimension,
    fallback: info.isFallbackAdapter,
    alloc(dtype, length, zero = true) {
      const s = new WebGPUStorage(exec, exec.alloc(Math.max(1, length) * 4), dtype, length);
      s.pendingZero = zero && length > 0;
      return s;
    },
    buf(v) {
      if (v.storage.device !== "webgpu") {
        throw new TypeError(
          `Cannot mix devices: an operand is on ${v.storage.device}, the op runs on webgpu; ` +
            'move it with `await t.toDevice("webgpu")`',
        );
      }
      const s = v.storage as WebGPUStorage;
      if (s.pendingZero) {
        s.pendingZero = false;
        const whole = { strides: [1], offset: 0, type: wgslType(s.dtype) };
        exec.dispatch(stridedLaunch("fill", [s.length], [], whole, 0, core.maxPerDim), [s.buffer]);
      }
      return s.buffer;
    },
    outBuf(v, full = true) {
      const s = v.storage as WebGPUStorage;
      if (full && s.pendingZero && v.offset === 0 && sizeOf(v.shape) === s.length && isDense(v)) {
        s.pendingZero = false;
      }
      return core.buf(v);
    },
    run(op, inputs, out, alpha = 0) {
      const n = sizeOf(out.shape);
      if (n === 0) return;
      const ob = core.outBuf(out, op !== "axpy");
      const temps: WebGPUStorage[] = [];
      const buffers = inputs.map((v) => {
        if (v.storage !== out.storage) return core.buf(v);
        // A buffer cannot be bound read-only and writable in one dispatch: copy it.
        const t = core.alloc(v.storage.dtype, v.storage.length, false);
        const whole = { storage: v.storage, shape: [v.storage.length], strides: [1], offset: 0 };
        core.run("copy", [whole], { storage: t, shape: [t.length], strides: [1], offset: 0 });
        temps.push(t);
        return t.buffer;
      });
      const launch = stridedLaunch(
        op,
        out.shape,
        inputs.map((v) => broadcast(v, out.shape)),
        { strides: out.strides, offset: out.offset, type: wgslType(out.storage.dtype) },
        alpha,
        core.maxPerDim,
      );
      exec.dispatch(launch, [...buffers, ob]);
      for (const t of temps) t.free();
    },
    contiguous(v) {
      const n = sizeOf(v.shape);
      const s = core.alloc(v.storage.dtype, n, false);
      core.run("copy", [v], {
        storage: s,
        shape: v.shape,
        strides: contiguousStrides(v.shape),
        offset: 0,
      });
      return s;
    },
  };

  const backend: Backend = {
    device: "webgpu",
    alloc: (dtype, length) => core.alloc(dtype, length),
    nextSerial: () => serialCounter,
    release(s: Storage): void {
      (s as WebGPUStorage).free();
    },
    upload(data: TypedArray): Storage {
      // float32 as f32; int32 as its own bits (i32); bool widened to i32 0/1
      const dtype = dtypeOfArray(data)!;
      const words = data instanceof Uint8Array ? Int32Array.from(data) : data;
      const bytes = words.length === 0 ? new Int32Array(1) : words;
      return new WebGPUStorage(exec, exec.upload(bytes), dtype, data.length);
    },
    readSync(): TypedArray {
      throw new SyncReadError(
        "Cannot read a webgpu tensor synchronously: use `await t.data()` (or `await t.item()`, " +
          "`await t.toArray()`); dataSync()/itemSync()/toArraySync()/toString() are for cpu tensors",
      );
    },
    async read(v: StridedView): Promise<TypedArray> {
      const n = sizeOf(v.shape);
      const out = allocArray(v.storage.dtype, n);
      if (n === 0) return out;
      const direct = v.offset === 0 && isDense(v);
      const src = direct ? null : core.contiguous(v);
      try {
        const bytes = await exec.read(src?.buffer ?? core.buf(v), n * 4);
        if (out instanceof Float32Array) out.set(new Float32Array(bytes));
        else out.set(new Int32Array(bytes)); // int32 as is; bool from i32 0/1
      } finally {
        src?.free();
      }
      return out;
    },
    fill(out, value) {
      core.run("fill", [], out, value);
    },
    unary(op, x, out) {
      core.run(op === "copy" && out.storage.dtype === "bool" ? "toBool" : op, [x], out);
    },
    binary(op, a, b, out) {
      core.run(op, [a, b], out);
    },
    where(c, a, b, out) {
      core.run("where", [c, a, b], out);
    },
    axpy(out, alpha, x) {
      core.run("axpy", [x], out, alpha);
    },
    matmul(a: StridedView, b: StridedView, out: StridedView, spec: MatmulSpec): void {
      const { m, k, n, aOffsets, bOffsets } = spec;
      const batch = aOffsets.length;
      if (batch === 0 || m * n === 0) return;
      if (k === 0) return; // out is zero-filled
      const step = (o: readonly number[]) => {
        if (o.length < 2) return 0;
        const s = o[1] - o[0];
        for (let i = 2; i < o.length; i++) if (o[i] - o[i - 1] !== s) return -1;
        return s;
      };
      const [aRows, aCols] = spec.transA ? [k, m] : [m, k];
      const [bRows, bCols] = spec.transB ? [n, k] : [k, n];
      const packA = spec.lda !== aCols && aRows > 1, packB = spec.ldb !== bCols && bRows > 1;
      if (packA || packB) {
        // the kernels read tight blocks: blocks cut from wider matrices are packed first
        const temps: WebGPUStorage[] = [];
        const tight = (
          v: StridedView,
          offs: readonly number[],
          r: number,
          c: number,
          ld: number,
        ) => {
          const t = core.alloc("float32", offs.length * r * c, false);
          temps.push(t);
          const s = step(offs),
            to = (i: number, count: number) => ({
              storage: t,
              shape: [count, r, c],
              strides: [r * c, c, 1],
              offset: i * r * c,
            });
          const from = (i: number, count: number, by: number) => ({
            storage: v.storage,
            shape: [count, r, c],
            strides: [by, ld, 1],
            offset: offs[i],
          });
          if (s >= 0) core.run("copy", [from(0, offs.length, s)], to(0, offs.length));
          else offs.forEach((_, i) => core.run("copy", [from(i, 1, 0)], to(i, 1)));
          const packed = { storage: t, shape: [t.length], strides: [1], offset: 0 };
          return { view: packed, offsets: offs.map((_, i) => i * r * c) };
        };
        const A = packA
          ? tight(a, aOffsets, aRows, aCols, spec.lda)
          : { view: a, offsets: aOffsets };
        const B = packB
          ? tight(b, bOffsets, bRows, bCols, spec.ldb)
          : { view: b, offsets: bOffsets };
        backend.matmul(A.view, B.view, out, {
          ...spec,
          aOffsets: A.offsets,
          bOffsets: B.offsets,
          lda: packA ? aCols : spec.lda,
          ldb: packB ? bCols : spec.ldb,
        });
        for (const t of temps) t.free();
        return;
      }
      const sa = step(aOffsets), sb = step(bOffsets);
      const limits = { ...info.limits, isFallbackAdapter: core.fallback };
      const budget = loopStepBudget(core.fallback);
      const bufs = [core.buf(a), core.buf(b), core.outBuf(out)];
      // K in passes accumulating into C where one pass over all of it would take more loop
      // steps than llvmpipe runs (kernels/loop_steps.ts)
      const form = { m, n, k, transA: spec.transA, transB: spec.transB };
      const chunk = matmulKChunk(chooseMatmulKernel(form, limits), k, budget);
      const one = (i: number, count: number, strideA: number, strideB: number) => {
        for (let k0 = 0; k0 < k; k0 += chunk) {
          const launch = matmulLaunch({
            ...form,
            batch: count,
            aOffset: aOffsets[i],
            bOffset: bOffsets[i],
            cOffset: out.offset + i * m * n,
            aBatchStride: strideA,
            bBatchStride: strideB,
            cBatchStride: m * n,
            kBegin: k0,
            kEnd: Math.min(k, k0 + chunk),
            accumulate: k0 > 0,
          }, limits);
          exec.dispatch(launch, bufs);
        }
      };
      if (sa >= 0 && sb >= 0) one(0, batch, sa, sb);
      else for (let i = 0; i < batch; i++) one(i, 1, 0, 0);
    },
    ...nnMethods(core, () => backend),
    ...fusedMethods(core, () => backend),
    ...reduceMethods(core),
    ...scanSortMethods(core),
  };
  return backend;
}
