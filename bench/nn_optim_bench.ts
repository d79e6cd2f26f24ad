/**
 * nn and optim costs: one optimizer step over 1M parameters (SGD, SGD with Nesterov momentum,
 * Adam, AdamW), and the makemore-MLP training step written with raw tensors vs with
 * `nn` modules and `optim.SGD` (the module layer's overhead). Run directly for a printout beside
 * bench/peers/optim_step_torch.py:
 *
 *   deno run -A bench/nn_optim_bench.ts
 *
 * @module
 */

import { F, Generator, nn, noGrad, optim, randn, type Tensor, tensor } from "../mod.ts";

const SHAPES = [[768, 768], [768], [1024, 200], [50, 768]]; // 1,000,000 values in all

function optimizerStep(make: (ps: Tensor[]) => optim.Optimizer<{ lr: number }, unknown>) {
  const g = new Generator(1);
  const ps = SHAPES.map((s) => randn(s, { generator: g, requiresGrad: true }));
  for (const p of ps) p.grad = randn(p.shape.slice(), { generator: g }).mul(0.01);
  const opt = make(ps);
  return () => opt.step();
}

const steps: [string, () => void, boolean][] = [
  ["SGD", optimizerStep((ps) => new optim.SGD(ps, { lr: 0.1 })), true],
  [
    "SGD momentum 0.9 nesterov, weightDecay",
    optimizerStep((ps) =>
      new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })
    ),
    false,
  ],
  ["Adam", optimizerStep((ps) => new optim.Adam(ps)), false],
  ["AdamW", optimizerStep((ps) => new optim.AdamW(ps)), false],
];
for (const [name, fn, baseline] of steps) {
  Deno.bench({ name: `${name} step, 1M params`, group: "optimizer step", baseline }, fn);
}

const N = 20000, V = 27, E = 10, B = 3, H = 200, BATCH = 32;
const data = new Generator(42);
const Xtr = data.integers(0, V, N * B), Ytr = data.integers(0, V, N);
function batch(g: Generator): [Tensor, Tensor] {
  const ix = g.integers(0, N, BATCH);
  const xs = new Int32Array(BATCH * B), ys = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    ys[i] = Ytr[ix[i]];
    for (let j = 0; j < B; j++) xs[i * B + j] = Xtr[ix[i] * B + j];
  }
  return [tensor(xs, { shape: [BATCH, B] }), tensor(ys)];
}

function rawStep(): () => void {
  const g = new Generator(2147483647);
  const C = randn([V, E], { generator: g, requiresGrad: true });
  const W1 = randn([E * B, H], { generator: g, requiresGrad: true });
  const b1 = randn([H], { generator: g, requiresGrad: true });
  const W2 = randn([H, V], { generator: g, requiresGrad: true });
  const b2 = randn([V], { generator: g, requiresGrad: true });
  const params = [C, W1, b1, W2, b2];
  return () => {
    const [X, Y] = batch(g);
    const h = F.embedding(X, C).view(BATCH, E * B).matmul(W1).add(b1).tanh(); // (32, 200)
    const loss = F.crossEntropy(h.matmul(W2).add(b2), Y);
    for (const p of params) p.grad = null;
    loss.backward();
    noGrad(() => params.forEach((p) => p.add_(p.grad!, { alpha: -0.1 })));
  };
}

function nnStep(): () => void {
  const g = new Generator(2147483647);
  const emb = new nn.Embedding(V, E, { generator: g });
  const mlp = new nn.Sequential(
    new nn.Linear(E * B, H, { generator: g }),
    new nn.Tanh(),
    new nn.Linear(H, V, { generator: g }),
  );
  const opt = new optim.SGD([...emb.parameters(), ...mlp.parameters()], { lr: 0.1 });
  return () => {
    const [X, Y] = batch(g);
    const loss = F.crossEntropy(mlp.forward(emb.forward(X).view(BATCH, E * B)), Y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
}

const raw = rawStep(), withNn = nnStep();
Deno.bench({ name: "raw tensors + add_", group: "makemore MLP step", baseline: true }, raw);
Deno.bench({ name: "nn.Sequential + optim.SGD", group: "makemore MLP step" }, withNn);

if (import.meta.main && !Deno.args.includes("--bench")) {
  const time = (fn: () => void, n: number) => {
    for (let i = 0; i < Math.max(1, n / 10); i++) fn();
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      best = Math.min(best, (performance.now() - t0) / n);
    }
    return best;
  };
  console.log(`katagrad (deno ${Deno.version.deno}), best of 5:`);
  for (const [name, fn] of steps) {
    console.log(`  ${name} step, 1M params: ${time(fn, 20).toFixed(2)} ms`);
  }
  console.log(`  makemore MLP step, raw: ${(1000 / time(raw, 500)).toFixed(0)} steps/s`);
  console.log(`  makemore MLP step, nn + optim: ${(1000 / time(withNn, 500)).toFixed(0)} steps/s`);
}
