/**
 * Reading and checking what a plot is given: arrays, typed arrays or CPU
 * tensors of numbers, rows of them, and option objects. Bad input gets a typed
 * error that names the plot, the argument and what is accepted.
 *
 * @module
 */

import { ShapeError } from "../errors.ts";
import { nearestName } from "../validate.ts";

/** What a plot reads from a `Tensor` (any object with these members works). */
export interface TensorLike {
  /** The dims. */
  readonly shape: readonly number[];
  /** Where the data lives (named in errors). */
  readonly device: string;
  /** The elements, row-major; throws for a tensor that cannot be read synchronously (GPU). */
  dataSync(): ArrayLike<number>;
}

/** Numbers to plot: an array, a typed array or a CPU tensor (of any shape, read flat). */
export type PlotValues = ArrayLike<number> | TensorLike;

/** A table of numbers (or booleans): rows of values, or a 2-d CPU tensor. */
export type PlotMatrix = readonly ArrayLike<number | boolean>[] | TensorLike;

/** A matrix read into rows of equal length. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major elements; booleans are read as 1 and 0. */
  readonly data: Float64Array;
}

/**
 * Reads `v` as a flat list of numbers.
 *
 * @param v the argument
 * @param what its name in messages, e.g. `series[0].y`
 * @param caller the plot, e.g. `linePlot`
 * @returns the numbers (non-finite ones kept; plots skip them)
 * @throws {TypeError} when `v` is not numbers, or is a tensor off the CPU
 * @throws {RangeError} when `v` is empty
 */
export function readValues(v: unknown, what: string, caller: string): ArrayLike<number> {
  const values = readFlat(v, what, caller, false);
  if (values.length === 0) {
    throw new RangeError(`${caller}: ${what} is empty: expected at least one value`);
  }
  return values;
}

/**
 * Reads `v` as a matrix: an array of equally long rows, or a 2-d tensor.
 *
 * @param v the argument
 * @param what its name in messages, e.g. `values`
 * @param caller the plot
 * @param allowBool accept booleans (as 1 and 0)
 * @returns the matrix
 * @throws {TypeError} on values that are not numbers (or booleans)
 * @throws {ShapeError} on ragged rows or a tensor that is not 2-d
 * @throws {RangeError} when there are no rows or no columns
 */
export function readMatrix(v: unknown, what: string, caller: string, allowBool: boolean): Matrix {
  if (isTensorLike(v)) {
    if (v.shape.length !== 2) {
      throw new ShapeError(
        `${caller}: ${what} is a tensor of shape (${v.shape.join(", ")}): expected a 2-d tensor`,
      );
    }
    const [rows, cols] = v.shape;
    if (rows === 0 || cols === 0) {
      throw new RangeError(
        `${caller}: ${what} has shape (${rows}, ${cols}): expected no empty dim`,
      );
    }
    return { rows, cols, data: Float64Array.from(readFlat(v, what, caller, allowBool)) };
  }
  if (!Array.isArray(v)) {
    throw new TypeError(
      `${caller}: ${what} is ${describe(v)}: expected an array of rows or a 2-d CPU tensor`,
    );
  }
  if (v.length === 0) {
    throw new RangeError(`${caller}: ${what} is empty: expected at least one row`);
  }
  const rowsData = v.map((row, i) => readFlat(row, `${what}[${i}]`, caller, allowBool));
  const cols = rowsData[0].length;
  if (cols === 0) {
    throw new RangeError(`${caller}: ${what}[0] is empty: expected at least one value`);
  }
  const data = new Float64Array(v.length * cols);
  rowsData.forEach((row, i) => {
    if (row.length !== cols) {
      throw new ShapeError(
        `${caller}: ${what}[${i}] has ${row.length} values but ${what}[0] has ${cols}: rows must have equal length`,
      );
    }
    data.set(Array.from(row), i * cols);
  });
  return { rows: v.length, cols, data };
}

/**
 * Refuses an options object that is not one, or has keys the plot does not know
 * (with the nearest known key as a suggestion).
 *
 * @param opts the options argument
 * @param known the accepted keys
 * @param caller the plot
 * @throws {TypeError} on a non-object or an unknown key
 */
export function checkOptions(opts: unknown, known: readonly string[], caller: string): void {
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new TypeError(`${caller}: options is ${describe(opts)}: expected an object`);
  }
  for (const key of Object.keys(opts)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const hint = near !== null ? `did you mean ${near}?` : `expected one of ${known.join(", ")}`;
    throw new TypeError(`${caller}: unknown option ${key}: ${hint}`);
  }
}

/**
 * Checks an optional string option (a title, an axis label).
 *
 * @param v the value
 * @param what its name
 * @param caller the plot
 * @returns the string, or `""` when absent
 * @throws {TypeError} when present and not a string
 */
export function readText(v: unknown, what: string, caller: string): string {
  if (v === undefined) return "";
  if (typeof v !== "string") {
    throw new TypeError(`${caller}: ${what} is ${describe(v)}: expected a string`);
  }
  return v;
}

/**
 * Checks an optional positive integer option (a size in pixels, a bin count).
 *
 * @param v the value
 * @param what its name
 * @param caller the plot
 * @param fallback the value when absent
 * @param limits the accepted interval
 * @returns the integer
 * @throws {RangeError} when not an integer within `limits`
 */
export function readInt(
  v: unknown,
  what: string,
  caller: string,
  fallback: number,
  limits: readonly [number, number],
): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < limits[0] || v > limits[1]) {
    throw new RangeError(
      `${caller}: ${what} is ${describe(v)}: expected an integer from ${limits[0]} to ${limits[1]}`,
    );
  }
  return v;
}

/**
 * Describes a value for an error message: `the string "a"`, `undefined`, `a number (NaN)`.
 *
 * @param x any value
 * @returns the description
 */
export function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x)})`;
}

function isTensorLike(v: unknown): v is TensorLike {
  return typeof v === "object" && v !== null && "dataSync" in v &&
    typeof (v as TensorLike).dataSync === "function" && "device" in v && "shape" in v;
}

function readFlat(v: unknown, what: string, caller: string, allowBool: boolean): ArrayLike<number> {
  if (isTensorLike(v)) {
    try {
      return v.dataSync();
    } catch (e) {
      // A GPU tensor: its backend refuses synchronous reads (and says so).
      throw new TypeError(
        `${caller}: cannot read ${what}, a tensor on ${v.device}, synchronously ` +
          `(${(e as Error).message}); pass \`await t.toDevice("cpu")\` or \`await t.data()\``,
        { cause: e },
      );
    }
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    if (typeof (v as unknown as BigInt64Array)[0] === "bigint") {
      throw new TypeError(`${caller}: ${what} is a BigInt array: expected numbers`);
    }
    return v as unknown as ArrayLike<number>;
  }
  if (!Array.isArray(v)) {
    throw new TypeError(
      `${caller}: ${what} is ${
        describe(v)
      }: expected an array of numbers, a typed array or a CPU tensor`,
    );
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x === "number") out[i] = x;
    else if (allowBool && typeof x === "boolean") out[i] = x ? 1 : 0;
    else {
      throw new TypeError(
        `${caller}: ${what}[${i}] is ${describe(x)}: expected a number${
          allowBool ? " or a boolean" : ""
        }`,
      );
    }
  }
  return out;
}
