/**
 * The C library's `log`, `cos` and `sin` — what CPython's `random.gauss` calls —
 * through Deno's built-in FFI when `--allow-ffi` is granted and the library is
 * found (glibc's `libm.so.6` on Linux, `libSystem` on macOS); otherwise V8's
 * `Math.log/cos/sin`. The two round differently in about one call in a
 * thousand (neither is always correctly rounded), so only the C library gives
 * CPython's draws bit for bit.
 *
 * @module
 */

/** The three functions, and where they come from. */
export interface Libm {
  /** natural logarithm */
  log(x: number): number;
  /** cosine */
  cos(x: number): number;
  /** sine */
  sin(x: number): number;
  /** `"libc"` (the C library, CPython's) or `"v8"` (JavaScript's Math) */
  source: "libc" | "v8";
}

const V8: Libm = { log: Math.log, cos: Math.cos, sin: Math.sin, source: "v8" };

const SYMBOLS = {
  log: { parameters: ["f64"], result: "f64" },
  cos: { parameters: ["f64"], result: "f64" },
  sin: { parameters: ["f64"], result: "f64" },
} as const;

let cached: Libm | undefined;

/**
 * The C library's functions when they can be reached, else V8's (decided once).
 *
 * @returns the functions and their source
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { libm } from "./libm.ts";
 * equal(libm().log(1), 0);
 * ```
 */
export function libm(): Libm {
  return cached ??= open() ?? V8;
}

function open(): Libm | undefined {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") return undefined;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return undefined;
  } catch {
    return undefined;
  }
  const names = Deno.build.os === "darwin"
    ? ["libSystem.B.dylib", "/usr/lib/libSystem.B.dylib"]
    : Deno.build.os === "linux"
    ? ["libm.so.6"]
    : [];
  for (const name of names) {
    try {
      const { symbols } = Deno.dlopen(name, SYMBOLS);
      return {
        log: (x) => symbols.log(x) as number,
        cos: (x) => symbols.cos(x) as number,
        sin: (x) => symbols.sin(x) as number,
        source: "libc",
      };
    } catch {
      // not this name; try the next, then fall back to V8
    }
  }
  return undefined;
}
