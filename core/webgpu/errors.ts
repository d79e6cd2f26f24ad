/**
 * Typed errors of the WebGPU backend.
 *
 * @module
 */

import { formatShape } from "../errors.ts";

/**
 * Thrown when WebGPU is asked for but cannot be opened: no `navigator.gpu`, or
 * `requestAdapter()` gave `null`, or `requestDevice()` failed.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { WebGPUUnavailableError } from "./errors.ts";
 * const e = new WebGPUUnavailableError("navigator.gpu is undefined");
 * ok(e.message.includes("device: \"cpu\""));
 * ```
 */
export class WebGPUUnavailableError extends Error {
  /** Why WebGPU could not be opened. */
  readonly reason: string;
  /**
   * Builds the message from the reason.
   *
   * @param reason why WebGPU could not be opened
   */
  constructor(reason: string) {
    super(
      `Cannot open WebGPU: ${reason}. Run on the CPU instead (device: "cpu", the default), ` +
        `or run Deno on a machine with a WebGPU adapter (e.g. install mesa-vulkan-drivers).`,
    );
    this.name = "WebGPUUnavailableError";
    this.reason = reason;
  }
}

/**
 * Thrown by any WebGPU operation after the device was lost (destroyed, driver
 * reset, out of memory). The tensors on it are gone; the default device is
 * back to "cpu", and `initWebGPU()` opens a new device (the message says so).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { WebGPUDeviceLostError } from "./errors.ts";
 * const e = new WebGPUDeviceLostError("destroyed", "device was lost", "dispatch matmul");
 * equal(
 *   e.message,
 *   "Cannot dispatch matmul: the WebGPU device was lost (destroyed: device was lost). " +
 *     "Its tensors are gone. Go on on the CPU (the default device is \"cpu\" again; " +
 *     "`await setDefaultDevice(\"cpu\")` in your script) and recreate the tensors there, " +
 *     "e.g. from a checkpoint, or call `await initWebGPU()` to open a new WebGPU device.",
 * );
 * ```
 */
export class WebGPUDeviceLostError extends Error {
  /** `GPUDeviceLostInfo.reason` ("destroyed" or "unknown"). */
  readonly reason: string;
  /**
   * Builds the message from the lost info and the attempted action.
   *
   * @param reason the `GPUDeviceLostInfo.reason`
   * @param detail the `GPUDeviceLostInfo.message`
   * @param action what was attempted, e.g. "dispatch matmul"
   */
  constructor(reason: string, detail: string, action: string) {
    super(
      `Cannot ${action}: the WebGPU device was lost (${reason}: ${detail}). ` +
        `Its tensors are gone. Go on on the CPU (the default device is "cpu" again; ` +
        '`await setDefaultDevice("cpu")` in your script) and recreate the tensors there, ' +
        "e.g. from a checkpoint, or call `await initWebGPU()` to open a new WebGPU device.",
    );
    this.name = "WebGPUDeviceLostError";
    this.reason = reason;
  }
}

/**
 * Thrown when WGSL fails to compile or a compute pipeline fails validation; the
 * message names the kernel, the line number and the text of the failing line.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { WGSLCompileError } from "./errors.ts";
 * const src = "fn main() {\n  let y = foo;\n}";
 * const e = new WGSLCompileError("demo", src, 2, "unknown identifier `foo`");
 * equal(e.line, 2);
 * equal(e.lineText, "  let y = foo;");
 * equal(e.message, "Cannot compile WGSL kernel demo: line 2: `let y = foo;`: unknown identifier `foo`");
 * ```
 */
export class WGSLCompileError extends SyntaxError {
  /** 1-based line of the WGSL source that failed (0 when the compiler gave none). */
  readonly line: number;
  /** Text of that line. */
  readonly lineText: string;
  /** The whole WGSL source. */
  readonly source: string;
  /**
   * Builds the message from the failing line.
   *
   * @param kernel kernel name (for the message)
   * @param source the WGSL source
   * @param line 1-based line number, 0 if unknown
   * @param detail the compiler's message
   */
  constructor(kernel: string, source: string, line: number, detail: string) {
    const lineText = line > 0 ? source.split("\n")[line - 1] ?? "" : "";
    const where = line > 0 ? `line ${line}: \`${lineText.trim()}\`: ` : "";
    super(`Cannot compile WGSL kernel ${kernel}: ${where}${detail}`);
    this.name = "WGSLCompileError";
    this.line = line;
    this.lineText = lineText;
    this.source = source;
  }
}

/**
 * Thrown when a WebGPU tensor would need a buffer larger than the adapter can
 * bind (`maxStorageBufferBindingSize`, 128 MiB on many adapters): nothing is
 * allocated. Keep the tensor on the CPU, or split the work into batches.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { WebGPUBufferSizeError } from "./errors.ts";
 * const e = new WebGPUBufferSizeError(146_100_000, 134_217_728).withShape([182625, 200]);
 * ok(e instanceof RangeError);
 * equal(
 *   e.message,
 *   "Cannot allocate a webgpu tensor of shape (182625, 200): 146100000 bytes (139.33 MiB) is over " +
 *     "the adapter's maxStorageBufferBindingSize of 134217728 bytes (128 MiB); keep it on the " +
 *     'CPU (device: "cpu") or split the work into batches that fit',
 * );
 * ```
 */
export class WebGPUBufferSizeError extends RangeError {
  /** Bytes the tensor needs. */
  readonly byteLength: number;
  /** The adapter's limit in bytes. */
  readonly limit: number;
  /** The tensor's shape, when known. */
  readonly shape: readonly number[] | null;
  /**
   * Builds the message.
   *
   * @param byteLength bytes needed
   * @param limit the adapter's maxStorageBufferBindingSize
   * @param shape the tensor's shape, or null
   */
  constructor(byteLength: number, limit: number, shape: readonly number[] | null = null) {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(b % 2 ** 20 === 0 ? 0 : 2)} MiB`;
    const what = shape === null
      ? `of ${byteLength / 4} elements`
      : `of shape ${formatShape(shape)}`;
    super(
      `Cannot allocate a webgpu tensor ${what}: ${byteLength} bytes (${mib(byteLength)}) is over ` +
        `the adapter's maxStorageBufferBindingSize of ${limit} bytes (${mib(limit)}); keep it on ` +
        'the CPU (device: "cpu") or split the work into batches that fit',
    );
    this.name = "WebGPUBufferSizeError";
    this.byteLength = byteLength;
    this.limit = limit;
    this.shape = shape;
  }

  /**
   * The same error naming the tensor's shape.
   *
   * @param shape the shape
   * @returns a new error
   */
  withShape(shape: readonly number[]): WebGPUBufferSizeError {
    return new WebGPUBufferSizeError(this.byteLength, this.limit, shape);
  }
}

/**
 * Thrown before anything is dispatched when one shader invocation of an op would loop longer
 * than the adapter runs loops: Mesa's llvmpipe/lavapipe (the software Vulkan driver behind a
 * fallback adapter) silently ends an invocation's loops after 65,536 steps in all (see
 * kernels/loop_steps.ts), so the result would be wrong. Run the op on the CPU, or on a
 * hardware GPU, which has no such limit.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { WebGPUKernelLimitError } from "./errors.ts";
 * const e = new WebGPUKernelLimitError("layerNorm", "rows of 6000000 features", 70340, 65536);
 * ok(e instanceof RangeError);
 * equal(
 *   e.message,
 *   "Cannot run layerNorm on webgpu for rows of 6000000 features: one shader invocation " +
 *     "would run 70340 loop steps, over the 65536 that this software adapter (Mesa " +
 *     "llvmpipe/lavapipe) runs before it silently ends the loops; run it on the CPU " +
 *     '(device: "cpu") or on a hardware GPU adapter',
 * );
 * ```
 */
export class WebGPUKernelLimitError extends RangeError {
  /** The op refused. */
  readonly op: string;
  /** Loop steps one invocation would need. */
  readonly steps: number;
  /** The steps the adapter runs per invocation. */
  readonly limit: number;
  /**
   * Builds the message.
   *
   * @param op the op, e.g. "crossEntropy"
   * @param what the sizes that make it too long, e.g. "rows of 6000000 classes"
   * @param steps loop steps one invocation would need at the most threads per row
   * @param limit the adapter's loop steps per invocation
   */
  constructor(op: string, what: string, steps: number, limit: number) {
    super(
      `Cannot run ${op} on webgpu for ${what}: one shader invocation would run ${steps} loop ` +
        `steps, over the ${limit} that this software adapter (Mesa llvmpipe/lavapipe) runs ` +
        `before it silently ends the loops; run it on the CPU (device: "cpu") or on a ` +
        `hardware GPU adapter`,
    );
    this.name = "WebGPUKernelLimitError";
    this.op = op;
    this.steps = steps;
    this.limit = limit;
  }
}
