/**
 * The WebGPU executor: kernels append dispatches to one pending command
 * encoder, which is submitted on readback or every N dispatches; pipelines are
 * cached by WGSL source; storage buffers come from a bucketed pool; bind groups,
 * with their uniform values, are cached (core/webgpu/bind_group_cache.ts).
 *
 * @module
 */

import type { KernelLaunch } from "../../kernels/launch.ts";
import { BindGroupCache } from "./bind_group_cache.ts";
import { BufferPool, type BufferPoolStats } from "./buffer_pool.ts";
import { getWebGPU, openWebGPU, type OpenWebGPUOptions, type WebGPUContext } from "./device.ts";
import { DeviceErrorRecord } from "./error_record.ts";
import { WebGPUBufferSizeError, WGSLCompileError } from "./errors.ts";

/** Options of {@linkcode WebGPUExecutor}. */
export interface ExecutorOptions {
  /** Submit the pending encoder after this many dispatches (default 64). */
  maxPendingDispatches?: number;
}

interface CachedPipeline {
  pipeline: GPUComputePipeline;
  /** Its bind group layout, fetched once (each call makes a new object). */
  layout: GPUBindGroupLayout;
  /** Resolves to the compile/validation error, or null. */
  check: Promise<WGSLCompileError | null>;
  error: WGSLCompileError | null;
}

/** Runs {@linkcode KernelLaunch}es on one WebGPU device. */
export class WebGPUExecutor {
  /** The device context. */
  readonly ctx: WebGPUContext;
  readonly #storage: BufferPool;
  /** The largest storage buffer the device binds, in bytes. */
  readonly #maxBinding: number;
  readonly #staging: BufferPool;
  readonly #pipelines = new Map<string, CachedPipeline>();
  readonly #bindGroups = new BindGroupCache();
  readonly #maxPending: number;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #pending = 0;
  #submits = 0;
  #dispatches = 0;
  #errors: Promise<GPUError | null>[] = [];
  /** Storage buffers released since the last submit (pending dispatches may still use them). */
  #releasedSinceSubmit = new Set<GPUBuffer>();
  /** Staging buffers of uploads recorded in the pending encoder (destroyed after its submit). */
  #uploadStaging: GPUBuffer[] = [];
  /** Sources dispatched since the last read whose compile check was not awaited yet. */
  #unchecked = new Set<string>();
  /** Index errors found by kernels, raised at the next readback. */
  readonly errors: DeviceErrorRecord;

  /**
   * An executor on an open context.
   *
   * @param ctx an open context
   * @param options submit batching
   */
  constructor(ctx: WebGPUContext, options: ExecutorOptions = {}) {
    this.ctx = ctx;
    this.#maxPending = options.maxPendingDispatches ?? 64;
    const d = ctx.device;
    const usage = GPUBufferUsage; // read here, not at import: WebGPU may be absent
    const { maxStorageBufferBindingSize: bind, maxBufferSize } = ctx.info.limits;
    this.#maxBinding = Math.min(bind, maxBufferSize);
    this.#storage = new BufferPool(
      d,
      usage.STORAGE | usage.COPY_SRC | usage.COPY_DST,
      this.#maxBinding,
    );
    this.#staging = new BufferPool(d, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.errors = new DeviceErrorRecord(d);
  }

  /**
   * An executor on the shared device, or on a fresh one with `{fresh: true}`.
   *
   * @param options device and batching options
   * @returns the executor
   * @throws {WebGPUUnavailableError} when WebGPU cannot be opened
   */
  static async create(
    options: ExecutorOptions & OpenWebGPUOptions = {},
  ): Promise<WebGPUExecutor> {
    const ctx = options.fresh ? await openWebGPU(options) : await getWebGPU();
    return new WebGPUExecutor(ctx, options);
  }

  /**
   * A storage buffer of at least `byteLength` bytes from the pool (contents undefined).
   *
   * @param byteLength bytes needed
   * @returns the buffer
   * @throws {WebGPUDeviceLostError} after the device was lost
   * @throws {WebGPUBufferSizeError} over the adapter's binding limit (nothing is allocated)
   */
  alloc(byteLength: number): GPUBuffer {
    this.ctx.assertAlive("allocate a GPU buffer");
    const limit = this.#maxBinding;
    if (byteLength > limit) throw new WebGPUBufferSizeError(byteLength, limit);
    return this.#storage.acquire(byteLength);
  }

  /**
   * Allocates a storage buffer and uploads `data` into it.
   *
   * @param data the bytes to upload (length a multiple of 4)
   * @returns the buffer
   * @throws {WebGPUDeviceLostError} after the device was lost
   */
  upload(data: ArrayBufferView): GPUBuffer {
    const buffer = this.alloc(data.byteLength);
    const bytes = data as ArrayBufferView<ArrayBuffer>;
    if (this.#releasedSinceSubmit.has(buffer) && this.#encoder !== null) {
      // Pending dispatches may still read this buffer: copy into it inside the pending
      // encoder (ordered after them) from a mapped-at-creation staging buffer; no submit.
      const staging = this.ctx.device.createBuffer({
        size: bytes.byteLength,
        usage: GPUBufferUsage.COPY_SRC,
        mappedAtCreation: true,
      });
      new Uint8Array(staging.getMappedRange()).set(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
      staging.unmap();
      this.#pass?.end();
      this.#pass = null;
      this.#encoder.copyBufferToBuffer(staging, 0, buffer, 0, bytes.byteLength);
      this.#uploadStaging.push(staging);
    } else if (this.#releasedSinceSubmit.has(buffer)) this.write(buffer, data);
    else {
      // No pending dispatch can use a buffer not released since the last submit: the
      // queue write needs no submit first (it still runs before the pending work).
      this.ctx.device.queue.writeBuffer(
        buffer,
        0,
        bytes.buffer,
        bytes.byteOffset,
        bytes.byteLength,
      );
    }
    return buffer;
  }

  /**
   * Writes `data` at the start of `buffer` (ordered after every dispatch already appended).
   *
   * @param buffer a storage buffer
   * @param data the bytes (length a multiple of 4)
   * @throws {WebGPUDeviceLostError} after the device was lost
   */
  write(buffer: GPUBuffer, data: ArrayBufferView): void {
    this.ctx.assertAlive("write a GPU buffer");
    // queue.writeBuffer runs before the pending encoder is submitted: submit first.
    if (this.#pending > 0) this.flush();
    const bytes = data as ArrayBufferView<ArrayBuffer>;
    this.ctx.device.queue.writeBuffer(buffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Gives a storage buffer back to the pool; later dispatches may reuse it at once.
   *
   * @param buffer a buffer from {@linkcode alloc} or {@linkcode upload}
   * @throws {RangeError} on a double release
   */
  release(buffer: GPUBuffer): void {
    this.#storage.release(buffer);
    if (this.#pending > 0) this.#releasedSinceSubmit.add(buffer);
  }

  /**
   * Compiles a kernel's WGSL now and reports any error.
   *
   * @param name kernel name for the message
   * @param source WGSL source
   * @returns resolves once compiled and validated
   * @throws {WGSLCompileError} with the failing line
   */
  async compile(name: string, source: string): Promise<void> {
    const cached = this.#pipeline(name, source);
    const error = await cached.check;
    if (error) {
      this.#pipelines.delete(source); // reported; a later attempt recompiles
      throw error;
    }
  }

  #pipeline(name: string, source: string): CachedPipeline {
    const hit = this.#pipelines.get(source);
    if (hit) return hit;
    this.ctx.assertAlive(`compile kernel ${name}`);
    const device = this.ctx.device;
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ label: name, code: source });
    const pipeline = device.createComputePipeline({
      label: name,
      layout: "auto",
      compute: { module, entryPoint: "main" },
    });
    const scope = device.popErrorScope();
    const entry: CachedPipeline = {
      pipeline,
      layout: pipeline.getBindGroupLayout(0),
      check: Promise.resolve(null),
      error: null,
    };
    entry.check = (async () => {
      const info = await module.getCompilationInfo();
      const first = info.messages.find((m) => m.type === "error");
      const scoped = await scope;
      if (!first && !scoped) return null;
      const detail = (first?.message ?? scoped?.message ?? "").trim().split("\n")[0]
        .replace(/^Shader '[^']*' parsing error: /, "");
      entry.error = new WGSLCompileError(name, source, first?.lineNum ?? 0, detail);
      return entry.error;
    })();
    this.#pipelines.set(source, entry);
    return entry;
  }

  /**
   * Appends one dispatch to the pending encoder (submitting every N dispatches).
   *
   * @param launch the kernel launch
   * @param buffers storage buffers, bound at bindings 1, 2, ... in order
   * @throws {WebGPUDeviceLostError} after the device was lost
   * @throws {WGSLCompileError} when this kernel already failed to compile
   */
  dispatch(launch: KernelLaunch, buffers: readonly GPUBuffer[]): void {
    this.ctx.assertAlive(`dispatch ${launch.name}`);
    const cached = this.#pipeline(launch.name, launch.source);
    if (cached.error) throw cached.error;
    this.#unchecked.add(launch.source);
    const device = this.ctx.device;
    const bindGroup = this.#bindGroups.get(device, cached.layout, buffers, launch.uniforms);
    if (this.#encoder === null) this.#encoder = device.createCommandEncoder();
    if (this.#pass === null) this.#pass = this.#encoder.beginComputePass();
    this.#pass.setPipeline(cached.pipeline);
    this.#pass.setBindGroup(0, bindGroup);
    const [x, y, z] = launch.workgroups;
    this.#pass.dispatchWorkgroups(x, y, z);
    this.#pending++;
    this.#dispatches++;
    if (this.#pending >= this.#maxPending) this.flush();
  }

  /**
   * Submits the pending encoder (if any).
   *
   * @throws {WebGPUDeviceLostError} after the device was lost
   */
  flush(): void {
    this.ctx.assertAlive("submit GPU work");
    this.#submit(null);
  }

  #submit(extra: ((enc: GPUCommandEncoder) => void) | null): void {
    const device = this.ctx.device;
    if (this.#encoder === null && extra === null) return;
    const encoder = this.#encoder ?? device.createCommandEncoder();
    this.#pass?.end();
    extra?.(encoder);
    device.pushErrorScope("validation");
    device.queue.submit([encoder.finish()]);
    this.#errors.push(device.popErrorScope());
    if (this.#errors.length > 64) {
      // a loop that never reads back: fold the scopes into one promise instead of keeping all
      const all = this.#errors;
      this.#errors = [Promise.all(all).then((es) => es.find((e) => e !== null) ?? null)];
    }
    this.#encoder = null;
    this.#pass = null;
    this.#pending = 0;
    this.#submits++;
    this.#releasedSinceSubmit.clear();
    for (const b of this.#uploadStaging) b.destroy(); // freed once the submitted copy ran
    this.#uploadStaging = [];
    this.#bindGroups.afterSubmit();
  }

  /**
   * Reads `byteLength` bytes of `buffer` back (submits pending work first).
   *
   * @param buffer a storage buffer
   * @param byteLength bytes to read (a multiple of 4)
   * @returns a copy of the bytes
   * @throws {WebGPUDeviceLostError} after the device was lost
   * @throws {WGSLCompileError} when a kernel dispatched since the last read failed to compile
   */
  async read(buffer: GPUBuffer, byteLength: number): Promise<ArrayBuffer> {
    this.ctx.assertAlive("read a GPU buffer");
    const staging = this.#staging.acquire(byteLength);
    const check = { record: null as GPUBuffer | null };
    this.#submit((enc) => {
      enc.copyBufferToBuffer(buffer, 0, staging, 0, byteLength);
      check.record = this.errors.copyForCheck(enc);
    });
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, byteLength);
    } catch (e) {
      this.ctx.assertAlive("read a GPU buffer");
      throw e;
    }
    const out = staging.getMappedRange(0, byteLength).slice(0);
    staging.unmap();
    this.#staging.release(staging);
    await this.#throwPendingErrors();
    if (check.record !== null) await this.errors.check(check.record);
    return out;
  }

  /**
   * Waits for submitted work and throws the first compile or validation error seen.
   *
   * @returns resolves when the queue is idle
   * @throws {WGSLCompileError} when a dispatched kernel failed to compile
   * @throws {WebGPUDeviceLostError} after the device was lost
   */
  async sync(): Promise<void> {
    this.ctx.assertAlive("submit GPU work");
    const check = { record: null as GPUBuffer | null };
    this.#submit((enc) => check.record = this.errors.copyForCheck(enc));
    await this.ctx.device.queue.onSubmittedWorkDone();
    await this.#throwPendingErrors();
    if (check.record !== null) await this.errors.check(check.record);
  }

  async #throwPendingErrors(): Promise<void> {
    const sources = [...this.#unchecked];
    this.#unchecked.clear();
    for (const source of sources) {
      const error = await this.#pipelines.get(source)?.check;
      if (error) {
        this.#pipelines.delete(source); // reported; a later attempt recompiles
        this.#errors = [];
        throw error;
      }
    }
    const errors = await Promise.all(this.#errors);
    this.#errors = [];
    const first = errors.find((e) => e !== null);
    if (first) throw new Error(`Cannot run GPU work: validation failed: ${first.message}`);
  }

  /** Counters: storage pool stats plus dispatches, submits, cached pipelines, bind groups made. */
  get stats(): BufferPoolStats & {
    dispatches: number;
    submits: number;
    pipelines: number;
    bindGroups: number;
  } {
    return {
      ...this.#storage.stats,
      dispatches: this.#dispatches,
      submits: this.#submits,
      pipelines: this.#pipelines.size,
      bindGroups: this.#bindGroups.created,
    };
  }

  /** Destroys pooled buffers that are not live. */
  trim(): void {
    if (this.#pending > 0) this.flush(); // pending dispatches may bind pooled buffers
    this.#bindGroups.clear(); // they may bind the buffers destroyed below
    this.#storage.trim();
    this.#staging.trim();
  }
}
