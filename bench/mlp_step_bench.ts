/**
 * The makemore-MLP training step (batch 32, block 3, embedding 10 from a 27x10
 * table, hidden 200, tanh, cross-entropy, backward, SGD), as `deno bench` and,
 * run directly, as a steps/s printout beside bench/peers/mlp_step_torch.py:
 *
 *   deno run -A bench/mlp_step_bench.ts
 *
 * Indexing (`C[X]`) and `F.crossEntropy` belong to the indexing/functional
 * ops; until they are merged this bench spells them with core ops: the
 * embedding lookup as one-hot(X) · C and the loss as
 * `logsumexp(logits) - sum(logits * onehot(Y))`, averaged. That is more work
 * than the PyTorch peer does (two extra matmuls, a multi-op loss), and the
 * step time is dominated by core/cpu/matmul.ts, so the figure moves with the
 * matmul kernel in use.
 *
 * @module
 */

import process from "node:process";
import { noGrad, randn, type Tensor, tensor } from "../mod.ts";
import { Generator } from "../core/random/generator.ts";

const V = 27, E = 10, B = 3, H = 200, BATCH = 32, N = 20000;

/** The MLP's parameters and a fixed random data set. */
export function setup(): { step: () => Tensor } {
  const g = new Generator(2147483647);
  const Xtr = g.integers(0, V, N * B), Ytr = g.integers(0, V, N);
  const C = randn([V, E], { generator: g, requiresGrad: true });
  const W1 = noGrad(() => randn([E * B, H], { generator: g }).mul(0.2));
  const b1 = noGrad(() => randn([H], { generator: g }).mul(0.01));
  const W2 = noGrad(() => randn([H, V], { generator: g }).mul(0.01));
  const b2 = noGrad(() => randn([V], { generator: g }).mul(0));
  const params = [C, W1, b1, W2, b2];
  for (const p of params) p.requiresGrad = true;
  const xHot = new Float32Array(BATCH * B * V), yHot = new Float32Array(BATCH * V);
  const step = (): Tensor => {
    const ix = g.integers(0, N, BATCH);
    xHot.fill(0);
    yHot.fill(0);
    for (let i = 0; i < BATCH; i++) {
      for (let j = 0; j < B; j++) xHot[(i * B + j) * V + Xtr[ix[i] * B + j]] = 1;
      yHot[i * V + Ytr[ix[i]]] = 1;
    }
    const X = tensor(xHot, { shape: [BATCH * B, V] }), Y = tensor(yHot, { shape: [BATCH, V] });
    const emb = X.matmul(C); // (96, 27) @ (27, 10) -> (96, 10), i.e. C[X]
    const h = emb.view(BATCH, E * B).matmul(W1).add(b1).tanh(); // (32, 30) -> (32, 200)
    const logits = h.matmul(W2).add(b2); // (32, 27)
    const loss = logits.logsumexp(1).sub(logits.mul(Y).sum(1)).mean();
    for (const p of params) p.grad = null;
    loss.backward();
    noGrad(() => {
      for (const p of params) p.add_(p.grad!, { alpha: -0.1 });
    });
    return loss;
  };
  return { step };
}

const { step } = setup();

Deno.bench(
  { name: "makemore MLP step (batch 32, hidden 200)", group: "mlp", baseline: true },
  () => {
    step();
  },
);

if (import.meta.main) {
  // Wall-clock steps/s, and steps/s by this process's CPU time (steadier on a shared machine).
  for (let i = 0; i < 500; i++) step();
  let wall = 0, cpu = 0;
  for (let r = 0; r < 5; r++) {
    const n = 2000, t0 = performance.now(), c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) step();
    const c = process.cpuUsage(c0);
    wall = Math.max(wall, n / ((performance.now() - t0) / 1000));
    cpu = Math.max(cpu, n / ((c.user + c.system) / 1e6));
  }
  console.log(
    `katagrad (deno ${Deno.version.deno}): ${wall.toFixed(0)} steps/s wall, ${
      cpu.toFixed(0)
    } steps/s by CPU time (best of 5 x 2000 steps), loss ${step().itemSync().toFixed(4)}`,
  );
}
