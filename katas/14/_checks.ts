/**
 * Kata 14's checks: CPython's values for the same program on the same seed
 * (testdata/microgpt/kata14.json, from testdata/microgpt/gen_kata14.py running
 * our port bench/peers/microgpt.py), the learner's model built from scratch,
 * and float64 comparisons that name what differs.
 *
 * Tolerances are tight (1e-12 relative) but not zero: the Value's exp()/log()
 * run on V8's Math, which rounds differently from glibc's in about one call in
 * a thousand (and without FFI, gauss() does too, so a few weights would start
 * an ulp away from CPython's).
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { loadDataset, PyRandom } from "../../mod.ts";
import fixture from "../../testdata/microgpt/kata14.json" with { type: "json" };
import { Value } from "./autograd.ts";
import { initStateDict, loadDocs, MICROGPT, type StateDict, Tokenizer } from "./data.ts";

/** CPython's numbers. */
export const REF = fixture;

/** The published run's first five losses, as printed. */
export const PUBLISHED_LOSSES = ["3.3660", "3.4243", "3.1778", "3.0664", "3.2209"];

let text: string | undefined;

/** names.txt (from `$KATAGRAD_DATA`, the user cache, or downloaded once). */
export async function namesText(): Promise<string> {
  text ??= await loadDataset("names");
  return text;
}

/** Everything the run needs, built with the learner's 14.2 code. */
export interface Setup {
  /** The generator, after the shuffle and the parameter draws. */
  rng: PyRandom;
  /** The shuffled documents. */
  docs: string[];
  /** Characters to ids. */
  tokenizer: Tokenizer;
  /** The weights. */
  sd: StateDict;
  /** MICROGPT with the vocabulary's size. */
  config: typeof MICROGPT;
}

/** `random.seed(42)`, the shuffled names, the tokenizer, the weights: the program's start. */
export async function setup(): Promise<Setup> {
  const rng = new PyRandom(42);
  const docs = loadDocs(await namesText(), rng);
  const tokenizer = new Tokenizer(docs);
  const config = { ...MICROGPT, vocabSize: tokenizer.vocabSize };
  const sd = initStateDict(rng, config);
  return { rng, docs, tokenizer, sd, config };
}

/** Values from numbers. */
export function values(xs: readonly number[]): Value[] {
  return xs.map((x) => new Value(x));
}

/** Asserts `actual` is within `rel` of `expected`, relative to max(1, |expected|). */
export function assertNear(name: string, actual: number, expected: number, rel = 1e-12): void {
  if (typeof actual !== "number" || Number.isNaN(actual)) {
    throw new KataAssertionError(`${name}: expected ${expected}, got ${actual}`);
  }
  const d = Math.abs(actual - expected);
  if (!(d <= rel * Math.max(1, Math.abs(expected)))) {
    throw new KataAssertionError(
      `${name}: expected ${expected} (CPython), got ${actual} (|diff| ${d.toExponential(2)})`,
    );
  }
}

/** Asserts two lists agree element by element (`rel` as in {@link assertNear}). */
export function assertAllNear(
  name: string,
  actual: readonly number[],
  expected: readonly number[],
  rel = 1e-12,
): void {
  if (!Array.isArray(actual) || actual.length !== expected.length) {
    throw new KataAssertionError(
      `${name}: expected ${expected.length} numbers, got ${
        Array.isArray(actual) ? actual.length : typeof actual
      }`,
    );
  }
  actual.forEach((a, i) => assertNear(`${name}[${i}]`, a, expected[i], rel));
}

/** The data of a list of Values. */
export function data(vs: readonly Value[]): number[] {
  return vs.map((v) => v.data);
}

/**
 * Central finite difference of `f` with respect to leaf `x`: `(f(x+h) - f(x-h)) / 2h`.
 *
 * @param f rebuilds the graph from the leaves and returns the output's data
 * @param x the leaf to nudge
 * @param h the step
 * @returns the estimate
 */
export function numericGrad(f: () => number, x: Value, h = 1e-6): number {
  const x0 = x.data;
  x.data = x0 + h;
  const up = f();
  x.data = x0 - h;
  const down = f();
  x.data = x0;
  return (up - down) / (2 * h);
}
