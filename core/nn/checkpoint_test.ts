import { deepEqual, equal, rejects } from "node:assert/strict";
import { loadSafetensors, saveSafetensors } from "../io/safetensors.ts";
import { randn, tensor } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import * as nn from "./mod.ts";

function model(seed: number) {
  const g = new Generator(seed);
  return new nn.Sequential(
    new nn.Linear(4, 5, { generator: g }),
    new nn.BatchNorm1d(5),
    new nn.Tanh(),
    new nn.Linear(5, 2, { generator: g }),
  );
}

Deno.test("saveModule/loadModule round-trip parameters and buffers (F32 and I32) with metadata", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    const a = model(1);
    a.forward(randn([6, 4], { generator: new Generator(9) })); // running stats, num_batches_tracked 1
    await nn.saveModule(path, a, { step: "1" });
    const file = await loadSafetensors(path);
    equal(file.tensors["1.num_batches_tracked"].dtype, "I32");
    equal(file.tensors["0.weight"].dtype, "F32");
    deepEqual(file.tensors["0.weight"].shape, [5, 4]);
    const b = model(2);
    const res = await nn.loadModule(path, b);
    deepEqual(res, { missingKeys: [], unexpectedKeys: [], metadata: { step: "1" } });
    const sa = a.stateDict(), sb = b.stateDict();
    for (const k of Object.keys(sa)) deepEqual(sb[k].dataSync(), sa[k].dataSync(), k);
    a.eval(), b.eval();
    const x = randn([3, 4]);
    deepEqual(b.forward(x).dataSync(), a.forward(x).dataSync());
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("loadModule refuses a checkpoint of another architecture", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    await nn.saveModule(path, new nn.Linear(4, 3));
    await rejects(nn.loadModule(path, new nn.Linear(4, 2)), {
      name: "ShapeError",
      message:
        'Cannot load state dict: "weight" has shape (3, 4) in the state dict but (2, 4) in the model',
    });
    await rejects(nn.loadModule(path, new nn.Linear(4, 3, { bias: false })), {
      name: "StateDictError",
      message: 'Cannot load state dict: unexpected keys "bias"',
    });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("an F16 checkpoint loads as float32", async () => {
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    await saveSafetensors(path, {
      weight: { dtype: "F16", shape: [1, 2], data: Float32Array.of(0.5, -2) },
    });
    const fc = new nn.Linear(2, 1, { bias: false });
    await nn.loadModule(path, fc);
    deepEqual([...fc.weight.dataSync()], [0.5, -2]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("toSafetensors refuses bool tensors", async () => {
  await rejects(nn.toSafetensors({ mask: tensor([true, false]) }), {
    name: "DTypeError",
    message: 'Cannot save "mask": bool tensors are not supported',
  });
});
