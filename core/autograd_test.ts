import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { assertClose } from "./testing/assert_close.ts";
import { isGradEnabled, noGrad, unbroadcast } from "./autograd.ts";
import { AutogradError } from "./errors.ts";
import { ones, tensor, zeros } from "./ops/creation.ts";
import { cat } from "./ops/join.ts";
import { Generator } from "./random/generator.ts";

Deno.test("backward of a scalar fills .grad of leaves", () => {
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const w = tensor([0.5, -1], { requiresGrad: true });
  x.mul(w).sum().backward();
  assertClose(x.grad!, [[0.5, -1], [0.5, -1]]);
  assertClose(w.grad!, [4, 6]);
});

Deno.test("a tensor used twice receives both contributions (diamond graph)", () => {
  const x = tensor([2, 3], { requiresGrad: true });
  const y = x.mul(x).add(x.exp()); // dy/dx = 2x + e^x
  y.sum().backward();
  assertClose(x.grad!, [4 + Math.exp(2), 6 + Math.exp(3)], { rtol: 1e-6 });
});

Deno.test("gradients accumulate across backward calls until zeroGrad / grad = null", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  x.mul(3).sum().backward();
  x.mul(3).sum().backward();
  assertClose(x.grad!, [6, 6]);
  x.zeroGrad();
  equal(x.grad, null);
  x.mul(2).sum().backward();
  assertClose(x.grad!, [2, 2]);
  x.grad = null;
  x.sum().backward();
  assertClose(x.grad!, [1, 1]);
});

Deno.test("leaf grads do not alias each other or the gradient passed in", () => {
  const a = tensor([1, 2], { requiresGrad: true }), b = tensor([3, 4], { requiresGrad: true });
  const g = tensor([1, 1]);
  a.add(b).backward(g);
  noGrad(() => a.grad!.mul_(10));
  assertClose(b.grad!, [1, 1]);
  assertClose(g, [1, 1]);
  const c = tensor([5, 6], { requiresGrad: true });
  c.backward(g);
  noGrad(() => c.grad!.zero_());
  assertClose(g, [1, 1]);
});

Deno.test("backward with an explicit gradient for non-scalar outputs", () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  x.mul(x).backward(tensor([1, 0.5, -1]));
  assertClose(x.grad!, [2, 2, -6]);
});

Deno.test("retainGrad keeps .grad on intermediates; others stay null", () => {
  const x = tensor([1, -2], { requiresGrad: true });
  const h = x.mul(2).retainGrad();
  const k = h.tanh();
  k.sum().backward();
  assertClose(h.grad!, [1 - Math.tanh(2) ** 2, 1 - Math.tanh(-4) ** 2], { rtol: 1e-5 });
  equal(k.grad, null);
  ok(h.retainsGrad);
  equal(h.isLeaf, false);
  equal(x.isLeaf, true);
  equal(h.gradFn, "mul");
});

Deno.test("noGrad stops recording and restores the mode after a throw", () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const y = noGrad(() => w.mul(2));
  equal(y.requiresGrad, false);
  equal(y.gradFn, null);
  throws(() =>
    noGrad(() => {
      throw new Error("boom");
    })
  );
  equal(isGradEnabled(), true);
  equal(w.mul(2).requiresGrad, true);
});

Deno.test("detach shares storage and cuts the graph", () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const d = w.mul(2).detach();
  equal(d.requiresGrad, false);
  const y = w.mul(d).sum();
  y.backward();
  assertClose(w.grad!, [2, 4]);
});

Deno.test("a 50k-node chain backpropagates without stack overflow", () => {
  const x = tensor([1], { requiresGrad: true });
  let y = x;
  for (let i = 0; i < 50_000; i++) y = y.add(1);
  y.sum().backward();
  assertClose(x.grad!, [1]);
});

Deno.test("retainGraph allows a second backward; otherwise a freed graph is reported", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assertClose(x.grad!, [4, 8]);
  throws(() => y.backward(), {
    name: "AutogradError",
    message:
      "Cannot run backward: the graph through mul was freed by an earlier backward(); pass { retainGraph: true } to the first call",
  });
});

Deno.test("in-place change of a tensor saved for backward is detected (version counter)", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const h = x.mul(1);
  const y = h.tanh(); // saves its output
  noGrad(() => y.mul_(2));
  throws(() => y.sum().backward(), {
    name: "AutogradError",
    message:
      "Cannot run backward: a tensor needed for the gradient of tanh was modified in place (version 1, expected 0)",
  });
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4]);
  const p = a.mul(b);
  b.add_(1);
  throws(() => p.sum().backward(), AutogradError);
});

Deno.test("autograd misuse raises typed errors", () => {
  throws(() => tensor([1, 2], { requiresGrad: true }).mul(2).backward(), {
    name: "AutogradError",
    message:
      "Cannot run backward: the gradient can be implied only for single-element outputs, got shape (2); pass a gradient of that shape",
  });
  throws(() => tensor([1, 2]).sum().backward(), {
    name: "AutogradError",
    message: "Cannot run backward: the tensor does not require grad and has no grad_fn",
  });
  throws(() => tensor([1, 2], { requiresGrad: true }).mul(2).backward(ones([3])), {
    name: "ShapeError",
    message: "backward: gradient shape (3) does not match output shape (2)",
  });
  throws(() => tensor([1], { dtype: "int32", requiresGrad: true }), {
    name: "DTypeError",
    message: "Cannot set requiresGrad: only float32 tensors can require gradients, got int32",
  });
  const w = tensor([1, 2], { requiresGrad: true });
  throws(() => w.sub_(1), {
    name: "AutogradError",
    message:
      "Cannot run sub_ in place: the tensor requires grad; wrap the update in noGrad(() => ...)",
  });
  throws(() => tensor([1]).retainGrad(), {
    name: "AutogradError",
    message: "Cannot retain grad: the tensor does not require grad",
  });
  throws(() => (w.mul(2).requiresGrad = false), AutogradError);
});

Deno.test("in-place updates under noGrad bump the version and change values", () => {
  const p = tensor([1, 2, 3], { requiresGrad: true });
  p.mul(p).sum().backward();
  const v0 = p.storage.version;
  noGrad(() => p.sub_(p.grad!, { alpha: 0.5 }));
  assertClose(p, [0, 0, 0]);
  equal(p.storage.version, v0 + 1);
  noGrad(() => p.add_(tensor([[1, 1, 1]]).squeeze(0)).mul_(2).div_(4));
  assertClose(p, [0.5, 0.5, 0.5]);
  throws(() => noGrad(() => p.add_(zeros([2, 3]))), {
    name: "ShapeError",
    message: "add_: cannot broadcast (2, 3) into the tensor's shape (3)",
  });
  throws(() => tensor([1], { dtype: "int32" }).add_(0.5), {
    name: "DTypeError",
    message: "add_: result type float32 can't be stored in a int32 tensor",
  });
});

Deno.test("unbroadcast sums leading and size-1 dims", () => {
  deepEqual(unbroadcast(ones([4, 2, 3]), [2, 1]).toArraySync(), [[12], [12]]);
  deepEqual(unbroadcast(ones([2, 3]), [3]).toArraySync(), [2, 2, 2]);
  deepEqual(unbroadcast(ones([2, 3]), []).toArraySync(), 6);
});

Deno.test("recycled gradient buffers never alias live tensors", () => {
  const gen = new Generator(99);
  const x = tensor(gen.normal(12 * 20), { shape: [12, 20], requiresGrad: true });
  const w = tensor(gen.normal(20 * 16), { shape: [20, 16], requiresGrad: true });
  const b = tensor(gen.normal(16), { shape: [16], requiresGrad: true });
  const run = () => {
    x.grad = w.grad = b.grad = null;
    const h = x.matmul(w).add(b).tanh().retainGrad(); // (12, 16)
    const a = h.add(h.mul(2)).sub(h.t().t()); // h used three times
    const [p, q] = a.split(8, 1); // views of one gradient buffer on the way back
    const y = cat([q, p.mul(p)], 1).exp().mul(0.01).sum().add(a.sum(0).pow(2).sum());
    y.backward();
    return { h, grads: [x.grad!, w.grad!, b.grad!, h.grad!] };
  };
  const first = run();
  const snapshot = first.grads.map((g) => Array.from(g.dataSync()));
  for (let i = 0; i < 4; i++) {
    const again = run(); // the pool is warm with buffers from the previous passes
    deepEqual(again.grads.map((g) => Array.from(g.dataSync())), snapshot);
  }
  // the first pass's gradients were never handed out again
  deepEqual(first.grads.map((g) => Array.from(g.dataSync())), snapshot);
});

Deno.test("a gradient pending for two tensors is not recycled until both consumed it", () => {
  const x = tensor(new Float32Array(80).fill(1), { shape: [8, 10], requiresGrad: true });
  const c = tensor(new Float32Array(80).fill(0.5), { shape: [8, 10] });
  for (let i = 0; i < 3; i++) {
    x.grad = null;
    const u = x.mul(2), v = x.mul(3);
    u.add(v).mul(c).sum().backward(); // add hands one buffer to both u and v
    assertClose(x.grad!, Array.from({ length: 8 }, () => Array(10).fill(2.5)));
  }
});
