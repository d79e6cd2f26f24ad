// nn against PyTorch 1.13 (testdata/nn/nn.json, made by testdata/nn/gen_nn.py): init bit for
// bit, a Linear/BatchNorm1d/Tanh/Linear MLP over two training steps, the lecture's 3-d batch
// norm and LayerNorm (forward and gradients).
import { deepEqual, equal } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { noGrad } from "../autograd.ts";
import { fromTyped, tensor } from "../ops/creation.ts";
import { crossEntropy } from "../ops/functional.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import * as nn from "./mod.ts";

interface T {
  shape: number[];
  data: number[];
}
const fx = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/nn/nn.json", import.meta.url)),
);

const t = (x: T): Tensor => fromTyped(Float32Array.from(x.data), x.shape);
const close = (a: Tensor, e: T, tol = 1e-5) =>
  assertClose(a.reshape(e.shape.length ? e.shape : []), nest(e), { atol: tol, rtol: tol });
function nest(e: T): number | number[] {
  // assertClose compares flat values after checking the shape; a reshaped tensor of the same
  // size with a flat expectation would fail the shape check, so rebuild the nesting
  const build = (dims: number[], off: number): number | number[] =>
    dims.length === 0 ? e.data[off] : Array.from(
      { length: dims[0] },
      (_, i) => build(dims.slice(1), off + i * dims.slice(1).reduce((a, b) => a * b, 1)),
    ) as number[];
  return build(e.shape, 0);
}
function bitsEqual(actual: Tensor, e: T, what: string) {
  deepEqual(actual.shape, e.shape, `${what}: shape`);
  const a = actual.dataSync();
  const exp = Float32Array.from(e.data);
  for (let i = 0; i < exp.length; i++) {
    if (!Object.is(a[i], exp[i])) {
      throw new Error(`${what}: element ${i} is ${a[i]}, PyTorch has ${exp[i]}`);
    }
  }
}

Deno.test("Linear and Embedding init equal torch.manual_seed(s); nn.Linear/nn.Embedding bit for bit", () => {
  equal(fx.init.length, 6);
  for (const c of fx.init) {
    const g = new Generator(c.seed);
    const [a, b] = c.args;
    const m = c.kind === "Embedding"
      ? new nn.Embedding(a, b, { generator: g })
      : new nn.Linear(a, b, { bias: c.kind === "Linear", generator: g });
    const sd = m.stateDict();
    deepEqual(Object.keys(sd), Object.keys(c.state));
    for (const k of Object.keys(sd)) bitsEqual(sd[k], c.state[k], `${c.kind}(${c.args}) ${k}`);
  }
});

Deno.test("init helpers equal torch.nn.init bit for bit (kaiming with the tanh gain, normal_)", () => {
  for (const c of fx.init_helpers) {
    const g = new Generator(c.seed);
    const w = fromTyped(new Float32Array(c.value.data.length), c.value.shape);
    if (c.name === "kaiming_normal_tanh") {
      nn.kaimingNormal_(w, { nonlinearity: "tanh", generator: g });
    } else if (c.name === "kaiming_uniform_relu") {
      nn.kaimingUniform_(w, { nonlinearity: "relu", generator: g });
    } else nn.normal_(w, { std: 0.02, generator: g });
    bitsEqual(w, c.value, c.name);
  }
});

Deno.test("Sequential(Linear, BatchNorm1d, Tanh, Linear): two training steps and eval match PyTorch", () => {
  const g = new Generator(fx.mlp.seed);
  const model = new nn.Sequential(
    new nn.Linear(5, 7, { generator: g }),
    new nn.BatchNorm1d(7),
    new nn.Tanh(),
    new nn.Linear(7, 3, { generator: g }),
  );
  const sd0 = model.stateDict();
  deepEqual(Object.keys(sd0), Object.keys(fx.mlp.initial));
  for (const k of ["0.weight", "0.bias", "3.weight", "3.bias"]) {
    bitsEqual(sd0[k], fx.mlp.initial[k], `initial ${k}`);
  }
  for (const [i, s] of fx.mlp.steps.entries()) {
    const loss = crossEntropy(model.forward(t(s.x)), tensor(s.y, { dtype: "int32" }));
    model.zeroGrad();
    loss.backward();
    equal(Math.abs(loss.itemSync() - s.loss) < 1e-6, true, `step ${i} loss`);
    for (const [k, p] of model.namedParameters()) close(p.grad!, s.grads[k], 1e-5);
    noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.1));
    });
    const sd = model.stateDict();
    for (const k of Object.keys(sd)) {
      if (k.endsWith("num_batches_tracked")) equal(sd[k].itemSync(), s.state[k].data[0]);
      else close(sd[k], s.state[k], 1e-5);
    }
  }
  model.eval();
  close(model.forward(t(fx.mlp.eval.x)), fx.mlp.eval.out, 1e-5);
  equal(model.stateDict()["1.num_batches_tracked"].itemSync(), 2); // eval does not count
});

Deno.test("BatchNorm1d on (N, L, C) equals torch's BatchNorm1d on x.permute(0, 2, 1)", () => {
  const f = fx.bn3d;
  const bn = new nn.BatchNorm1d(5);
  bn.loadStateDict({ ...bn.stateDict(), weight: t(f.weight), bias: t(f.bias) });
  const x = t(f.x);
  x.requiresGrad = true;
  const y = bn.forward(x);
  close(y, f.y);
  y.mul(t(f.w)).sum().backward();
  close(x.grad!, f.gx, 1e-4);
  close(bn.weight!.grad!, f.gweight, 1e-4);
  close(bn.bias!.grad!, f.gbias, 1e-4);
  close(bn.runningMean, f.running_mean);
  close(bn.runningVar, f.running_var); // updated with the unbiased variance
  bn.eval();
  close(bn.forward(t(f.eval.x)), f.eval.out);
});

Deno.test("LayerNorm matches nn.LayerNorm forward and gradients", () => {
  const f = fx.layernorm;
  const ln = new nn.LayerNorm(6);
  ln.loadStateDict({ weight: t(f.weight), bias: t(f.bias) });
  const x = t(f.x);
  x.requiresGrad = true;
  const y = ln.forward(x);
  close(y, f.y);
  y.mul(t(f.w)).sum().backward();
  close(x.grad!, f.gx, 1e-4);
  close(ln.weight!.grad!, f.gweight, 1e-4);
  close(ln.bias!.grad!, f.gbias, 1e-4);
});
