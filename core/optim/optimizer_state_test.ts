import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { saveSafetensors } from "../io/safetensors.ts";
import { randn } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import * as optim from "./mod.ts";

const g = new Generator(11);
const grads = Array.from(
  { length: 5 },
  () => [randn([3, 4], { generator: g }), randn([4], { generator: g })],
);
const start = [randn([3, 4], { generator: g }), randn([4], { generator: g })];
const leaf = (t: Tensor) => {
  const p = t.clone();
  p.requiresGrad = true;
  return p;
};
const groupsOf = (
  ps: Tensor[],
) => [{ params: [ps[0]], weightDecay: 0.1 }, { params: [ps[1]], weightDecay: 0 }];
function run(
  opt: optim.Optimizer<{ lr: number }, unknown>,
  ps: Tensor[],
  from: number,
  to: number,
) {
  for (let i = from; i < to; i++) {
    ps.forEach((p, j) => (p.grad = grads[i][j]));
    opt.step();
  }
}

for (
  const [kind, make] of [
    ["AdamW", (ps: Tensor[]) => new optim.AdamW(groupsOf(ps), { lr: 0.01 })],
    [
      "SGD",
      (ps: Tensor[]) => new optim.SGD(groupsOf(ps), { lr: 0.1, momentum: 0.9, nesterov: true }),
    ],
  ] as const
) {
  Deno.test(`${kind}: stopping after 2 steps, saving and resuming gives the uninterrupted run bit for bit`, async () => {
    const ref = start.map(leaf);
    run(make(ref), ref, 0, 5);

    const ps = start.map(leaf);
    const first = make(ps);
    run(first, ps, 0, 2);
    const lr0 = first.paramGroups[0].lr;
    first.paramGroups[0].lr = 0.02; // hyper-parameters travel with the state
    const path = await Deno.makeTempFile({ suffix: ".safetensors" });
    try {
      await optim.saveOptimizerState(path, first.stateDict());
      const resumed = ps.map(leaf);
      const second = make(resumed);
      second.loadStateDict(await optim.loadOptimizerState(path));
      equal(second.paramGroups[0].lr, 0.02);
      second.paramGroups[0].lr = lr0;
      run(second, resumed, 2, 5);
      resumed.forEach((p, i) => deepEqual(p.dataSync(), ref[i].dataSync()));
    } finally {
      await Deno.remove(path);
    }
  });
}

Deno.test("stateDict is a snapshot: later steps do not change it", () => {
  const ps = start.map(leaf);
  const opt = new optim.Adam(ps);
  run(opt, ps, 0, 1);
  const sd = opt.stateDict();
  const m = (sd.state[0].expAvg as Tensor).dataSync().slice();
  run(opt, ps, 1, 2);
  deepEqual((sd.state[0].expAvg as Tensor).dataSync(), m);
  equal(sd.state[0].step, 1);
  deepEqual(sd.paramGroups.map((gr) => gr.params), [[0, 1]]);
});

Deno.test("loadStateDict refuses another layout: group count, parameter count, shapes", async () => {
  const ps = start.map(leaf);
  const two = new optim.AdamW(groupsOf(ps));
  run(two, ps, 0, 1);
  const one = new optim.AdamW(ps.map(leaf));
  throws(() => one.loadStateDict(two.stateDict()), {
    name: "StateDictError",
    message: "Cannot load AdamW state: the state dict has 2 groups, the optimizer 1",
  });
  const other = new optim.AdamW([{ params: [leaf(start[0])] }, { params: [leaf(randn([5]))] }]);
  throws(() => other.loadStateDict(two.stateDict()), {
    name: "ShapeError",
    message: 'Cannot load AdamW state: "1.expAvg" has shape (4) but the parameter has shape (5)',
  });
  const three = new optim.AdamW([{ params: [leaf(start[0]), leaf(start[1])] }, { params: [] }]);
  throws(() => three.loadStateDict(two.stateDict()), {
    name: "StateDictError",
    message:
      "Cannot load AdamW state: group 0 has 1 parameters in the state dict, 2 in the optimizer",
  });
  const path = await Deno.makeTempFile({ suffix: ".safetensors" });
  try {
    await saveSafetensors(path, { w: { dtype: "F32", shape: [1], data: Float32Array.of(1) } });
    await rejects(optim.loadOptimizerState(path), {
      name: "StateDictError",
      message: `Cannot load optimizer state from ${path}: no "optimizer" metadata`,
    });
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("optimizerStateFromTensors refuses metadata that is not an optimizer state", () => {
  throws(() => optim.optimizerStateFromTensors({}, "{"), {
    name: "StateDictError",
    message: "Cannot load optimizer state: its metadata is not JSON",
  });
  throws(() => optim.optimizerStateFromTensors({}, '{"paramGroups": 3}'), {
    name: "StateDictError",
    message: "Cannot load optimizer state: expected { paramGroups, numbers }",
  });
});
