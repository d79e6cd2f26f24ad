/**
 * The scan and sort kernels (kernels/scan.ts, kernels/sort.ts) against their CPU twins
 * (core/cpu/scan.ts, core/cpu/sort.ts) through both backends' `scan` and `sort`: rows with NaN,
 * ±Inf, −0 and ties, lengths that are not powers of two, k < n, offset views, and scans long
 * enough to need the block and carry passes (two levels).
 */

import { deepEqual, equal } from "node:assert/strict";
import type { ScanKernel, StridedView } from "../backend.ts";
import { backendFor } from "../device.ts";
import type { DType, TypedArray } from "../dtype.ts";
import { contiguousStrides } from "../shape.ts";
import { assertClose, gpuTensorTest, randomFloats } from "./test_util.ts";

type Device = "cpu" | "webgpu";

function upload(device: Device, data: TypedArray, shape: number[], offset = 0): StridedView {
  const storage = backendFor(device).upload(data.slice());
  return { storage, shape, strides: contiguousStrides(shape), offset };
}

function alloc(device: Device, dtype: DType, shape: number[]): StridedView {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    storage: backendFor(device).alloc(dtype, n),
    shape,
    strides: contiguousStrides(shape),
    offset: 0,
  };
}

async function sortOn(
  device: Device,
  data: TypedArray,
  rows: number,
  n: number,
  k: number,
  descending: boolean,
  offset = 0,
): Promise<[TypedArray, TypedArray]> {
  const x = upload(device, data, [rows, n], offset);
  const dtype: DType = data instanceof Int32Array ? "int32" : "float32";
  const values = alloc(device, dtype, [rows, k]), indices = alloc(device, "int32", [rows, k]);
  backendFor(device).sort(x, rows, n, k, descending, values, indices);
  const be = backendFor(device);
  return [await be.read(values), await be.read(indices)];
}

async function scanOn(
  device: Device,
  op: ScanKernel,
  data: TypedArray,
  shape: [number, number, number],
  offset = 0,
): Promise<TypedArray> {
  const x = upload(device, data, shape, offset);
  const dtype: DType = data instanceof Int32Array ? "int32" : "float32";
  const out = alloc(device, dtype, shape);
  backendFor(device).scan(op, x, shape[0], shape[1], shape[2], out);
  return await backendFor(device).read(out);
}

gpuTensorTest(
  "sort: the bitonic network equals the CPU's stable sort, NaN/Inf/−0/ties included",
  async () => {
    const special = [NaN, Infinity, -Infinity, -0, 0, 2, 2, -1, 2, NaN, 0.5, -0];
    for (const [rows, n] of [[1, 1], [3, 5], [2, 12], [4, 17], [1, 64], [2, 100]]) {
      const data = randomFloats(rows * n, rows * 31 + n, -3, 3);
      // coarse values so ties happen, then the special values in the first row
      for (let i = 0; i < data.length; i++) data[i] = Math.round(data[i] * 2) / 2;
      for (let i = 0; i < Math.min(n, special.length); i++) data[i] = special[i];
      for (const descending of [false, true]) {
        for (const k of [n, Math.max(1, n >> 1)]) {
          const what = `rows ${rows} n ${n} k ${k} descending ${descending}`;
          const [wantV, wantI] = await sortOn("cpu", data, rows, n, k, descending);
          const [gotV, gotI] = await sortOn("webgpu", data, rows, n, k, descending);
          deepEqual([...gotI], [...wantI], `${what}: indices`);
          assertClose(gotV, wantV, 0, 0, `${what}: values`);
          for (let i = 0; i < gotV.length; i++) {
            equal(Object.is(gotV[i], -0), Object.is(wantV[i], -0), `${what}: sign of zero at ${i}`);
          }
        }
      }
    }
  },
);

gpuTensorTest("sort: int32 rows and an offset input", async () => {
  const data = new Int32Array([9, 9, 3, -7, 3, 0, 12, 3, 5, -7, 1]);
  for (const descending of [false, true]) {
    const want = await sortOn("cpu", data, 2, 5, 3, descending, 1);
    const got = await sortOn("webgpu", data, 2, 5, 3, descending, 1);
    deepEqual([...got[0]], [...want[0]]);
    deepEqual([...got[1]], [...want[1]]);
  }
});

gpuTensorTest(
  "scan: running sums and products equal the CPU's, one block and several",
  async () => {
    for (const op of ["sum", "prod"] as const) {
      for (
        const shape of [[2, 7, 3], [1, 1, 5], [3, 1500, 2], [1, 2100, 1]] as [
          number,
          number,
          number,
        ][]
      ) {
        const n = shape[0] * shape[1] * shape[2];
        // products of values near 1 stay finite over long runs
        const data = op === "prod"
          ? randomFloats(n + 1, n, 0.995, 1.005)
          : randomFloats(n + 1, n, -1, 1);
        const want = await scanOn("cpu", op, data, shape, 1);
        const got = await scanOn("webgpu", op, data, shape, 1);
        // compensated f32 sums vs float64 ones: within ~2 ulp of partial sums up to ~40; plain
        // f32 products of n factors near 1: ~n·2⁻²⁴ relative at worst
        if (op === "sum") assertClose(got, want, 1e-5, 1e-6, `${op} ${shape}`);
        else assertClose(got, want, 0, 2e-5, `${op} ${shape}`);
      }
    }
  },
);

gpuTensorTest("scan: two levels of blocks (over 1024² elements) sum ones exactly", async () => {
  const n = 1024 * 1024 + 1500;
  const got = await scanOn("webgpu", "sum", new Float32Array(n).fill(1), [1, n, 1]);
  for (const i of [0, 1023, 1024, 5000, 1024 * 1024 - 1, 1024 * 1024, n - 1]) equal(got[i], i + 1);
});

gpuTensorTest("scan: int32 running sums", async () => {
  const data = new Int32Array([5, -3, 8, 1, 0, -9, 4, 2]);
  const want = await scanOn("cpu", "sum", data, [2, 4, 1]);
  deepEqual([...await scanOn("webgpu", "sum", data, [2, 4, 1])], [...want]);
});
