/**
 * Runtime checks of public arguments. Users call the library from plain JavaScript and through
 * `deno run` (no type check), so every public function validates what it is given and throws a
 * typed error whose message names the function, the argument, the value it got and what it
 * accepts: `sum: option keepdims is unknown; did you mean keepdim?`.
 *
 * @module
 */

import type { Device } from "./dtype.ts";
import { DeviceMismatchError } from "./errors.ts";
import { TensorBase } from "./tensor_base.ts";

/**
 * A short, safe description of any value for an error message: numbers and strings as
 * literals, tensors by shape and dtype, arrays and objects by kind.
 *
 * @param v the value
 * @returns e.g. `"3"` (a string), `1.5`, `undefined`, `a Tensor of shape (2, 3) float32`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { describe } from "./validate.ts";
 * equal(describe("3"), '"3" (a string)');
 * equal(describe([1, 2]), "an array [1, 2]");
 * ```
 */
export function describe(v: unknown): string {
  if (v instanceof TensorBase) return `a Tensor of shape (${v.shape.join(", ")}) ${v.dtype}`;
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

/**
 * Throws unless `v` is a Tensor.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @throws {TypeError} `add: other must be a Tensor or a number, got undefined`
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkTensor } from "./validate.ts";
 * throws(() => checkTensor("matmul", "other", [1, 2]), /matmul: other must be a Tensor, got an array/);
 * ```
 */
export function checkTensor(op: string, name: string, v: unknown): asserts v is TensorBase {
  if (!(v instanceof TensorBase)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${describe(v)}`);
  }
}

/**
 * Throws unless every tensor lives on the same device.
 *
 * @param op the function, for the message
 * @param tensors the operands (non-tensors are skipped)
 * @throws {DeviceMismatchError} naming the first two devices that differ
 * @example
 * ```ts
 * import { checkSameDevice } from "./validate.ts";
 * import { tensor } from "./ops/creation.ts";
 * checkSameDevice("add", tensor([1]), tensor([2])); // both on cpu: fine
 * ```
 */
export function checkSameDevice(op: string, ...tensors: readonly unknown[]): void {
  let first: Device | null = null;
  for (const t of tensors) {
    if (!(t instanceof TensorBase)) continue;
    if (first === null) first = t.device;
    else if (t.device !== first) {
      throw new DeviceMismatchError(
        `${op}: expected all tensors on one device, got ${first} and ${t.device}; ` +
          `move one with \`await t.toDevice("${first}")\``,
      );
    }
  }
}

/**
 * Checks a number argument: finite (unless `allowInfinity`), an integer when `integer`, within
 * `[min, max]` when given.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @param rule what is accepted
 * @returns the number
 * @throws {TypeError} when `v` is not a number
 * @throws {RangeError} when it is outside what is accepted
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkNumber } from "./validate.ts";
 * throws(() => checkNumber("slice", "step", 1.5, { integer: true, min: 1 }),
 *   /slice: step must be an integer >= 1, got 1.5/);
 * ```
 */
export function checkNumber(
  op: string,
  name: string,
  v: unknown,
  rule: { integer?: boolean; min?: number; max?: number; allowInfinity?: boolean } = {},
): number {
  const what = `${rule.integer ? "an integer" : "a number"}${
    rule.min !== undefined && rule.max !== undefined
      ? ` in [${rule.min}, ${rule.max}]`
      : rule.min !== undefined
      ? ` >= ${rule.min}`
      : rule.max !== undefined
      ? ` <= ${rule.max}`
      : ""
  }`;
  if (typeof v !== "number") {
    throw new TypeError(`${op}: ${name} must be ${what}, got ${describe(v)}`);
  }
  const bad = Number.isNaN(v) || (!rule.allowInfinity && !Number.isFinite(v)) ||
    (rule.integer && !Number.isInteger(v)) || (rule.min !== undefined && v < rule.min) ||
    (rule.max !== undefined && v > rule.max);
  if (bad) throw new RangeError(`${op}: ${name} must be ${what}, got ${describe(v)}`);
  return v;
}

/**
 * Checks that a value is one of a few literals.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @param allowed the accepted values
 * @returns the value
 * @throws {TypeError} naming the accepted values
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkOneOf } from "./validate.ts";
 * throws(() => checkOneOf("crossEntropy", "reduction", "avg", ["mean", "sum", "none"]),
 *   /crossEntropy: reduction must be "mean", "sum" or "none", got "avg"/);
 * ```
 */
export function checkOneOf<T>(op: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) {
    const list = allowed.map((a) => JSON.stringify(a));
    const words = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : list[0];
    const got = typeof v === "string" ? JSON.stringify(v) : describe(v);
    throw new TypeError(`${op}: ${name} must be ${words}, got ${got}`);
  }
  return v as T;
}

/** The Damerau-free edit distance of two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The closest of `names` to `key`, when close enough to be a likely typo.
 *
 * @param key the unknown name
 * @param names the valid names
 * @returns the suggestion, or null
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { nearestName } from "./validate.ts";
 * equal(nearestName("keepdims", ["keepdim"]), "keepdim");
 * equal(nearestName("banana", ["keepdim"]), null);
 * ```
 */
export function nearestName(key: string, names: readonly string[]): string | null {
  let best: string | null = null, bestD = Infinity;
  for (const n of names) {
    const d = distance(key.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

/**
 * Checks an options argument: undefined, or a plain object whose keys are all known.
 *
 * @param op the function, for the message
 * @param opts the options given
 * @param allowed the known option names
 * @returns the options (an empty object for undefined)
 * @throws {TypeError} for a non-object, or an unknown key (with the nearest valid name)
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkOptions } from "./validate.ts";
 * throws(() => checkOptions("sum", { keepdims: true }, ["keepdim"]),
 *   /sum: unknown option keepdims; did you mean keepdim\?/);
 * ```
 */
export function checkOptions<T extends object>(
  op: string,
  opts: T | undefined,
  allowed: readonly string[],
): Partial<T> {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== "object" || Array.isArray(opts) || opts instanceof TensorBase) {
    throw new TypeError(`${op}: options must be an object, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (allowed.includes(key)) continue;
    const near = nearestName(key, allowed);
    const hint = near !== null
      ? `; did you mean ${near}?`
      : allowed.length > 0
      ? `; known options: ${allowed.join(", ")}`
      : "; it takes no options";
    throw new TypeError(`${op}: unknown option ${key}${hint}`);
  }
  return opts;
}
