import { isWebGPUOpen } from "../webgpu/init.ts";
import { deepEqual, equal, notDeepEqual, ok, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { manualSeed } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import {
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  tensor,
  zeros,
  zerosLike,
} from "./creation.ts";

Deno.test("tensor() infers shape and dtype from nested arrays", () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  deepEqual(t.shape, [2, 3]);
  equal(t.dtype, "float32");
  equal(t.device, "cpu");
  deepEqual(tensor(3.5).shape, []);
  equal(tensor(3.5).itemSync(), 3.5);
  equal(tensor([true, false]).dtype, "bool");
  deepEqual(tensor([]).shape, [0]);
  deepEqual(tensor([[], []]).shape, [2, 0]);
  equal(tensor([1, 2], { dtype: "int32" }).dtype, "int32");
  deepEqual(tensor([0, 2, -1], { dtype: "bool" }).toArraySync(), [false, true, true]);
});

Deno.test("tensor() copies typed arrays, keeping their dtype, with an optional shape", () => {
  const src = new Int32Array([1, 2, 3, 4, 5, 6]);
  const t = tensor(src, { shape: [3, 2] });
  equal(t.dtype, "int32");
  deepEqual(t.toArraySync(), [[1, 2], [3, 4], [5, 6]]);
  src[0] = 99;
  equal(t.dataSync()[0], 1);
  equal(tensor(new Float32Array(4)).dtype, "float32");
});

Deno.test("zeros, ones, full, *Like", () => {
  deepEqual(zeros([2, 3]).toArraySync(), [[0, 0, 0], [0, 0, 0]]);
  deepEqual(ones(2).toArraySync(), [1, 1]);
  deepEqual(full([2], -1.5).toArraySync(), [-1.5, -1.5]);
  equal(full([1], true).dtype, "bool");
  const i = ones([2], { dtype: "int32" });
  deepEqual(zerosLike(i).toArraySync(), [0, 0]);
  equal(onesLike(i).dtype, "int32");
  deepEqual(zeros([0, 5]).shape, [0, 5]);
  ok(zeros([2], { requiresGrad: true }).requiresGrad);
});

Deno.test("arange, linspace and eye", () => {
  deepEqual(arange(5).toArraySync(), [0, 1, 2, 3, 4]);
  equal(arange(5).dtype, "int32");
  deepEqual(arange(2, 11, 3).toArraySync(), [2, 5, 8]);
  deepEqual(arange(5, 0, -2).toArraySync(), [5, 3, 1]);
  assertClose(arange(0, 1, 0.3), [0, 0.3, 0.6, 0.9]);
  equal(arange(0, 1, 0.5).dtype, "float32");
  deepEqual(arange(3, 3).toArraySync(), []);
  assertClose(linspace(-1, 1, 5), [-1, -0.5, 0, 0.5, 1]);
  deepEqual(linspace(0, 1, 1).toArraySync(), [0]);
  deepEqual(eye(3).toArraySync(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  deepEqual(eye(3, 2).toArraySync(), [[1, 0], [0, 1], [0, 0]]);
});

Deno.test("rand, randn and randint are seeded by the generator", () => {
  const a = rand([3, 4], { generator: new Generator(7) });
  const b = rand([3, 4], { generator: new Generator(7) });
  deepEqual(a.dataSync(), b.dataSync());
  notDeepEqual(a.dataSync(), rand([3, 4], { generator: new Generator(8) }).dataSync());
  ok(a.dataSync().every((v) => v >= 0 && v < 1));
  const n = Array.from(randn([4000], { generator: new Generator(1) }).dataSync());
  const mean = n.reduce((s, v) => s + v, 0) / n.length;
  const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
  ok(Math.abs(mean) < 0.06 && Math.abs(sd - 1) < 0.06, `mean ${mean} sd ${sd}`);
  const r = randint(3, 9, [500], { generator: new Generator(2) });
  equal(r.dtype, "int32");
  const seen = new Set(r.dataSync());
  deepEqual([...seen].sort(), [3, 4, 5, 6, 7, 8]);
  manualSeed(5);
  const c = randn([3]).dataSync();
  manualSeed(5);
  deepEqual(randn([3]).dataSync(), c);
});

Deno.test("creation errors are typed and carry the values", () => {
  throws(() => tensor([[1, 2], [3]]), {
    name: "ShapeError",
    message:
      "tensor: ragged nested array: data[1] has length 1, expected an array of length 2 as at data[0]",
  });
  throws(() => zeros([2, -1]), {
    name: "ShapeError",
    message: "zeros: invalid shape (2, -1): dims must be integers >= 0",
  });
  throws(() => tensor(new Float32Array(6), { shape: [4, 2] }), {
    name: "ShapeError",
    message: "tensor: shape (4, 2) does not fit 6 elements",
  });
  throws(() => arange(0, 5, 0), {
    name: "RangeError",
    message: "arange: step must be a finite non-zero number, got 0",
  });
  throws(() => arange(0, 5, -1), RangeError);
  throws(() => randint(5, 5, [2]), RangeError);
  if (!isWebGPUOpen()) {
    throws(() => tensor([1], { device: "webgpu" }), {
      name: "WebGPUUnavailableError",
      message: /^Cannot open WebGPU: WebGPU is not open yet: `await initWebGPU\(\)`/,
    });
  }
});
