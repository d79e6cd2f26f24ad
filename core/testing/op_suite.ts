/**
 * The generic op suite: runs every case of the PyTorch fixtures (`testdata/ops/*.json`) through
 * the op-case table on one device and checks
 *
 * 1. the forward outputs (shape, dtype, values; NaN and ±Inf compared explicitly),
 * 2. the gradients of `sum_i sum(out_i * w_i)` against PyTorch's,
 * 3. those gradients against central finite differences in a random direction (small smooth
 *    cases only), and
 * 4. that the table and the fixtures name the same ops (no case silently skipped).
 *
 * The device is a parameter: `runOpFamily("indexing", { device: "webgpu" })` runs the same table
 * on the GPU once that backend exists (inputs are created on the device, outputs read back with
 * the async `data()`).
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { getDefaultDevice, setDefaultDeviceOpen } from "../device.ts";
import type { Device } from "../dtype.ts";
import { tensor } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import {
  compareArrays,
  type FixtureCase,
  type FixtureTensor,
  loadFixture,
  type Tolerance,
} from "./fixture.ts";
import { type OpCase, opCases } from "./op_cases.ts";

/** Options of a suite run. */
export interface SuiteOptions {
  /** The device the inputs are created on. */
  device: Device;
  /** Run the finite-difference check on cases with at most this many input elements (default 64). */
  fdMaxElements?: number;
  /** Only cases whose name passes (default: all). */
  filter?: (name: string) => boolean;
  /** Per-op overrides of the table's tolerances on this device (e.g. looser WGSL transcendentals). */
  tolerance?: (op: string) => Pick<OpCase, "tol" | "gradTol" | "fdTol"> | undefined;
}

/** The result of one family: the number of cases and checks run, and every failure. */
export interface SuiteReport {
  /** Cases run. */
  cases: number;
  /** Gradient checks against the fixture (one per input gradient). */
  gradChecks: number;
  /** Finite-difference checks run. */
  fdChecks: number;
  /** `"<case>: <what differs>"` for each failure. */
  failures: string[];
}

/** Default forward tolerance when a table entry states none. */
export const DEFAULT_TOL: Tolerance = { rtol: 1e-6, atol: 1e-6 };
/** Default gradient tolerance when a table entry states none. */
export const DEFAULT_GRAD_TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };

/**
 * Creates a device tensor from a fixture tensor.
 *
 * @param f the fixture tensor
 * @param device the device
 * @param requiresGrad whether it is a leaf that collects gradients
 * @returns the tensor (its own copy of the data)
 */
export function fromFixture(f: FixtureTensor, device: Device, requiresGrad = false): Tensor {
  return tensor(f.data.slice(), { shape: f.shape, dtype: f.dtype, device, requiresGrad });
}

/** Compares a tensor (its values already read back) with a fixture tensor. */
function checkTensor(
  what: string,
  actual: Tensor,
  values: ArrayLike<number>,
  expected: FixtureTensor,
  tol: Tolerance,
): string | null {
  if (
    actual.shape.length !== expected.shape.length ||
    actual.shape.some((d, i) => d !== expected.shape[i])
  ) {
    return `${what}: shape [${actual.shape}] differs from the expected [${expected.shape}]`;
  }
  if (actual.dtype !== expected.dtype) {
    return `${what}: dtype ${actual.dtype} differs from the expected ${expected.dtype}`;
  }
  const diff = compareArrays(values, expected.data, tol);
  return diff === null ? null : `${what}: ${diff}`;
}

/**
 * Reads tensors back all at once. On WebGPU each readback waits for the device (about 10 ms in
 * Deno, whatever the size), and reads in flight together wait once: a case costs two or three
 * waits instead of one per tensor.
 */
function readAll(ts: (Tensor | null)[]): Promise<(ArrayLike<number> | null)[]> {
  return Promise.all(ts.map((t) => t?.data() ?? null));
}

function asList(out: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(out) ? out : [out];
}

/** A small deterministic PRNG (mulberry32) for finite-difference directions. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** sum_i sum(out_i * w_i) in float64 on the host, from the outputs' values. */
function objective(outs: (ArrayLike<number> | null)[], ws: (FixtureTensor | null)[]): number {
  let total = 0;
  for (let i = 0; i < outs.length; i++) {
    const w = ws[i], d = outs[i];
    if (w === null || d === null) continue;
    for (let j = 0; j < d.length; j++) total += d[j] * w.data[j];
  }
  return total;
}

function fdEligible(c: FixtureCase, entry: OpCase, maxElements: number): boolean {
  if (entry.fd === false || !c.grads.some((g) => g !== null)) return false;
  for (const o of c.outputs) {
    if (o.dtype === "float32" && !o.data.every(Number.isFinite)) return false;
  }
  let n = 0;
  for (const x of c.inputs) {
    n += x.data.length;
    if (x.dtype === "float32") {
      for (const v of x.data) if (!(Math.abs(v) < 50)) return false;
    }
  }
  return n > 0 && n <= maxElements;
}

/**
 * Runs one fixture case: forward, gradients, and (when eligible) finite differences.
 *
 * @param c the fixture case
 * @param entry its table entry
 * @param opts the device and limits
 * @param report the report the checks and failures are added to
 * @returns nothing; the report is updated
 */
export async function runCase(
  c: FixtureCase,
  entry: OpCase,
  opts: SuiteOptions,
  report: SuiteReport,
): Promise<void> {
  const fail = (msg: string) => report.failures.push(`${c.name}: ${msg}`);
  const tol = entry.tol ?? DEFAULT_TOL;
  const gradTol = entry.gradTol ?? DEFAULT_GRAD_TOL;
  const wantsGrad = c.grads.map((g) => g !== null);
  const inputs = c.inputs.map((x, i) => fromFixture(x, opts.device, wantsGrad[i]));
  report.cases++;
  let outs: Tensor[];
  try {
    outs = asList(entry.call(inputs, c.kwargs));
  } catch (e) {
    fail(`threw ${(e as Error).name}: ${(e as Error).message}`);
    return;
  }
  if (outs.length !== c.outputs.length) {
    fail(`${outs.length} outputs, expected ${c.outputs.length}`);
    return;
  }
  const checkOutputs = (values: (ArrayLike<number> | null)[]) => {
    for (let i = 0; i < outs.length; i++) {
      const msg = checkTensor(`output ${i}`, outs[i], values[i]!, c.outputs[i], tol);
      if (msg !== null) fail(msg);
    }
  };
  if (!wantsGrad.some((x) => x)) return checkOutputs(await readAll(outs));
  let loss: Tensor | null = null;
  for (let i = 0; i < outs.length; i++) {
    const w = c.w[i];
    if (w === null) continue;
    const term = outs[i].mul(fromFixture(w, opts.device)).sum();
    loss = loss === null ? term : loss.add(term);
  }
  if (loss === null) {
    checkOutputs(await readAll(outs));
    fail("no output carries a gradient");
    return;
  }
  loss.backward();
  // The outputs and the gradients in one readback; checked in the same order as before.
  const grads = inputs.map((x, i) => (c.grads[i] === null ? null : x.grad));
  const values = await readAll([...outs, ...grads]);
  checkOutputs(values);
  const gradValues = values.slice(outs.length);
  for (let i = 0; i < inputs.length; i++) {
    const expected = c.grads[i];
    if (expected === null) continue;
    report.gradChecks++;
    const g = grads[i];
    if (g === null) {
      // PyTorch reports zeros for an input that took no part in the loss.
      if (expected.data.some((v) => v !== 0)) fail(`input ${i} received no gradient`);
      continue;
    }
    const msg = checkTensor(`grad of input ${i}`, g, gradValues[i]!, expected, gradTol);
    if (msg !== null) fail(msg);
  }
  if (fdEligible(c, entry, opts.fdMaxElements ?? 64)) {
    await finiteDifference(c, entry, gradValues, opts, report);
  }
}

/**
 * Compares the autograd directional derivative `sum_k <grad_k, d_k>` with the central finite
 * difference `(f(x + eps d) - f(x - eps d)) / (2 eps)` for a random direction `d` (entries
 * uniform in [-1, 1]), where `f = sum_i sum(out_i * w_i)` is evaluated in float64 from float32
 * outputs. eps = 1e-2 (float32 inputs); tolerance `2e-3 * (1 + |directional derivative|)`
 * unless the table entry states `fdTol`.
 */
async function finiteDifference(
  c: FixtureCase,
  entry: OpCase,
  grads: (ArrayLike<number> | null)[],
  opts: SuiteOptions,
  report: SuiteReport,
): Promise<void> {
  const rand = mulberry(c.name.length * 7919 + c.inputs.length);
  const eps = entry.fdEps ?? 1e-2;
  const dirs = c.inputs.map((x, i) => {
    if (c.grads[i] === null) return null;
    const d = new Float32Array(x.data.length);
    for (let j = 0; j < d.length; j++) d[j] = rand() * 2 - 1;
    return d;
  });
  let analytic = 0;
  for (let i = 0; i < grads.length; i++) {
    const d = dirs[i], g = grads[i];
    if (d === null || g === null) continue; // null: took no part in the loss, a zero gradient
    for (let j = 0; j < d.length; j++) analytic += g[j] * d[j];
  }
  const shifted = (sign: number) => {
    const xs = c.inputs.map((x, i) => {
      const d = dirs[i];
      if (d === null) return fromFixture(x, opts.device);
      const data = new Float32Array(x.data.length);
      for (let j = 0; j < data.length; j++) data[j] = x.data[j] + sign * eps * d[j];
      return tensor(data, { shape: x.shape, device: opts.device });
    });
    return noGrad(() => asList(entry.call(xs, c.kwargs)));
  };
  // Both sides computed, then read back together.
  const plus = shifted(1), minus = shifted(-1);
  const w = (outs: Tensor[]) => outs.map((o, i) => (c.w[i] === null ? null : o));
  const read = await readAll([...w(plus), ...w(minus)]);
  const numeric = (objective(read.slice(0, plus.length), c.w) -
    objective(read.slice(plus.length), c.w)) / (2 * eps);
  report.fdChecks++;
  const bound = (entry.fdTol ?? 2e-3) * (1 + Math.abs(analytic));
  if (!(Math.abs(numeric - analytic) <= bound)) {
    report.failures.push(
      `${c.name}: finite difference ${numeric} differs from autograd ${analytic} by ${
        Math.abs(numeric - analytic)
      } > ${bound}`,
    );
  }
}

/**
 * Runs every case of one fixture family through the op-case table.
 *
 * @param family the fixture file's base name, e.g. `"elementwise"`
 * @param opts the device and limits
 * @returns the report (the caller asserts `failures` is empty)
 */
export async function runOpFamily(family: string, opts: SuiteOptions): Promise<SuiteReport> {
  const fixture = await loadFixture(family);
  const report: SuiteReport = { cases: 0, gradChecks: 0, fdChecks: 0, failures: [] };
  // Tensors a case creates without a device option (arange in `pick`) go to the tested device.
  const previous = getDefaultDevice();
  setDefaultDeviceOpen(opts.device);
  try {
    for (const c of fixture.cases) {
      if (opts.filter !== undefined && !opts.filter(c.name)) continue;
      const entry = opCases[c.op];
      if (entry === undefined) {
        report.failures.push(`${c.name}: op ${c.op} has no entry in the op-case table`);
        continue;
      }
      const tolerance = opts.tolerance?.(c.op);
      await runCase(c, tolerance ? { ...entry, ...tolerance } : entry, opts, report);
    }
  } finally {
    setDefaultDeviceOpen(previous);
  }
  return report;
}

/** The fixture families, in the order the suite runs them. */
export const FAMILIES = [
  "creation",
  "elementwise",
  "reduce",
  "matmul",
  "movement",
  "indexing",
  "functional",
  "sorting",
] as const;
