/**
 * Learner-facing assertions: each failure says what was compared, what was
 * expected, what came out and by how much they differ.
 *
 * @module
 */

/** Thrown by the kata assertions; its message is written for the learner. */
export class KataAssertionError extends Error {
  /**
   * @param message what differs
   */
  constructor(message: string) {
    super(message);
    this.name = "KataAssertionError";
  }
}

/**
 * Asserts that a number is within `tol` of the expected one (absolute
 * difference, or relative to |expected| when that is larger than 1).
 * NaN equals NaN and infinities must match exactly.
 *
 * @param name what is being compared, e.g. `"a.grad"`
 * @param actual the learner's number
 * @param expected the known answer
 * @param tol the tolerance (default 1e-6)
 * @throws {KataAssertionError} `a.grad: expected 2, got 0 (|diff| 2 > 1e-6)`
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { assertClose } from "./assert.ts";
 * assertClose("x", 0.1 + 0.2, 0.3);
 * throws(() => assertClose("a.grad", 0, 2), /a.grad: expected 2, got 0/);
 * ```
 */
export function assertClose(name: string, actual: number, expected: number, tol = 1e-6): void {
  if (typeof actual !== "number") {
    throw new KataAssertionError(
      `${name}: expected the number ${expected}, got ${describe(actual)}`,
    );
  }
  if (sameSpecial(actual, expected)) return;
  const diff = Math.abs(actual - expected);
  const bound = tol * Math.max(1, Math.abs(expected));
  if (!(diff <= bound)) {
    throw new KataAssertionError(
      `${name}: expected ${expected}, got ${actual} (|diff| ${fmt(diff)} > ${fmt(bound)})`,
    );
  }
}

/** The comparison of two arrays as the backprop-ninja lecture prints it. */
export interface Comparison {
  /** Every element equal (NaN equal to NaN). */
  exact: boolean;
  /** Every element within tolerance. */
  close: boolean;
  /** The largest absolute difference (NaN when shapes differ). */
  maxdiff: number;
}

/**
 * Compares two flat arrays of the same shape, like the lecture's `cmp()`.
 *
 * @param actual the learner's values
 * @param expected the reference values
 * @param tol absolute tolerance plus the same relative tolerance
 * @returns exact, close and maxdiff
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { compare } from "./assert.ts";
 * deepEqual(compare([1, 2], [1, 2.5]), { exact: false, close: false, maxdiff: 0.5 });
 * ```
 */
export function compare(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-5,
): Comparison {
  if (actual.length !== expected.length) return { exact: false, close: false, maxdiff: NaN };
  let exact = true, close = true, maxdiff = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (sameSpecial(a, e)) continue;
    const d = Math.abs(a - e);
    if (!(d === 0)) exact = false;
    if (!(d <= tol + tol * Math.abs(e))) close = false;
    if (d > maxdiff || Number.isNaN(d)) maxdiff = d;
  }
  return { exact, close, maxdiff };
}

/**
 * Asserts that an n-d array (flat data plus shape) matches the expected one:
 * shapes first, then up to 10 mismatching indices, then `exact | close | maxdiff`.
 *
 * @param name what is being compared, e.g. `"dlogits"`
 * @param actual the learner's data and shape
 * @param expected the reference data and shape
 * @param tol absolute plus relative tolerance (default 1e-5)
 * @throws {KataAssertionError} with the shape or the mismatching entries
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { assertAllClose } from "./assert.ts";
 * const e = { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] };
 * assertAllClose("h", { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, e);
 * throws(() => assertAllClose("h", { data: [1, 2, 3], shape: [3] }, e), /shape/);
 * ```
 */
export function assertAllClose(
  name: string,
  actual: { data: ArrayLike<number>; shape: readonly number[] },
  expected: { data: ArrayLike<number>; shape: readonly number[] },
  tol = 1e-5,
): void {
  const sa = `(${actual.shape.join(", ")})`, se = `(${expected.shape.join(", ")})`;
  if (sa !== se || actual.data.length !== expected.data.length) {
    throw new KataAssertionError(`${name}: expected shape ${se}, got shape ${sa}`);
  }
  const c = compare(actual.data, expected.data, tol);
  if (c.close) return;
  const lines: string[] = [];
  let count = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const a = actual.data[i], e = expected.data[i];
    if (sameSpecial(a, e) || Math.abs(a - e) <= tol + tol * Math.abs(e)) continue;
    count++;
    if (lines.length < 10) {
      lines.push(`  [${unravel(i, actual.shape).join(", ")}] expected ${e}, got ${a}`);
    }
  }
  const more = count > 10 ? `\n  … and ${count - 10} more` : "";
  throw new KataAssertionError(
    `${name}: ${count} of ${actual.data.length} entries differ\n${lines.join("\n")}${more}\n` +
      `  exact: ${c.exact} | close: ${c.close} | maxdiff: ${fmt(c.maxdiff)}`,
  );
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

function sameSpecial(a: number, e: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(e)) || (!Number.isFinite(e) && a === e);
}

function fmt(x: number): string {
  return x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4)
    ? String(+x.toPrecision(6))
    : x.toExponential(2);
}

function describe(x: unknown): string {
  return x === undefined ? "undefined" : `${typeof x} ${JSON.stringify(x)}`;
}
