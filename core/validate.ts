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
import { describe } from "./describe.ts";

export { describe };

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
  rule: NumberRule = ANY_NUMBER,
): number {
  if (numberOk(v, rule)) return v as number;
  const what = `${rule.integer ? "an integer" : "a number"}${
    rule.min !== undefined && rule.max !== undefined
      ? ` in [${rule.min}, ${rule.max}]`
      : rule.min !== undefined
      ? ` >= ${rule.min}`
      : rule.max !== undefined
      ? ` <= ${rule.max}`
      : ""
  }`;
  const Err = typeof v !== "number" ? TypeError : RangeError;
  throw new Err(`${op}: ${name} must be ${what}, got ${describe(v)}`);
}

/** What {@link checkNumber} accepts. */
export interface NumberRule {
  /** Only integers. */
  readonly integer?: boolean;
  /** The least value accepted. */
  readonly min?: number;
  /** The greatest value accepted. */
  readonly max?: number;
  /** Accept ±Infinity (NaN is never accepted). */
  readonly allowInfinity?: boolean;
}

const ANY_NUMBER: NumberRule = {};

/** Whether `v` passes `rule` (no allocation: the hot path of every check). */
function numberOk(v: unknown, rule: NumberRule): boolean {
  return typeof v === "number" && v === v &&
    (rule.allowInfinity === true || (v !== Infinity && v !== -Infinity)) &&
    (rule.integer !== true || Number.isInteger(v)) &&
    (rule.min === undefined || v >= rule.min) && (rule.max === undefined || v <= rule.max);
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
 * equal(nearestName("reduce", ["reduction"]), "reduction");
 * equal(nearestName("banana", ["keepdim"]), null);
 * ```
 */
export function nearestName(key: string, names: readonly string[]): string | null {
  let best: string | null = null, bestD = Infinity;
  for (const n of names) {
    const d = distance(key.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  if (best !== null && bestD <= Math.max(2, Math.floor(best.length / 3))) return best;
  // a shortened or lengthened name: "reduce" for "reduction", "replace" for "replacement"
  let bestP = 0;
  best = null;
  for (const n of names) {
    let p = 0;
    while (p < key.length && p < n.length && key[p].toLowerCase() === n[p].toLowerCase()) p++;
    if (p > bestP) [best, bestP] = [n, p];
  }
  return bestP >= Math.max(4, Math.ceil(key.length / 2)) ? best : null;
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
  for (const key in opts) {
    if (allowed.includes(key) || !Object.hasOwn(opts, key)) continue;
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

/**
 * Checks a boolean argument (or option).
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @returns the boolean
 * @throws {TypeError} for anything but `true` or `false`
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkBoolean } from "./validate.ts";
 * throws(() => checkBoolean("sum", "keepdim", 1), /sum: keepdim must be true or false, got 1/);
 * ```
 */
export function checkBoolean(op: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") {
    throw new TypeError(`${op}: ${name} must be true or false, got ${describe(v)}`);
  }
  return v;
}

/**
 * Checks a string argument.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @returns the string
 * @throws {TypeError} for a non-string
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkString } from "./validate.ts";
 * throws(() => checkString("saveModule", "path", 3), /saveModule: path must be a string, got 3/);
 * ```
 */
export function checkString(op: string, name: string, v: unknown): string {
  if (typeof v !== "string") {
    throw new TypeError(`${op}: ${name} must be a string, got ${describe(v)}`);
  }
  return v;
}

/**
 * Checks a function argument (a callback).
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @throws {TypeError} for a non-function
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkFunction } from "./validate.ts";
 * throws(() => checkFunction("tidy", "fn", 1), /tidy: fn must be a function, got 1/);
 * ```
 */
export function checkFunction(op: string, name: string, v: unknown): void {
  if (typeof v !== "function") {
    throw new TypeError(`${op}: ${name} must be a function, got ${describe(v)}`);
  }
}

/**
 * Checks that a value is an instance of a class.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @param cls the class
 * @param what how the message names the class ("a Generator")
 * @throws {TypeError} for anything else
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkInstance } from "./validate.ts";
 * throws(() => checkInstance("f", "when", 3, Date, "a Date"), /f: when must be a Date, got 3/);
 * ```
 */
export function checkInstance<T>(
  op: string,
  name: string,
  v: unknown,
  // deno-lint-ignore no-explicit-any
  cls: abstract new (...args: any[]) => T,
  what: string,
): asserts v is T {
  if (!(v instanceof cls)) {
    throw new TypeError(`${op}: ${name} must be ${what}, got ${describe(v)}`);
  }
}

/**
 * Checks a scalar operand: a number or a boolean.
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @returns the scalar
 * @throws {TypeError} for anything else (strings are not converted)
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkScalar } from "./validate.ts";
 * throws(() => checkScalar("fill_", "value", "3"), /fill_: value must be a number or a boolean, got "3"/);
 * ```
 */
export function checkScalar(op: string, name: string, v: unknown): number | boolean {
  if (typeof v !== "number" && typeof v !== "boolean") {
    throw new TypeError(`${op}: ${name} must be a number or a boolean, got ${describe(v)}`);
  }
  return v;
}

/**
 * Checks an array argument whose items are numbers of a rule (see {@link checkNumber}).
 *
 * @param op the function, for the message
 * @param name the argument
 * @param v the value
 * @param rule what each item must be
 * @returns the array
 * @throws {TypeError} for a non-array or a non-number item
 * @throws {RangeError} for an item outside the rule
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkNumbers } from "./validate.ts";
 * throws(() => checkNumbers("split", "sizes", [2.5, 7.5], { integer: true, min: 0 }),
 *   /split: sizes\[0\] must be an integer >= 0, got 2.5/);
 * ```
 */
export function checkNumbers(
  op: string,
  name: string,
  v: unknown,
  rule: NumberRule = ANY_NUMBER,
): readonly number[] {
  if (!Array.isArray(v)) {
    throw new TypeError(`${op}: ${name} must be an array of numbers, got ${describe(v)}`);
  }
  for (let i = 0; i < v.length; i++) {
    if (!numberOk(v[i], rule)) checkNumber(op, `${name}[${i}]`, v[i], rule);
  }
  return v;
}
