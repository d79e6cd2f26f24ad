/**
 * Which kernel the CPU backend's matmul runs, and on how many threads: the WebAssembly SIMD
 * kernel of `matmul.ts` (always there, one thread) or the system's OpenBLAS through FFI
 * (`blas.ts`, when `--allow-ffi` is granted and the library is installed). `"auto"`, the
 * default, takes OpenBLAS when it loads. The environment variable `KATAGRAD_CPU_MATMUL`
 * (`wasm`, `blas` or `auto`, read when `--allow-env` grants it) sets the starting choice;
 * {@link setCpuOptions} overrides it, {@link cpuInfo} reports it.
 *
 * @module
 */

import { type OpenBlas, openBlas, openBlasUnavailableReason } from "./blas.ts";
import { simdSupported } from "./matmul_simd.ts";

/** A CPU matmul kernel: the WebAssembly one or OpenBLAS's `cblas_sgemm`. */
export type CpuMatmulKernel = "wasm" | "blas";

/** What {@link setCpuOptions} accepts. */
export interface CpuOptions {
  /**
   * `"wasm"`: the WebAssembly kernel; `"blas"`: OpenBLAS (throws where it cannot load);
   * `"auto"`: OpenBLAS when it loads, else WebAssembly.
   */
  matmul?: CpuMatmulKernel | "auto";
  /** Threads for OpenBLAS's products (a positive integer; the WebAssembly kernel uses one). */
  threads?: number;
}

/** What {@link cpuInfo} reports. */
export interface CpuInfo {
  /** The kernel the CPU matmul runs now. */
  matmul: CpuMatmulKernel;
  /** What was asked for (by {@link setCpuOptions} or `KATAGRAD_CPU_MATMUL`). */
  requested: CpuMatmulKernel | "auto";
  /** Threads a large product runs on. */
  threads: number;
  /** Whether the WebAssembly kernel has SIMD (else it runs the TypeScript kernel). */
  wasmSimd: boolean;
  /** The OpenBLAS in use, or `null`. */
  blas: { path: string; config: string; core: string } | null;
  /** Why OpenBLAS is not in use (empty when it is). */
  blasUnavailable: string;
}

let requested: CpuMatmulKernel | "auto" | undefined;
let active: OpenBlas | null | undefined;

function startingChoice(): CpuMatmulKernel | "auto" {
  const name = "KATAGRAD_CPU_MATMUL";
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
    return "auto";
  }
  const v = (Deno.env.get(name) ?? "").trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (v === "wasm" || v === "blas") return v;
  throw new TypeError(`${name} must be "wasm", "blas" or "auto", got ${JSON.stringify(v)}`);
}

function resolve(choice: CpuMatmulKernel | "auto"): OpenBlas | null {
  if (choice === "wasm") return null;
  const blas = openBlas();
  if (!blas && choice === "blas") {
    throw new Error(`Cannot use OpenBLAS for the CPU matmul: ${openBlasUnavailableReason()}`);
  }
  return blas;
}

/**
 * The OpenBLAS the CPU matmul should call, or `null` for the WebAssembly kernel. The first call
 * settles the starting choice (and loads OpenBLAS under `"auto"`).
 *
 * @returns the library to use, or `null`
 * @example
 * ```ts
 * import { activeBlas } from "./cpu_options.ts";
 * console.log(activeBlas() ? "OpenBLAS" : "WebAssembly");
 * ```
 */
export function activeBlas(): OpenBlas | null {
  if (active === undefined) {
    requested ??= startingChoice();
    active = resolve(requested);
  }
  return active;
}

/**
 * Chooses the CPU matmul kernel and its threads. Results differ between kernels only in the
 * order float32 sums are taken.
 *
 * @param options `matmul`: `"wasm"`, `"blas"` or `"auto"`; `threads`: OpenBLAS's thread count
 * @throws {Error} when `matmul: "blas"` is asked for and OpenBLAS cannot load (the message says
 * why: no `--allow-ffi`, or no library)
 * @throws {RangeError} when `threads` is not a positive integer
 * @throws {TypeError} when `matmul` is not one of the three names
 * @example Pin the WebAssembly kernel, then go back to the default
 * ```ts
 * import { cpuInfo, setCpuOptions } from "@katagrad/katagrad";
 * setCpuOptions({ matmul: "wasm" });
 * console.log(cpuInfo().matmul); // "wasm"
 * setCpuOptions({ matmul: "auto" }); // OpenBLAS where --allow-ffi and the library allow
 * ```
 * @example One OpenBLAS thread, to compare with a single-threaded peer
 * ```ts
 * import { cpuInfo, setCpuOptions } from "@katagrad/katagrad";
 * setCpuOptions({ threads: 1 });
 * console.log(cpuInfo().threads); // 1
 * ```
 */
export function setCpuOptions(options: CpuOptions): void {
  const { matmul, threads } = options;
  if (matmul !== undefined && matmul !== "wasm" && matmul !== "blas" && matmul !== "auto") {
    throw new TypeError(
      `setCpuOptions: matmul must be "wasm", "blas" or "auto", got ${JSON.stringify(matmul)}`,
    );
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError(`setCpuOptions: threads must be a positive integer, got ${threads}`);
  }
  if (matmul !== undefined) {
    active = resolve(matmul);
    requested = matmul;
  }
  if (threads !== undefined) {
    // set on the library even while the WebAssembly kernel is chosen, so a later "blas" keeps it
    openBlasIfLoadable()?.setThreads(threads);
  }
}

function openBlasIfLoadable(): OpenBlas | null {
  return Deno.permissions.querySync({ name: "ffi" }).state === "granted" ? openBlas() : null;
}

/**
 * Which kernel the CPU matmul runs, on how many threads, and which OpenBLAS (the CPU's
 * counterpart of `webgpuInfo`).
 *
 * @returns the active kernel, what was requested, the thread count and the library
 * @example
 * ```ts
 * import { cpuInfo } from "@katagrad/katagrad";
 * const info = cpuInfo();
 * console.log(`${info.matmul} matmul on ${info.threads} thread(s)`, info.blas?.core ?? "");
 * ```
 */
export function cpuInfo(): CpuInfo {
  const blas = activeBlas();
  return {
    matmul: blas ? "blas" : "wasm",
    requested: requested ?? "auto",
    threads: blas ? blas.threads() : 1,
    wasmSimd: simdSupported,
    blas: blas ? { path: blas.path, config: blas.config, core: blas.core } : null,
    blasUnavailable: blas
      ? ""
      : requested === "wasm"
      ? "the WebAssembly kernel was chosen"
      : openBlasUnavailableReason(),
  };
}
