/**
 * `deno task reproduce 06`: makemore part 3 with kata 06's code (yours, or the
 * reference with `--solution`), beside the lecture's numbers and PyTorch's:
 *
 * 1. the four init stages on the first minibatch: loss and tanh saturation
 *    (`--loss-log` also trains each for `--bn-steps` and prints the lecture's
 *    loss log);
 * 2. the BatchNorm'd MLP, 200,000 steps: train/val with the running and the
 *    calibrated statistics beside the lecture's 2.0674 / 2.1057;
 * 3. the deep network for the notebook's 1,001 steps (its loop breaks after
 *    i = 1000): train/val beside 2.4003 / 2.3982 and the diagnostics of cells
 *    15–17 beside the lecture's;
 * 4. the figures (saturation images, histograms, loss curve, update ratios).
 *
 * Options: `--solution`, `--bn-steps N` (200000), `--deep-steps N` (1001),
 * `--loss-log`, `--out DIR` (.katagrad/reproduce/06).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Generator, index, noGrad, randint, type Tensor } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerInit from "../../katas/06/init.ts";
import * as learnerMlp from "../../katas/06/mlp_batchnorm.ts";
import * as learnerNet from "../../katas/06/network.ts";
import * as referenceInit from "../../solutions/06/init.ts";
import * as referenceMlp from "../../solutions/06/mlp_batchnorm.ts";
import * as referenceNet from "../../solutions/06/network.ts";
import { loadMakemoreSplit, type MakemoreSplit } from "./makemore_mlp.ts";
import { saveKata06Figures } from "./kata06_plots.ts";
import { LECTURE_06, printDeepDiagnostics, TORCH_PEER_06 } from "./kata06_lecture.ts";
import part3 from "../../testdata/lectures/makemore_part3.json" with { type: "json" };

/** PyTorch's first-minibatch numbers of each init stage (testdata/gen_kata06.py). */
const TORCH_INIT = part3.init;

const reference = { ...referenceInit, ...referenceMlp, ...referenceNet };
const learner = { ...learnerInit, ...learnerMlp, ...learnerNet };
type Kata = typeof reference;
const STAGES = ["untuned", "softmax", "tanh", "kaiming"] as const;

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `06`
 */
export async function reproduceKata06(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      "bn-steps": { type: "string", default: "200000" },
      "deep-steps": { type: "string", default: "1001" },
      "loss-log": { type: "boolean", default: false },
      out: { type: "string", default: ".katagrad/reproduce/06" },
    },
  });
  const o = {
    bnSteps: positive("--bn-steps", values["bn-steps"]),
    deepSteps: positive("--deep-steps", values["deep-steps"]),
    lossLog: values["loss-log"]!,
    out: values.out!,
  };
  const k = (values.solution ? reference : learner) as Kata;
  const who = values.solution ? "the reference (solutions/06)" : "your code (katas/06)";
  try {
    await run(k, who, o);
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 06 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 06), or run the reference: deno task reproduce 06 --solution`,
    );
    Deno.exit(1);
  }
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Cannot reproduce 06: ${name} must be a positive integer, got ${v}`);
  }
  return n;
}

const f4 = (x: number) => x.toFixed(4);
const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function run(
  k: Kata,
  who: string,
  o: { bnSteps: number; deepSteps: number; lossLog: boolean; out: string },
): Promise<void> {
  const t0 = performance.now();
  console.log(`makemore part 3 (activations, gradients, BatchNorm), kata 06, running ${who}\n`);
  const d = await loadMakemoreSplit(3);

  // 1. The init stages, first minibatch.
  console.log(
    "first minibatch   loss     lecture            PyTorch  |h| > 0.99 (PyTorch)    dead neurons",
  );
  const h: Record<string, Tensor> = {};
  for (const stage of STAGES) {
    const g = new Generator(2147483647);
    const p = k.initMlp(g, k.lectureScales(stage));
    const ix = randint(0, d.Xtr.shape[0], [32], { generator: g });
    const Xb = index(d.Xtr, ix), Yb = index(d.Ytr, ix);
    const a = noGrad(() => k.mlpForward(p, Xb));
    h[stage] = a.h;
    const loss = noGrad(() => k.mlpLoss(p, Xb, Yb).itemSync());
    const torch = TORCH_INIT[stage];
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `${stage.padEnd(17)} ${f4(loss).padEnd(8)} ${LECTURE_06.init[stage].padEnd(18)} ` +
        `${f4(torch.loss).padEnd(8)}` +
        `    ${pct(k.saturation(a.h)).padStart(5)} (${pct(torch.saturation)})`.padEnd(26) +
        `${k.deadNeurons(a.h).length}`,
    );
  }
  console.log(`expected at init: -ln(1/27) = ${f4(k.expectedInitialLoss())}`);
  if (o.lossLog) lossLog(k, d, o.bnSteps);

  // 2. The BatchNorm'd MLP.
  const g = new Generator(2147483647);
  const m = k.initBnMlp(g);
  const nParams = k.bnParameters(m).reduce((n, p) => n + p.size, 0);
  console.log(`\nBatchNorm'd MLP: ${nParams} parameters (lecture 12097), ${o.bnSteps} steps`);
  const every = Math.min(10_000, Math.max(1, Math.floor(o.bnSteps / 20)));
  let window = 0;
  const tBn = performance.now();
  const bnLosses = k.trainBnMlp(m, d.Xtr, d.Ytr, g, {
    steps: o.bnSteps,
    onStep(i, loss) {
      window += loss;
      if (i === 0) console.log(`step      0  loss ${f4(loss)} (lecture 3.3239)`);
      if ((i + 1) % every === 0 || i + 1 === o.bnSteps) {
        console.log(
          `step ${String(i + 1).padStart(6)}  mean loss ${f4(window / ((i % every) + 1))}`,
        );
        window = 0;
      }
    },
  });
  const bnSeconds = seconds(tBn);
  const cal = k.calibrate(m, d.Xtr);
  const full = o.bnSteps === 200_000;
  const peer = (v: number) => (full ? f4(v) : "—");
  const L = LECTURE_06.bn, P = TORCH_PEER_06.bn;
  const running = { train: k.bnSplitLoss(m, d.Xtr, d.Ytr), val: k.bnSplitLoss(m, d.Xdev, d.Ydev) };
  const calibrated = {
    train: k.bnSplitLoss(m, d.Xtr, d.Ytr, cal),
    val: k.bnSplitLoss(m, d.Xdev, d.Ydev, cal),
  };
  console.log(`\n                     kata 06           lecture           PyTorch (this machine)`);
  console.log(
    `running stats        ${f4(running.train)} / ${f4(running.val)}   ${f4(L.train)} / ${
      f4(L.val)
    }   ${peer(P.running.train)} / ${peer(P.running.val)}`,
  );
  console.log(
    `calibrated stats     ${f4(calibrated.train)} / ${f4(calibrated.val)}   ${f4(L.logTrain)} / ${
      f4(L.logVal)
    }   ${peer(P.calibrated.train)} / ${peer(P.calibrated.val)}`,
  );
  if (full) {
    const ok = Math.abs(running.train - L.train) <= 0.03 && Math.abs(running.val - L.val) <= 0.03;
    console.log(`within ±0.03 of the lecture's train and val: ${ok ? "yes" : "NO"}`);
  }
  console.log(
    `${o.bnSteps} steps in ${bnSeconds.toFixed(1)} s (${(o.bnSteps / bnSeconds).toFixed(0)} ` +
      `steps/s); PyTorch's time: bench/peers/makemore_bn_torch.py`,
  );

  // 3. The deep network.
  const g2 = new Generator(2147483647);
  const net = k.deepNetwork(g2);
  const params = k.deepParameters(net);
  console.log(
    `\ndeep network: ${params.reduce((n, p) => n + p.size, 0)} parameters (lecture 47024), ` +
      `${o.deepSteps} steps`,
  );
  const tDeep = performance.now();
  const { losses, ud } = k.trainDeep(net, d.Xtr, d.Ytr, g2, { steps: o.deepSteps });
  const deepSeconds = seconds(tDeep);
  console.log(`step 0 loss ${f4(losses[0])} (lecture 3.2870)`);
  const asLecture = o.deepSteps === 1001;
  printDeepDiagnostics(
    k.activationStats(net),
    k.gradientStats(net),
    k.weightStats(params),
    asLecture,
  );
  const tanh = k.activationStats(net).map((s) => {
    const l = net.layers[s.layer];
    return { layer: s.layer, out: l.out!.detach(), grad: l.out!.grad! };
  });
  const weights = params.flatMap((p, i) =>
    p.ndim === 2 ? [{ index: i, shape: p.shape, grad: p.grad! }] : []
  );
  const last = ud.at(-1)!;
  console.log(
    `update:data log10 ratios of the weights after the last step: ${
      weights.map((w) => last[w.index].toFixed(2)).join(", ")
    } (target about -3)`,
  );
  const ev = {
    train: k.deepSplitLoss(net, d.Xtr, d.Ytr),
    val: k.deepSplitLoss(net, d.Xdev, d.Ydev),
  };
  const D = LECTURE_06.deep, DP = TORCH_PEER_06.deep;
  console.log(
    `train / val (evaluation mode): ${f4(ev.train)} / ${f4(ev.val)}; lecture ${f4(D.train)} / ` +
      `${f4(D.val)}; PyTorch ${asLecture ? `${f4(DP.train)} / ${f4(DP.val)}` : "—"}`,
  );
  if (asLecture) {
    const ok = Math.abs(ev.train - D.train) <= 0.03 && Math.abs(ev.val - D.val) <= 0.03;
    console.log(`within ±0.03 of the lecture's train and val: ${ok ? "yes" : "NO"}`);
  }
  console.log(
    `${o.deepSteps} steps in ${deepSeconds.toFixed(1)} s (${
      (o.deepSteps / deepSeconds).toFixed(0)
    } ` +
      `steps/s)`,
  );

  const written = await saveKata06Figures(o.out, {
    h: { untuned: h.untuned, fixed: h.tanh },
    bnLosses,
    tanh,
    weights,
    ud,
  });
  console.log(`\n${written}`);
  console.log(
    `wall time ${seconds(t0).toFixed(1)} s; ${Deno.build.os}/${Deno.build.arch}, ` +
      `Deno ${Deno.version.deno}`,
  );
}

/** `--loss-log`: each init stage trained as the video does, beside the lecture's loss log. */
function lossLog(k: Kata, d: MakemoreSplit, steps: number): void {
  console.log(`\nthe lecture's loss log, each stage trained ${steps} steps (train / val):`);
  for (const stage of STAGES) {
    const g = new Generator(2147483647);
    const p = k.initMlp(g, k.lectureScales(stage));
    const ps = [p.C, p.W1, p.b1, p.W2, p.b2];
    const t = performance.now();
    for (let i = 0; i < steps; i++) {
      const ix = randint(0, d.Xtr.shape[0], [32], { generator: g });
      const loss = k.mlpLoss(p, index(d.Xtr, ix), index(d.Ytr, ix));
      for (const q of ps) q.grad = null;
      loss.backward();
      const lr = i < 100_000 ? 0.1 : 0.01;
      noGrad(() => ps.forEach((q) => q.add_(q.grad!, { alpha: -lr })));
    }
    const ev = noGrad(() => [
      k.mlpLoss(p, d.Xtr, d.Ytr).itemSync(),
      k.mlpLoss(p, d.Xdev, d.Ydev).itemSync(),
    ]);
    const l = LECTURE_06.lossLog[stage];
    console.log(
      `  ${stage.padEnd(8)} ${f4(ev[0])} / ${f4(ev[1])}   lecture ${l}   (${
        seconds(t).toFixed(1)
      } s)`,
    );
  }
}
