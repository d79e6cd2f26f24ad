/**
 * Reading the PyTorch golden fixtures (`testdata/ops/<family>.json`, made by
 * `testdata/gen_ops.py`) and comparing numbers against them with explicit NaN/±Inf handling.
 *
 * @module
 */

/** A dtype as the fixtures name it. */
export type FixtureDType = "float32" | "int32" | "bool";

/** One tensor of a fixture, decoded: flat row-major data in the dtype's TypedArray. */
export interface FixtureTensor {
  /** The dims. */
  shape: number[];
  /** The dtype. */
  dtype: FixtureDType;
  /** The values (bool as 0/1 bytes). */
  data: Float32Array | Int32Array | Uint8Array;
}

/** One op case recorded from PyTorch. */
export interface FixtureCase {
  /** `"<op>/<case>"`, unique in its family. */
  name: string;
  /** The op, the key of the op-case table. */
  op: string;
  /** Options of the call (dims, reductions, ...); "NaN"/"Infinity" strings are decoded. */
  kwargs: Record<string, unknown>;
  /** The inputs in call order. */
  inputs: FixtureTensor[];
  /** The outputs (several for max/min with dim, split, chunk, batchNorm's running stats). */
  outputs: FixtureTensor[];
  /** The random direction of each float output, or null where no gradient flows. */
  w: (FixtureTensor | null)[];
  /** The gradient of sum(outputs[i] * w[i]) for each input, or null. */
  grads: (FixtureTensor | null)[];
}

/** A family file: its header (versions) and cases. */
export interface FixtureFile {
  /** Generator script, torch/python/numpy versions, seed. */
  header: Record<string, unknown>;
  /** The cases in file order. */
  cases: FixtureCase[];
}

type RawNumber = number | boolean | string;
interface RawTensor {
  shape: number[];
  dtype: FixtureDType;
  data: RawNumber[];
}

/**
 * Decodes one JSON number of a fixture: the strings "NaN", "Infinity", "-Infinity" stand for
 * the non-finite floats JSON cannot spell.
 *
 * @param v the raw value
 * @returns the number
 * @throws {TypeError} on any other string
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { decodeNumber } from "./fixture.ts";
 * equal(decodeNumber("-Infinity"), -Infinity);
 * equal(decodeNumber(true), 1);
 * ```
 */
export function decodeNumber(v: RawNumber): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw new TypeError(`Cannot decode fixture number: unexpected string ${JSON.stringify(v)}`);
}

function decodeTensor(t: RawTensor): FixtureTensor {
  const n = t.data.length;
  const data = t.dtype === "float32"
    ? new Float32Array(n)
    : t.dtype === "int32"
    ? new Int32Array(n)
    : new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = decodeNumber(t.data[i]);
  return { shape: t.shape, dtype: t.dtype, data };
}

function decodeKwargs(kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kw)) {
    out[k] = v === "NaN" || v === "Infinity" || v === "-Infinity" ? decodeNumber(v) : v;
  }
  return out;
}

/**
 * Parses a fixture file's text.
 *
 * @param text the JSON text of `testdata/ops/<family>.json`
 * @returns the decoded header and cases
 * @throws {SyntaxError} when the text is not JSON
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { parseFixture } from "./fixture.ts";
 * const f = parseFixture('{"header": {}, "cases": [{"name": "neg/a", "op": "neg", "kwargs": {},' +
 *   '"inputs": [{"shape": [2], "dtype": "float32", "data": [1, "NaN"]}], "outputs": [], "w": [],' +
 *   '"grads": []}]}');
 * equal(f.cases[0].inputs[0].data[0], 1);
 * equal(Number.isNaN(f.cases[0].inputs[0].data[1]), true);
 * ```
 */
export function parseFixture(text: string): FixtureFile {
  const raw = JSON.parse(text);
  const cases = (raw.cases as Record<string, unknown>[]).map((c): FixtureCase => ({
    name: c.name as string,
    op: c.op as string,
    kwargs: decodeKwargs(c.kwargs as Record<string, unknown>),
    inputs: (c.inputs as RawTensor[]).map(decodeTensor),
    outputs: (c.outputs as RawTensor[]).map(decodeTensor),
    w: (c.w as (RawTensor | null)[]).map((t) => t === null ? null : decodeTensor(t)),
    grads: (c.grads as (RawTensor | null)[]).map((t) => t === null ? null : decodeTensor(t)),
  }));
  return { header: raw.header, cases };
}

/**
 * Reads and parses `testdata/ops/<family>.json` of this repository.
 *
 * @param family the file's base name, e.g. `"indexing"`
 * @returns the decoded fixture file
 * @throws {Deno.errors.NotFound} when there is no such family
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadFixture } from "./fixture.ts";
 * ok((await loadFixture("creation")).cases.length > 0);
 * ```
 */
export async function loadFixture(family: string): Promise<FixtureFile> {
  const url = new URL(`../../testdata/ops/${family}.json`, import.meta.url);
  return parseFixture(await Deno.readTextFile(url));
}

/** Tolerance of a comparison: `|actual - expected| <= atol + rtol * |expected|`. */
export interface Tolerance {
  /** Relative part. */
  rtol: number;
  /** Absolute part. */
  atol: number;
}

/**
 * Compares two arrays elementwise. NaN must meet NaN, an infinity must meet the same infinity;
 * finite values must be within the tolerance. Returns a description of the first mismatch.
 *
 * @param actual the computed values
 * @param expected the reference values
 * @param tol the tolerance
 * @returns null when they agree, otherwise a message naming the index and both values
 * @example
 * ```ts
 * import { equal, match } from "node:assert/strict";
 * import { compareArrays } from "./fixture.ts";
 * equal(compareArrays([NaN, Infinity, 1], [NaN, Infinity, 1 + 1e-9], { rtol: 1e-6, atol: 0 }), null);
 * match(compareArrays([0], [NaN], { rtol: 0, atol: 1 })!, /index 0: expected NaN, got 0/);
 * ```
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
): string | null {
  if (actual.length !== expected.length) {
    return `length ${actual.length} differs from the expected ${expected.length}`;
  }
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      if (!Object.is(a, e) && !(a === e)) return `index ${i}: expected ${e}, got ${a}`;
      continue;
    }
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (excess > worstExcess) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return null;
  const a = actual[worst], e = expected[worst];
  return `index ${worst}: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)} > ` +
    `${tol.atol} + ${tol.rtol}·|expected|)`;
}
