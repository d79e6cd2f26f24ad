/**
 * Kata 04's learner-facing checks: each failure names the step and, where a
 * wrong answer is a known mistake, says which one.
 *
 * @module
 */

import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import type { Tensor } from "../../mod.ts";

/** Asserts `actual === expected` with a message for the learner. */
export function assertSame(name: string, actual: unknown, expected: unknown, why = ""): void {
  if (actual !== expected) {
    throw new KataAssertionError(
      `${name}: expected ${show(expected)}, got ${show(actual)}${why ? `\n  ${why}` : ""}`,
    );
  }
}

/** A value as the learner would write it: strings quoted, numbers (Infinity too) as numbers. */
function show(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

/** Asserts a tensor's shape and dtype. */
export function assertTensor(name: string, t: unknown, shape: number[], dtype: string): Tensor {
  if (t === null || typeof t !== "object" || !("shape" in t) || !("dtype" in t)) {
    throw new KataAssertionError(`${name}: expected a Tensor, got ${String(t)}`);
  }
  const x = t as Tensor;
  assertSame(`${name}.shape`, `(${x.shape.join(", ")})`, `(${shape.join(", ")})`);
  assertSame(
    `${name}.dtype`,
    x.dtype,
    dtype,
    dtype === "int32" ? 'counts and indices are integers: create them with { dtype: "int32" }' : "",
  );
  return x;
}

/** The rows of a 2-d tensor as plain arrays. */
export function rows(t: Tensor): number[][] {
  return t.toArraySync() as number[][];
}

/**
 * Asserts that `P` is `counts` with each row divided by its own sum, and names
 * the two lecture mistakes when it is one of them: dividing by `sum(1)` without
 * keepdim (column j divided by the sum of row j) and normalising columns.
 *
 * @param name what is compared, e.g. `"countModel(N, 0)"`
 * @param P the learner's model
 * @param counts the counts after smoothing, as rows
 */
export function assertRowNormalised(name: string, P: Tensor, counts: number[][]): void {
  const n = counts.length;
  assertTensor(name, P, [n, n], "float32");
  const rowSum = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = counts[0].map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  const expected = counts.map((r, i) => r.map((v) => v / rowSum[i]));
  const got = rows(P);
  const near = (want: number[][]) => nearRows(got, want, 1e-6);
  if (near(expected)) return;
  if (near(counts.map((r) => r.map((v, j) => v / rowSum[j])))) {
    throw new KataAssertionError(
      `${name}: this is P / P.sum(1) without keepdim — the lecture's broadcasting bug.\n` +
        `  P.sum(1) has shape (${n}); broadcasting lines shapes up from the right, so (${n}, ${n}) / (${n})\n` +
        `  divides by a (1, ${n}) row: column j was divided by the sum of ROW j. Keep the summed\n` +
        `  dimension, P.sum(1, { keepdim: true }), shape (${n}, 1), so row i is divided by its own sum.`,
    );
  }
  if (near(counts.map((r) => r.map((v, j) => v / colSum[j])))) {
    throw new KataAssertionError(
      `${name}: the columns of P sum to 1, not the rows: you divided by the column sums (dim 0).\n` +
        `  Row x is the distribution of the character after x: divide each row by its sum, dim 1.`,
    );
  }
  assertAllClose(name, { data: got.flat(), shape: [n, n] }, {
    data: expected.flat(),
    shape: [n, n],
  }, 1e-6);
}

/** Asserts lists of sampled names are equal, naming the first difference. */
export function assertNames(name: string, got: unknown, expected: readonly string[]): void {
  if (!Array.isArray(got)) {
    throw new KataAssertionError(`${name}: expected an array of names, got ${String(got)}`);
  }
  const i = expected.findIndex((e, k) => got[k] !== e);
  if (i === -1 && got.length === expected.length) return;
  let why = "";
  if (got.length > 0 && got.every((w) => typeof w === "string" && !w.endsWith("."))) {
    why = "every name should end with the '.' that stopped it";
  } else if (i === 0) {
    why = "the first draw, from row P[0] with a fresh Generator(2147483647), gives 'm'. " +
      "Draw one sample (multinomial(p, 1, { replacement: true, generator })) per character, " +
      "from the row of the previous character, and no other draws from the generator.";
  }
  throw new KataAssertionError(
    `${name}: ${
      i === -1
        ? `expected ${expected.length} names, got ${got.length}`
        : `name ${i}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got[i])}`
    }\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(got)}${
      why ? `\n  ${why}` : ""
    }`,
  );
}

/**
 * Whether two 2-d arrays agree within `tol` (equal infinities agree, and NaN agrees with NaN).
 *
 * @param got the learner's rows
 * @param want the expected rows
 * @param tol absolute tolerance
 * @returns true when every entry agrees
 */
export function nearRows(got: number[][], want: number[][], tol: number): boolean {
  return got.length === want.length &&
    got.every((r, i) =>
      r.length === want[i].length &&
      r.every((v, j) => {
        const w = want[i][j];
        return v === w || Math.abs(v - w) <= tol || (Number.isNaN(v) && Number.isNaN(w));
      })
    );
}
