// optim against PyTorch 1.13 (testdata/nn/optim.json, made by testdata/nn/gen_nn.py): SGD,
// Adam and AdamW over 5 steps on fixed gradients, clip_grad_norm_, StepLR and the
// build-nanogpt warmup + cosine schedule. Optimizer tolerance: |a − e| <= 1e-6·|e| + 1e-8.
import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { fromTyped } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import * as optim from "./mod.ts";

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/nn/optim.json", import.meta.url)),
);
const NAMES = ["w1", "b1", "w2", "g"];
const t = (x: T): Tensor => fromTyped(Float32Array.from(x.data), x.shape);
const flatClose = (a: Tensor, e: T, rtol: number, atol: number, what: string) => {
  deepEqual(a.shape, e.shape, what);
  assertClose(a.reshape([a.size]), e.data, { rtol, atol });
};

function params(): Record<string, Tensor> {
  return Object.fromEntries(NAMES.map((k) => {
    const p = t(fx.start[k]);
    p.requiresGrad = true;
    return [k, p];
  }));
}

function make(c: { kind: string; options: Record<string, unknown> }, p: Record<string, Tensor>) {
  const { groups, ...opts } = c.options as { groups?: { params: string[] }[] };
  const input = groups
    ? groups.map((g) => ({ ...g, params: g.params.map((k) => p[k]) }))
    : Object.values(p);
  switch (c.kind) {
    case "sgd":
      return new optim.SGD(input, opts as { lr: number });
    case "adam":
      return new optim.Adam(input, opts);
    case "adamw":
      return new optim.AdamW(input, opts);
  }
  throw new Error(`unknown optimizer ${c.kind}`);
}

for (const c of fx.optims) {
  Deno.test(`${c.name}: parameters after each of 5 steps match PyTorch within 1e-6`, () => {
    const p = params();
    const opt = make(c, p);
    for (const [i, grads] of fx.grads.entries()) {
      for (const k of NAMES) p[k].grad = t(grads[k]);
      opt.step();
      for (const k of NAMES) {
        flatClose(p[k], c.trace[i][k], 1e-6, 1e-8, `${c.name} step ${i + 1} ${k}`);
      }
    }
  });
}

Deno.test("AdamW groups: the group without weight decay differs from one with it", () => {
  // guards the fixture itself: with decay on b1 too, b1's trace must leave the tolerance
  const c = fx.optims.find((o: { name: string }) => o.name === "adamw_groups");
  const p = params();
  const opt = new optim.AdamW(Object.values(p), { lr: 3e-3, betas: [0.9, 0.95], weightDecay: 0.1 });
  for (const grads of fx.grads) {
    for (const k of NAMES) p[k].grad = t(grads[k]);
    opt.step();
  }
  const a = p.b1.dataSync(), e = c.trace[4].b1.data;
  ok(a.some((v, i) => Math.abs(v - e[i]) > 1e-6 * Math.abs(e[i]) + 1e-8));
});

Deno.test("clipGradNorm returns torch's total norm and scales the grads as clip_grad_norm_", () => {
  for (const c of fx.clip) {
    const p = params();
    for (const k of NAMES) p[k].grad = t(fx.grads[0][k]);
    const total = optim.clipGradNorm(Object.values(p), c.maxNorm);
    ok(Math.abs(total - c.total) <= 1e-6 * c.total, `total ${total} vs ${c.total}`);
    equal(Math.fround(total), total); // a float32 value
    NAMES.forEach((k, i) => flatClose(p[k].grad!, c.grads[i], 1e-6, 1e-8, `clip ${k}`));
  }
});

Deno.test("StepLR gives torch's learning rates bit for bit", () => {
  const s = fx.stepLR;
  const p = params();
  const opt = new optim.SGD([p.w1], { lr: s.lr });
  const sched = new optim.StepLR(opt, { stepSize: s.stepSize, gamma: s.gamma });
  const lrs: number[] = [];
  for (let i = 0; i < s.lrs.length; i++) {
    lrs.push(sched.getLastLr()[0]);
    sched.step();
  }
  deepEqual(lrs, s.lrs);
});

Deno.test("warmupCosine equals build-nanogpt's get_lr (evaluated by Python) to 1 ulp", () => {
  const { values, ...opts } = fx.warmupCosine;
  for (const [step, lr] of values) {
    const ours = optim.warmupCosine(step, opts);
    ok(Math.abs(ours - lr) <= 2e-16 * lr, `step ${step}: ${ours} vs ${lr}`);
  }
});
