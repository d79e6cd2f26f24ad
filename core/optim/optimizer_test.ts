import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor, zeros } from "../ops/creation.ts";
import * as optim from "./mod.ts";

const param = (v: number[] = [1, 2]) => tensor(v, { requiresGrad: true });

Deno.test("optimizers refuse bad hyper-parameters with RangeErrors naming the value", () => {
  const cases: [() => unknown, string][] = [
    [() => new optim.SGD([param()], { lr: -0.1 }), "SGD: lr must be a number >= 0, got -0.1"],
    [
      () => new optim.SGD([param()], { lr: 0.1, momentum: -1 }),
      "SGD: momentum must be a number >= 0, got -1",
    ],
    [
      () => new optim.SGD([param()], { lr: 0.1, nesterov: true }),
      "SGD: nesterov must be used with momentum > 0 and dampening 0, got true",
    ],
    [
      () => new optim.AdamW([param()], { betas: [0.9, 1] }),
      "AdamW: betas[1] must be a number in [0, 1), got 1",
    ],
    [
      () => new optim.Adam([param()], { eps: -1e-8 }),
      "Adam: eps must be a number >= 0, got -1e-8",
    ],
    [
      () => new optim.AdamW([{ params: [param()], weightDecay: -0.1 }]),
      "AdamW: weightDecay must be a number >= 0, got -0.1",
    ],
    [() => new optim.AdamW([]), "AdamW: the parameter list is empty"],
    [
      () => new optim.StepLR(new optim.SGD([param()], { lr: 1 }), { stepSize: 0 }),
      "StepLR: stepSize must be an integer >= 1, got 0",
    ],
    [
      () => optim.clipGradNorm([param()], -1),
      "clipGradNorm: maxNorm must be a number >= 0, got -1",
    ],
  ];
  for (const [f, message] of cases) throws(f, { name: "RangeError", message });
});

Deno.test("optimizers refuse tensors that do not require grad or appear in two groups", () => {
  throws(() => new optim.SGD([zeros([2, 3])], { lr: 1 }), {
    name: "TypeError",
    message: "SGD: parameter 0 of group 0 (shape (2, 3)) does not require grad",
  });
  const p = param();
  throws(() => new optim.AdamW([{ params: [p] }, { params: [p] }]), {
    name: "TypeError",
    message: "AdamW: a parameter appears more than once",
  });
});

Deno.test("groups inherit defaults and may override them; lr can be changed between steps", () => {
  const a = param(), b = param();
  const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
  deepEqual(opt.paramGroups.map((g) => g.lr), [0.1, 0.5]);
  a.grad = tensor([1, 1]);
  b.grad = tensor([1, 1]);
  opt.step();
  deepEqual([...a.dataSync()].map((v) => v.toFixed(4)), ["0.9000", "1.9000"]);
  deepEqual([...b.dataSync()].map((v) => v.toFixed(4)), ["0.5000", "1.5000"]);
  opt.paramGroups[0].lr = 1;
  opt.step();
  deepEqual([...a.dataSync()].map((v) => v.toFixed(4)), ["-0.1000", "0.9000"]);
});

Deno.test("step skips parameters without a gradient; zeroGrad sets null or zeros", () => {
  const a = param(), b = param([3]);
  const opt = new optim.AdamW([a, b]);
  a.grad = tensor([1, -1]);
  opt.step();
  deepEqual([...b.dataSync()], [3]);
  ok(a.dataSync()[0] < 1);
  const v0 = a.storage.version;
  opt.step();
  ok(a.storage.version > v0); // updates are in place and bump the version counter
  opt.zeroGrad({ setToNone: false });
  deepEqual([...a.grad!.dataSync()], [0, 0]);
  equal(b.grad, null);
  opt.zeroGrad();
  equal(a.grad, null);
});

Deno.test("an update after the forward pass makes backward through the old graph fail", () => {
  const w = param([2]);
  const opt = new optim.SGD([w], { lr: 0.1 });
  const loss = w.mul(w).sum();
  w.grad = tensor([1]);
  opt.step();
  throws(() => loss.backward(), { name: "AutogradError" });
});
