/**
 * int32 on WebGPU is stored as i32: exact over its whole range, and wrapping on overflow as on
 * the CPU (two's complement), for every op that runs on int32 tensors.
 */

import { deepEqual, rejects } from "node:assert/strict";
import type { Device } from "../dtype.ts";
import { arange, tensor, zeros } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { gpuTensorTest as gpu } from "./test_util.ts";

const i32 = (v: number[], device: Device) => tensor(v, { dtype: "int32", device });
const BIG = [16777217, -16777217, 2147483647, -2147483648, 123456789];

/** Each case runs on both devices; the webgpu result must equal the cpu one element for element. */
const CASES: [string, (d: Device) => Tensor][] = [
  ["values past 2^24 read back exactly", (d) => i32(BIG, d)],
  ["add wraps at 2^31", (d) => i32([2147483647, -2147483648], d).add(i32([1, -1], d))],
  [
    "mul wraps (65536 · 65536 = 0)",
    (d) => i32([65536, 46341, -65537], d).mul(i32([65536, 46341, 65537], d)),
  ],
  [
    "sub and neg of the extremes",
    (d) => i32([-2147483648, 0], d).sub(i32([1, 2147483647], d)).neg(),
  ],
  ["integer pow by squaring, wrapping", (d) => i32([3, -2, 7, 2], d).pow(i32([5, 3, 12, 31], d))],
  [
    "comparisons tell 2^24 + 1 from 2^24",
    (d) => i32([16777217, 16777216], d).eq(16777216).to("int32"),
  ],
  ["maximum, minimum, abs, sign, relu", (d) => {
    const x = i32([-16777217, 5, 0, 2147483647], d);
    return x.maximum(i32([3, 16777219, -1, 0], d)).add(x.minimum(1)).add(x.abs()).add(
      x.relu(),
    );
  }],
  ["sum of int32 is int32 and wraps", (d) => i32([2147483647, 2, 16777217], d).sum()],
  [
    "long sums (passes) stay exact",
    (d) => arange(100000, undefined, 1, { dtype: "int32", device: d }).mul(1001).sum(),
  ],
  ["sum along a dim", (d) => i32([16777217, 1, 2, 3, 16777219, 5], d).reshape([2, 3]).sum(1)],
  ["max and argmax of large ints", (d) => {
    const x = i32([16777217, 16777218, 16777216], d);
    return x.argmax().add(x.max());
  }],
  [
    "float → int32 casts truncate toward zero",
    (d) => tensor([2.9, -2.9, 1e6 + 0.5, -0.5], { device: d }).to("int32"),
  ],
  [
    "int32 → float32 rounds as the CPU does",
    (d) => i32([16777217, 3], d).to("float32").to("int32"),
  ],
  ["where and clamp on ints", (d) => {
    const x = i32([-16777217, 16777217, 9], d);
    return x.gt(0).to("int32").add(x.clamp(-100, 16777218));
  }],
  [
    "bool logic through i32 0/1",
    (d) => i32([0, 1, 2, -3], d).to("bool").to("int32").add(i32([1, 0, 1, 0], d).ne(0).to("int32")),
  ],
  ["indexPut_ accumulates large counts exactly", (d) => {
    const N = zeros([2, 2], { dtype: "int32", device: d });
    N.fill_(16777216);
    return N.indexPut_([i32([0, 0, 1], d), i32([1, 1, 0], d)], 1, { accumulate: true });
  }],
  ["index and gather of an int32 table", (d) => {
    const t = i32([16777217, 16777219, -16777221, 7, 8, 9], d).reshape([3, 2]);
    return t.index(i32([2, 0], d)).add(t.gather(1, i32([1, 0, 0], d).reshape([3, 1])).sum());
  }],
  ["in-place add_ and fill_ on int32", (d) => i32([16777217, 5], d).add_(i32([2, 2147483647], d))],
];

gpu("int32 on webgpu equals the cpu exactly (i32 storage, wrapping arithmetic)", async () => {
  for (const [what, run] of CASES) {
    const want = run("cpu").dataSync();
    const got = await run("webgpu").data();
    deepEqual([...got], [...want], what);
  }
});

gpu("bool tensors on webgpu read back as booleans", async () => {
  deepEqual(await i32([0, 3, -1], "webgpu").to("bool").toArray(), [false, true, true]);
  deepEqual(await tensor([true, false], { device: "webgpu" }).toArray(), [true, false]);
});

gpu("a negative integer exponent on webgpu is a DTypeError at the next readback", async () => {
  const p = i32([2, 3], "webgpu").pow(i32([2, -1], "webgpu"));
  await rejects(p.data(), {
    name: "DTypeError",
    message: /^pow: integers to negative integer powers/,
  });
});
