/**
 * One training step of nanoGPT's baby config on the CPU (block 64, batch 12, 4 layers, 4 heads,
 * n_embd 128, dropout 0, bias false, vocab 65): forward with the loss, backward, gradient
 * clipping at 1.0, AdamW, zero grad — the step `deno task train --preset baby` runs. As
 * `deno bench`, and run directly as ms/iteration beside bench/peers/gpt_step_torch.py:
 *
 *   deno run -A bench/gpt_step_bench.ts [--rounds 5 --steps 20] [--profile] [--losses 30]
 *     [--matmul wasm|blas|auto] [--threads N] [--json]
 *
 * `--profile` times the forward, backward and optimizer parts of a step separately. `--losses N`
 * first runs N steps of a fresh model and prints their losses (the peer prints the same steps:
 * same init and batches from the same seeds). `--matmul` / `--threads` pick the CPU matmul
 * kernel and OpenBLAS's threads (`setCpuOptions`); `--json` prints one JSON line instead of text.
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { cpuInfo, Generator, nn, setCpuOptions, type Tensor, tensor, tidy } from "../mod.ts";
import { clipGradNormTensor } from "../core/optim/clip_grad.ts";

const B = 12, T = 64, V = 65;

/** The baby model, its optimizer and a step on random batches. */
export function setup(): { step: (phases?: number[]) => Tensor } {
  const model = new nn.GPT({ ...nn.GPT_PRESETS.baby.model, vocabSize: V }, {
    generator: new Generator(1337),
  });
  const opt = model.configureOptimizers({ weightDecay: 0.1, lr: 1e-3, betas: [0.9, 0.99] });
  const params = model.parameters();
  const g = new Generator(42);
  const step = (phases?: number[]): Tensor => {
    const x = tensor(g.integers(0, V, B * T), { shape: [B, T] });
    const y = tensor(g.integers(0, V, B * T), { shape: [B, T] });
    return tidy(() => {
      const t0 = performance.now();
      const { loss } = model.forward(x, y);
      const t1 = performance.now();
      loss!.backward();
      const t2 = performance.now();
      clipGradNormTensor(params, 1.0);
      opt.step();
      opt.zeroGrad();
      const t3 = performance.now();
      if (phases) [t1 - t0, t2 - t1, t3 - t2].forEach((d, i) => phases[i] += d);
      return loss!;
    });
  };
  return { step };
}

const { step } = setup();

Deno.bench({ name: "GPT baby step (B 12, T 64, 4x128)", group: "gpt", baseline: true }, () => {
  step();
});

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rounds: { type: "string" },
      steps: { type: "string" },
      profile: { type: "boolean" },
      losses: { type: "string" },
      matmul: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (values.matmul) setCpuOptions({ matmul: values.matmul as "wasm" | "blas" | "auto" });
  if (values.threads) setCpuOptions({ threads: Number(values.threads) });
  const info = cpuInfo();
  const losses: number[] = [];
  if (values.losses) {
    const fresh = setup();
    for (let i = 0; i < Number(values.losses); i++) losses.push(fresh.step().itemSync());
  }
  const rounds = Number(values.rounds ?? 5), steps = Number(values.steps ?? 20);
  for (let i = 0; i < 5; i++) step();
  let best = Infinity, bestCpu = Infinity;
  const phases = [0, 0, 0];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) step(values.profile ? phases : undefined);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (performance.now() - t0) / steps);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000 / steps);
  }
  const n = rounds * steps;
  const [f, b, o] = phases.map((p) => p / n);
  const kernel = `${info.matmul} matmul, ${info.threads} thread(s)` +
    (info.blas ? ` (${info.blas.core})` : "");
  if (values.json) {
    console.log(JSON.stringify({
      who: "katagrad",
      kernel,
      ms: best,
      cpuMs: bestCpu,
      phases: values.profile ? { forward: f, backward: b, optimizer: o } : null,
      losses,
    }));
  } else {
    // CPU time is steadier than wall time on a shared machine
    console.log(
      `katagrad (deno ${Deno.version.deno}, ${kernel}): ${best.toFixed(1)} ms/iteration wall, ` +
        `${bestCpu.toFixed(1)} ms by CPU time (best of ${rounds} x ${steps} steps), ` +
        `loss ${step().itemSync().toFixed(4)}`,
    );
    if (values.profile) {
      console.log(
        `per step: forward ${f.toFixed(1)} ms, backward ${b.toFixed(1)} ms, ` +
          `clip + AdamW + zero grad ${o.toFixed(1)} ms`,
      );
    }
    if (losses.length) console.log(`losses: ${losses.map((l) => l.toFixed(6)).join(" ")}`);
  }
}
