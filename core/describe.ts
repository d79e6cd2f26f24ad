/**
 * `describe(value)`: a short, safe description of any value for error messages. Free of
 * imports, so that low-level modules (shapes, dtypes) can name bad arguments too.
 *
 * @module
 */

function isTensorLike(v: unknown): v is { shape: readonly number[]; dtype: string } {
  return typeof v === "object" && v !== null && "storage" in v && "shape" in v && "dtype" in v;
}

/**
 * A short, safe description of any value for an error message: numbers and strings as
 * literals, tensors by shape and dtype, arrays and objects by kind.
 *
 * @param v the value
 * @returns e.g. `"3"` (a string), `1.5`, `undefined`, `a Tensor of shape (2, 3) float32`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { describe } from "./describe.ts";
 * equal(describe("3"), '"3" (a string)');
 * equal(describe([1, 2]), "an array [1, 2]");
 * ```
 */
export function describe(v: unknown): string {
  if (isTensorLike(v)) return `a Tensor of shape (${v.shape.join(", ")}) ${v.dtype}`;
  if (typeof v === "string") {
    return `${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)} (a string)`;
  }
  if (typeof v === "number" || typeof v === "boolean" || v === undefined || v === null) {
    return String(v);
  }
  if (typeof v === "bigint") return `${v}n (a bigint)`;
  if (Array.isArray(v)) {
    const inner = v.slice(0, 6).map((x) => typeof x === "object" && x !== null ? "…" : String(x));
    return `an array [${inner.join(", ")}${v.length > 6 ? ", …" : ""}]`;
  }
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  const name = (v as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}
