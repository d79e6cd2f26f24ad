/**
 * Index values on WebGPU are checked by the kernels, never clamped silently: an index or a
 * cross-entropy target out of range is recorded on the device and raised as an IndexError,
 * naming the op, at the next readback (the CPU raises the same error at once).
 */

import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import type { Device } from "../dtype.ts";
import { tensor, zeros } from "../ops/creation.ts";
import { crossEntropy } from "../ops/functional.ts";
import { oneHot } from "../ops/encoding.ts";
import type { Tensor } from "../tensor.ts";
import { gpuTensorTest as gpu } from "./test_util.ts";

const i32 = (v: number[], device: Device) => tensor(v, { dtype: "int32", device });

/** Each case: what runs on a device, and the message both devices must give. */
const CASES: [string, (d: Device) => Tensor, RegExp][] = [
  [
    "crossEntropy target past the classes",
    (d) => crossEntropy(tensor([[1, 2, 3]], { device: d }), i32([5], d)),
    /^crossEntropy: target 5 at position 0 is out of bounds for 3 classes/,
  ],
  [
    "crossEntropy negative target (not the ignore index)",
    (d) => crossEntropy(tensor([[1, 2, 3], [0, 0, 0]], { device: d }), i32([0, -2], d)),
    /^crossEntropy: target -2 at position 1 is out of bounds for 3 classes/,
  ],
  [
    "C[X] with a row past the end",
    (d) => zeros([27, 2], { device: d }).index(i32([3, 27], d)),
    /^index: index 27 is out of bounds for dim 0 with size 27/,
  ],
  [
    "probs[arange(n), ys] with a column below −size",
    (d) => zeros([2, 3], { device: d }).index([i32([0, 1], d), i32([1, -4], d)]),
    /^index: index -4 is out of bounds for dim 1 with size 3/,
  ],
  [
    "gather with an index past the dim",
    (d) => zeros([2, 3], { device: d }).gather(1, i32([0, 3, 1, 1], d).reshape([2, 2])),
    /^gather: index 3 is out of bounds for dim 1 with size 3/,
  ],
  [
    "indexSelect with a negative index",
    (d) => zeros([4, 3], { device: d }).indexSelect(0, i32([1, -1], d)),
    /^indexSelect: index -1 is out of bounds for dim 0 with size 4/,
  ],
  [
    "indexPut_ accumulating at a row past the end",
    (d) => zeros([3], { device: d }).indexPut_([i32([0, 3], d)], 1, { accumulate: true }),
    /^indexPut_: index 3 is out of bounds for dim 0 with size 3/,
  ],
  [
    "oneHot with a class past numClasses",
    (d) => oneHot(i32([1, 4], d), 3),
    /^oneHot: class 4 is out of bounds for 3 classes/,
  ],
];

Deno.test("index checks on the CPU throw IndexError at once, naming the op", () => {
  for (const [what, run, message] of CASES) {
    throws(() => run("cpu"), { name: "IndexError", message }, what);
  }
});

gpu("index checks on webgpu raise IndexError at the next readback, never clamp", async () => {
  for (const [what, run, message] of CASES) {
    const out = run("webgpu"); // dispatching does not throw: the device holds the fact
    await rejects(out.data(), { name: "IndexError", message }, what);
    // the record is cleared once reported: the next readback succeeds
    deepEqual(await tensor([1, 2], { device: "webgpu" }).toArray(), [1, 2], what);
  }
});

gpu(
  "valid indices on webgpu, negatives counted from the end, read back without error",
  async () => {
    const C = tensor([[0, 1], [10, 11], [20, 21]], { device: "webgpu" });
    deepEqual(await C.index(i32([2, -3, -1], "webgpu")).toArray(), [[20, 21], [0, 1], [20, 21]]);
    const loss = crossEntropy(
      tensor([[0, 0], [5, 0]], { device: "webgpu" }),
      i32([1, -100], "webgpu"),
    );
    equal(Math.abs(await loss.item() - Math.LN2) < 1e-6, true); // -100 is ignored, as PyTorch
  },
);

gpu("one bad label in a training step is an error, not a negative loss", async () => {
  const w = tensor([[0.5, -0.5, 0.1]], { device: "webgpu", requiresGrad: true });
  const loss = crossEntropy(w, i32([7], "webgpu"));
  loss.backward();
  await rejects(w.grad!.data(), { name: "IndexError", message: /target 7 at position 0/ });
});
