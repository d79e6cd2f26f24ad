/**
 * Kata 03 at full scale: fitting y = x² with random search, gradient descent
 * and Adam under one budget of loss evaluations (the tests' 300 and a longer
 * run), the ordering over twenty seeds, interpolation vs extrapolation for
 * tanh, ReLU and ReLU with weight decay — each beside PyTorch's figures from
 * bench/peers/fit_x2_torch.py — and two figures: the fits beside the target,
 * and the three loss curves on a log axis.
 *
 *   deno task reproduce 03              your code (katas/03)
 *   deno task reproduce 03 --solution   the reference (solutions/03)
 *   deno task reproduce 03 --steps 5000 --out /tmp/k03
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Generator, linspace, noGrad } from "../../mod.ts";
import { saveFitFigures } from "./fit_plots.ts";

type DataModule = typeof import("../../solutions/03/data.ts");
type FitModule = typeof import("../../solutions/03/fit.ts");
type GeneralizeModule = typeof import("../../solutions/03/generalize.ts");

/** The kata's pinned setup (katas/03/_setup.ts). */
const SEED = 5, BUDGET = 300;

/**
 * PyTorch 1.13's figures for the same runs (same initial weights, same draws), measured on this
 * machine with `OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/fit_x2_torch.py 2000`.
 */
export const PYTORCH_FIT = {
  /** Final training mse, then the lowest loss the history saw. */
  budget300: {
    randomSearch: [9.551e-3, 9.551e-3],
    gradientDescent: [1.310e-3, 1.313e-3],
    adam: [1.473e-4, 1.486e-4],
  },
  budget2000: {
    randomSearch: [1.149e-3, 1.149e-3],
    gradientDescent: [2.036e-4, 2.024e-4],
    adam: [9.998e-6, 8.306e-6],
  },
  minRatios: { gdOverAdam: 1.93, rsOverGd: 3.14 },
  generalization: {
    tanh: {
      train: 1.47e-4,
      heldOut: 1.39e-4,
      outside: 18.8,
      slopes: [1.421, 0.339, 0.128],
      norm: 5.48,
    },
    relu: {
      train: 2.51e-5,
      heldOut: 6.30e-5,
      outside: 9.39,
      slopes: [1.475, 1.592, 1.591],
      norm: 5.26,
    },
    reluDecay: {
      train: 2.19e-4,
      heldOut: 1.98e-4,
      outside: 11.8,
      slopes: [1.438, 1.394, 1.394],
      norm: 2.97,
    },
  },
  /** Seconds for the 2,000-step comparison and for the whole script (one run, shared 2-core machine). */
  budget2000Seconds: 2.3,
  wallSeconds: 10.0,
} as const;

const METHODS = ["randomSearch", "gradientDescent", "adam"] as const;
const LABELS = { randomSearch: "random search", gradientDescent: "gradient descent", adam: "Adam" };

/**
 * Runs kata 03's experiment and prints its figures beside PyTorch's.
 *
 * @param args `--solution` (run solutions/03), `--steps N` (the long budget, default 2000),
 *   `--out DIR` (where the figures go, default .katagrad/reproduce/03)
 */
export async function reproduceFit(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      steps: { type: "string", default: "2000" },
      out: { type: "string", default: ".katagrad/reproduce/03" },
    },
  });
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(
      `Cannot reproduce 03: --steps must be an integer ≥ 2, got ${values.steps}`,
    );
  }
  const where = values.solution ? "solutions/03" : "katas/03";
  const base = new URL(`../../${where}/`, import.meta.url);
  const data: DataModule = await import(new URL("data.ts", base).href);
  const fit: FitModule = await import(new URL("fit.ts", base).href);
  const gen: GeneralizeModule = await import(new URL("generalize.ts", base).href);
  console.log(
    `Kata 03 — fitting y = x², running ${
      values.solution
        ? "the reference (solutions/03)"
        : "your code (katas/03; --solution for the reference)"
    }`,
  );
  const t0 = performance.now();
  let split;
  try {
    split = data.splitData(data.makeData(50), 10, new Generator(0));
  } catch (e) {
    if ((e as Error).name === "KataTodo" && !values.solution) {
      console.error(`\n${(e as Error).message}\n\nFinish kata 03 first, or run with --solution.`);
      Deno.exit(1);
    }
    throw e;
  }
  const model0 = data.makeModel({ generator: new Generator(SEED) });
  console.log(
    `50-point grid on [-1, 1], 10 held out, 40 to train on; MLP 1 → 16 → 16 → 1 ` +
      `(${model0.numParameters()} parameters), tanh; model seed ${SEED}\n`,
  );

  const fmt = (x: number) => x.toExponential(3);
  let long: ReturnType<FitModule["compareMethods"]> | undefined;
  for (const budget of [BUDGET, steps]) {
    const t = performance.now();
    const r = fit.compareMethods(split.train, { steps: budget, seed: SEED });
    const seconds = (performance.now() - t) / 1000;
    const peer = budget === 300
      ? PYTORCH_FIT.budget300
      : budget === 2000
      ? PYTORCH_FIT.budget2000
      : undefined;
    const peerTime = budget === 2000 ? `, PyTorch ${PYTORCH_FIT.budget2000Seconds} s` : "";
    console.log(
      `budget ${budget} loss evaluations each (start ${fmt(r.adam.history[0])}; ` +
        `${seconds.toFixed(2)} s${peerTime})`,
    );
    console.log(
      `  ${"training mse".padEnd(20)}${"final".padEnd(12)}${"best seen".padEnd(12)}` +
        `${"PyTorch final".padEnd(15)}PyTorch best`,
    );
    for (const m of METHODS) {
      const best = Math.min(...r[m].history);
      console.log(
        `  ${LABELS[m].padEnd(20)}${fmt(r[m].final).padEnd(12)}${fmt(best).padEnd(12)}` +
          (peer ? `${fmt(peer[m][0]).padEnd(15)}${fmt(peer[m][1])}` : "—"),
      );
    }
    console.log("");
    if (budget === steps) long = r;
  }

  let minA = Infinity, minB = Infinity, held = 0;
  for (let s = 0; s < 20; s++) {
    const r = fit.compareMethods(split.train, { steps: BUDGET, seed: s });
    const a = r.gradientDescent.final / r.adam.final,
      b = r.randomSearch.final / r.gradientDescent.final;
    minA = Math.min(minA, a);
    minB = Math.min(minB, b);
    if (a > 2 && b > 2) held++;
  }
  console.log(
    `seeds 0–19, budget ${BUDGET}: min gd/Adam ${
      minA.toFixed(2)
    } (PyTorch ${PYTORCH_FIT.minRatios.gdOverAdam}), ` +
      `min rs/gd ${minB.toFixed(2)} (PyTorch ${PYTORCH_FIT.minRatios.rsOverGd}); ` +
      `the tests' 2× margins hold for ${held} of 20 seeds\n`,
  );

  const fitted = {
    tanh: trained(data, fit, split, "tanh", 0),
    relu: trained(data, fit, split, "relu", 0),
    reluDecay: trained(data, fit, split, "relu", 1e-3),
  };
  console.log(
    `Adam, ${BUDGET} steps     train     held-out  on [2, 3]  slope [.5,1] [2,2.5] [2.5,3]  ‖p‖`,
  );
  const names = { tanh: "tanh", relu: "ReLU", reluDecay: "ReLU, wd 1e-3" };
  for (const k of ["tanh", "relu", "reluDecay"] as const) {
    const m = fitted[k], g = gen.generalization(m, split);
    const sl = [gen.slope(m, 0.5, 1), gen.slope(m, 2, 2.5), gen.slope(m, 2.5, 3)];
    const p = PYTORCH_FIT.generalization[k];
    const row = (
      v: { train: number; heldOut: number; outside: number },
      s: readonly number[],
      n: number,
    ) =>
      `${v.train.toExponential(2)}  ${v.heldOut.toExponential(2)}  ${
        v.outside.toExponential(2)
      }   ` +
      `${s.map((x) => x.toFixed(3).padStart(6)).join("  ")}   ${n.toFixed(2)}`;
    console.log(`  ${names[k].padEnd(20)}${row(g, sl, gen.parameterNorm(m))}`);
    console.log(`  ${"  PyTorch".padEnd(20)}${row(p, p.slopes, p.norm)}`);
  }

  const xs = Array.from(linspace(-1, 3, 161).dataSync());
  const curve = (m: ReturnType<DataModule["makeModel"]>) =>
    Array.from(noGrad(() => m.forward(linspace(-1, 3, 161).reshape(161, 1)).dataSync()));
  const written = await saveFitFigures(values.out, {
    xs,
    target: xs.map((x) => x * x),
    fits: [
      { label: "tanh", y: curve(fitted.tanh) },
      { label: "ReLU", y: curve(fitted.relu) },
      { label: "ReLU, weight decay 1e-3", y: curve(fitted.reluDecay) },
    ],
    histories: METHODS.map((m) => ({ label: LABELS[m], y: long![m].history })),
  });
  const wall = (performance.now() - t0) / 1000;
  console.log(
    `\n${written}\nwall time ${wall.toFixed(1)} s (PyTorch peer ${
      PYTORCH_FIT.wallSeconds.toFixed(1)
    } s); ` +
      `${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}

/** A model of the kata's seed fitted with the learner's Adam for the tests' budget. */
function trained(
  data: DataModule,
  fit: FitModule,
  split: ReturnType<DataModule["splitData"]>,
  activation: "tanh" | "relu",
  weightDecay: number,
) {
  const model = data.makeModel({ activation, generator: new Generator(SEED) });
  fit.adam(model, data.datasetLoss(model, split.train), { steps: BUDGET, weightDecay });
  return model;
}
