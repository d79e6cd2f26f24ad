/**
 * The system's OpenBLAS through Deno's built-in FFI (`Deno.dlopen`): `cblas_sgemm` for the CPU
 * matmul and `openblas_set_num_threads` for its thread count. Nothing here loads by itself:
 * {@link openBlas} tries the library the first time it is asked, and only when the process may
 * use FFI (`--allow-ffi`, or `-A`); without the permission or the library it returns `null` and
 * the CPU backend keeps its WebAssembly kernel.
 *
 * Where it looks: `KATAGRAD_OPENBLAS` (a path, read when `--allow-env` grants it), then the
 * Debian/Ubuntu packages (`libopenblas0-pthread`, `libopenblas0-openmp`, `libopenblas0-serial`
 * under `/usr/lib/<triple>/`), then Homebrew's, then the bare names for the dynamic loader.
 *
 * @module
 */

/** `CblasRowMajor` of cblas.h. */
const ROW_MAJOR = 101;
/** `CblasNoTrans` / `CblasTrans` of cblas.h. */
const NO_TRANS = 111, TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    // order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_corename: { parameters: [], result: "pointer" },
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

type OpenBlasLib = Deno.DynamicLibrary<typeof SYMBOLS>;

/** A loaded OpenBLAS: where it came from and what it calls itself. */
export interface OpenBlas {
  /** The path (or soname) that `dlopen` accepted. */
  readonly path: string;
  /** OpenBLAS's build description, e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"`. */
  readonly config: string;
  /** The kernel family OpenBLAS picked for this CPU, e.g. `"SkylakeX"` or `"Haswell"`. */
  readonly core: string;
  /** The threads OpenBLAS runs a large product on. */
  threads(): number;
  /** Sets them (OpenBLAS clamps to its build's maximum). */
  setThreads(n: number): void;
  /**
   * `C = op(A)·op(B)` (or `C += …` with `accumulate`), row-major, float32: the arguments of
   * `matmulF32` (`transA`: A is stored (k x m); `transB`: B is stored (n x k)), and `ld`, the
   * row strides of A and B as stored where they are not tight (blocks of wider matrices).
   */
  sgemm(
    a: Float32Array,
    aOff: number,
    transA: boolean,
    b: Float32Array,
    bOff: number,
    transB: boolean,
    c: Float32Array,
    cOff: number,
    m: number,
    k: number,
    n: number,
    accumulate: boolean,
    ld?: { lda?: number; ldb?: number },
  ): void;
}

const LINUX_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64"];
const LINUX_VARIANTS = ["openblas-pthread", "openblas-openmp", "openblas-serial", "."];

/**
 * The paths {@link openBlas} tries, in order.
 *
 * @param override a path that goes first (the `KATAGRAD_OPENBLAS` variable)
 * @returns candidate library paths and sonames
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { openBlasCandidates } from "./blas.ts";
 * const paths = openBlasCandidates("/opt/blas/libopenblas.so");
 * ok(paths[0] === "/opt/blas/libopenblas.so");
 * ok(paths.includes("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"));
 * ```
 */
export function openBlasCandidates(override?: string): string[] {
  const paths = override ? [override] : [];
  for (const dir of LINUX_DIRS) {
    for (const variant of LINUX_VARIANTS) {
      const base = variant === "." ? dir : `${dir}/${variant}`;
      paths.push(`${base}/libopenblas.so.0`, `${base}/libopenblas.so`);
    }
  }
  paths.push(
    "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
    "/usr/local/opt/openblas/lib/libopenblas.dylib",
    "libopenblas.so.0",
    "libopenblas.so",
    "libopenblas.dylib",
  );
  return paths;
}

let loaded: OpenBlas | null | undefined;
let loadError = "";

/**
 * The system's OpenBLAS, loaded on the first call (later calls return the same one), or `null`
 * when FFI is not permitted or no candidate loads; {@link openBlasUnavailableReason} says which.
 *
 * @returns the library, or `null`
 * @example
 * ```ts
 * import { openBlas } from "./blas.ts";
 * const blas = openBlas();
 * if (blas) {
 *   const c = new Float32Array(1);
 *   blas.sgemm(new Float32Array([1, 2]), 0, false, new Float32Array([3, 4]), 0, false, c, 0, 1, 2, 1, false);
 *   if (c[0] !== 11) throw new Error("1·3 + 2·4 should be 11");
 * }
 * ```
 */
export function openBlas(): OpenBlas | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") {
    loadError = "this runtime has no Deno.dlopen";
    return null;
  }
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    loadError = "FFI is not permitted (run with --allow-ffi)";
    return null;
  }
  const tried: string[] = [];
  for (const path of openBlasCandidates(envPath())) {
    let lib: OpenBlasLib;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (e) {
      // only name the real attempts: most candidates are absent on any one machine
      if (!/No such file|cannot open shared object|image not found/i.test(String(e))) {
        tried.push(`${path}: ${(e as Error).message}`);
      }
      continue;
    }
    loaded = wrap(lib, path);
    return loaded;
  }
  loadError = `no OpenBLAS found (install libopenblas0-pthread or set KATAGRAD_OPENBLAS)` +
    (tried.length ? `; ${tried.join("; ")}` : "");
  return null;
}

/**
 * Why {@link openBlas} returned `null` (empty before it was called or when it loaded).
 *
 * @returns a sentence
 * @example
 * ```ts
 * import { openBlas, openBlasUnavailableReason } from "./blas.ts";
 * if (!openBlas()) console.log(openBlasUnavailableReason());
 * ```
 */
export function openBlasUnavailableReason(): string {
  return loaded ? "" : loadError;
}

function envPath(): string | undefined {
  const name = "KATAGRAD_OPENBLAS";
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return;
  return Deno.env.get(name) || undefined;
}

function cString(p: Deno.PointerValue): string {
  return p === null ? "" : new Deno.UnsafePointerView(p).getCString();
}

function wrap(lib: OpenBlasLib, path: string): OpenBlas {
  const s = lib.symbols;
  const sgemm = s.cblas_sgemm;
  return {
    path,
    config: cString(s.openblas_get_config()).trim(),
    core: cString(s.openblas_get_corename()).trim(),
    threads: () => s.openblas_get_num_threads(),
    setThreads: (n: number) => s.openblas_set_num_threads(n),
    sgemm(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate, ld) {
      if (m === 0 || n === 0) return;
      if (k === 0) {
        if (!accumulate) c.fill(0, cOff, cOff + m * n);
        return;
      }
      sgemm(
        ROW_MAJOR,
        transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS,
        m,
        n,
        k,
        1,
        aOff === 0 ? a : a.subarray(aOff),
        ld?.lda ?? (transA ? m : k),
        bOff === 0 ? b : b.subarray(bOff),
        ld?.ldb ?? (transB ? k : n),
        accumulate ? 1 : 0,
        cOff === 0 ? c : c.subarray(cOff),
        n,
      );
    },
  };
}
