/**
 * Typed errors of the WebGPU backend.
 *
 * @module
 */

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
 * reset, out of memory).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { WebGPUDeviceLostError } from "./errors.ts";
 * const e = new WebGPUDeviceLostError("destroyed", "device was lost", "dispatch matmul");
 * equal(e.message, "Cannot dispatch matmul: the WebGPU device was lost (destroyed: device was lost)");
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
    super(`Cannot ${action}: the WebGPU device was lost (${reason}: ${detail})`);
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
