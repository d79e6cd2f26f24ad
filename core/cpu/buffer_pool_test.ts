import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { cpuData } from "../device.ts";
import { keep, tidy } from "../memory.ts";
import { empty, randn, tensor, zeros } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { cpuBackend, type CpuStorage } from "./backend.ts";
import { poolBytes, poolClear } from "./buffer_pool.ts";

const N = 4096; // floats: over the slab limit, as a model's activations

/** A tiny training step inside tidy: returns the loss, keeps the parameters' grads. */
function stepOf(w: Tensor, x: Tensor) {
  return () =>
    tidy(() => {
      w.grad = null;
      const h = x.matmul(w).tanh(); // (64, 64) @ (64, 64)
      const loss = h.mul(h).mean();
      loss.backward();
      return loss;
    });
}

Deno.test("tidy's freed arrays come back as the next step's outputs, zeroed", () => {
  poolClear();
  const x = randn([64, 64], { generator: new Generator(1) });
  const kept = tidy(() => {
    const t = x.mul(2);
    const a = cpuData(t);
    return { a, out: x.add(1) };
  });
  ok(poolBytes() >= 4 * N);
  const again = cpuBackend.alloc("float32", N) as CpuStorage; // the freed product's length
  equal(again.data, kept.a);
  ok(again.data.every((v) => v === 0));
  notEqual(cpuData(kept.out), kept.a); // what tidy returned was not freed
});

Deno.test("data survives: tidy's result, keep(), views of a disposed base, replaced grads", () => {
  poolClear();
  const g = new Generator(2);
  const w = randn([64, 64], { generator: g, requiresGrad: true });
  const x = randn([64, 64], { generator: g });
  const step = stepOf(w, x);
  const loss0 = step();
  const want0 = Array.from(loss0.dataSync());
  const grad0 = w.grad!;
  const gradWant = Array.from(grad0.dataSync());
  let kept: Tensor = x;
  let view: Tensor = x;
  tidy(() => {
    kept = keep(x.mul(3));
    const base = x.add(5);
    view = keep(base.view(4096)); // the base is freed by tidy, its storage is not
  });
  const keptWant = Array.from(kept.dataSync()), viewWant = Array.from(view.dataSync());
  for (let i = 0; i < 5; i++) step(); // each step frees and reuses a step's worth of arrays
  ok(poolBytes() > 0);
  deepEqual(Array.from(loss0.dataSync()), want0);
  deepEqual(Array.from(grad0.dataSync()), gradWant); // replaced by later steps: still readable
  deepEqual(Array.from(kept.dataSync()), keptWant);
  deepEqual(Array.from(view.dataSync()), viewWant);
});

Deno.test("steps with and without the pool give the same losses and gradients", () => {
  const run = (clear: boolean) => {
    const g = new Generator(3);
    const w = randn([64, 64], { generator: g, requiresGrad: true });
    const x = randn([64, 64], { generator: g });
    const step = stepOf(w, x);
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (clear) poolClear();
      out.push(step().itemSync());
      out.push(...w.grad!.dataSync().slice(0, 8));
      w.grad!.dataSync().forEach((v, j) => cpuData(w)[j] -= 0.1 * v);
    }
    return out;
  };
  deepEqual(run(false), run(true));
});

Deno.test("a disposed CPU tensor throws when used; its array was pooled", () => {
  poolClear();
  const t = randn([N], { generator: new Generator(4) }).mul(1);
  const before = poolBytes();
  t.dispose();
  equal(poolBytes(), before + 4 * N);
  throws(() => t.dataSync(), {
    name: "TypeError",
    message: `Cannot use a cpu tensor of ${N} elements: it was disposed`,
  });
  throws(() => t.add(1), { message: /it was disposed/ });
});

Deno.test("a user's array wrapped by tensor() never enters the pool", () => {
  poolClear();
  const mine = new Float32Array(N).fill(7);
  const t = tensor(mine);
  t.dispose();
  equal(poolBytes(), 0);
  const next = zeros([N]);
  notEqual(cpuData(next), mine);
  ok(mine.every((v) => v === 7));
});

Deno.test("backward's freed buffers never alias a retained gradient or a saved output", () => {
  poolClear();
  const g = new Generator(5);
  const x = randn([32, 128], { generator: g, requiresGrad: true });
  const results: number[][] = [];
  let firstH: Tensor | null = null;
  for (let i = 0; i < 3; i++) {
    x.grad = null;
    const h = x.gelu().retainGrad(); // (32, 128)
    const y = h.softmax(-1).mul(h).sum();
    y.backward();
    firstH ??= h;
    results.push([...h.grad!.dataSync().slice(0, 16), ...x.grad!.dataSync().slice(0, 16)]);
  }
  deepEqual(results[1], results[0]);
  deepEqual(results[2], results[0]);
  deepEqual(Array.from(firstH!.dataSync()), Array.from(x.gelu().dataSync()));
});

Deno.test("an array too big to pool is freed when its tensor is disposed, not at the next GC", () => {
  poolClear();
  const big = empty([17, 2 ** 20], "float32"); // 68 MiB: over the largest pooled array (64 MiB)
  const a = cpuData(big);
  equal(a.length, 17 * 2 ** 20);
  big.dispose();
  equal(a.length, 0); // its buffer was detached: the memory is already returned
  equal(poolBytes(), 0);
  const small = empty([1000], "float32");
  const s = cpuData(small);
  small.dispose();
  equal(s.length, 1000); // pooled (and slab arrays are never detached)
});
