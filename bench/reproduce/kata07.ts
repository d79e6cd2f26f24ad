/**
 * `deno task reproduce 07`: makemore part 4 ("becoming a backprop ninja") with
 * your code (katas/07) or the reference (`--solution`, solutions/07):
 *
 * 1. exercise 1: the lecture's first batch (loss 3.3377), every gradient by
 *    hand, printed as the lecture's `cmp` prints them;
 * 2. exercises 2 and 3: cross-entropy and BatchNorm backward in one
 *    expression, maxdiff beside the lecture's;
 * 3. exercise 4: 200,000 steps with the manual backward (no `backward()`),
 *    BatchNorm calibrated, train/val beside the lecture's 2.0705 / 2.1099 and
 *    PyTorch running the same code here (bench/peers/makemore_backprop_torch.py),
 *    with wall time; twenty samples.
 *
 * Figures: the loss curve and the lecture's picture of `dlogits`.
 * Options: `--solution`, `--steps N` (200000), `--out DIR` (.katagrad/reproduce/07).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Generator, noGrad, randint, type Tensor } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerNet from "../../katas/07/chunks.ts";
import * as learnerBack from "../../katas/07/manual_backward.ts";
import * as learnerOne from "../../katas/07/one_expression.ts";
import * as learnerTrain from "../../katas/07/train.ts";
import * as referenceNet from "../../solutions/07/chunks.ts";
import * as referenceBack from "../../solutions/07/manual_backward.ts";
import * as referenceOne from "../../solutions/07/one_expression.ts";
import * as referenceTrain from "../../solutions/07/train.ts";
import { loadMakemoreSplit } from "./makemore_mlp.ts";
import { saveKata07Figures } from "./kata07_plots.ts";
import backprop from "../../testdata/lectures/backprop.json" with { type: "json" };

/** The lecture's numbers (makemore_part4_backprop.ipynb; shared/LECTURES.md §1.5, §4). */
export const LECTURE_BACKPROP = {
  /** `F.cross_entropy(logits, Yb)` of the first batch (cell 12); cell 10 prints tensor(3.3377). */
  firstLoss: 3.3377387523651123,
  exercise2Maxdiff: "5.122274160385132e-09",
  exercise3Maxdiff: "9.313225746154785e-10",
  exercise4FirstLoss: 3.7805, // with other draws of the global generator before it: not ours
  train: 2.0705,
  val: 2.1099,
  names: "carmahzamille. khi. mreigeet. khalaysie. mahnen. delynn. jareen. nellara. chaiiv. " +
    "kaleigh. ham. joce. quinn. shoison. jadiquintero. dearyxi. jace. pinsley. dae. iia.",
} as const;

/**
 * PyTorch 1.13 (Debian, one thread) running bench/peers/makemore_backprop_torch.py (the same
 * seeds, minibatches and manual backward) on the 2-core build machine, 200,000 steps.
 */
export const TORCH_PEER_BACKPROP = { train: 2.0711, val: 2.1103 } as const;

type Kata =
  & typeof referenceNet
  & typeof referenceBack
  & typeof referenceOne
  & typeof referenceTrain;

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `07`
 */
export async function reproduceKata07(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        solution: { type: "boolean", default: false },
        steps: { type: "string", default: "200000" },
        out: { type: "string", default: ".katagrad/reproduce/07" },
      },
    }));
  } catch (e) {
    console.error(
      `Cannot reproduce 07: ${(e as Error).message} (options: --solution, --steps N, --out DIR)`,
    );
    Deno.exit(2);
  }
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) {
    console.error(`Cannot reproduce 07: --steps must be a positive integer, got ${values.steps}`);
    Deno.exit(2);
  }
  const kata: Kata = values.solution
    ? { ...referenceNet, ...referenceBack, ...referenceOne, ...referenceTrain }
    : { ...learnerNet, ...learnerBack, ...learnerOne, ...learnerTrain } as Kata;
  const who = values.solution ? "the reference (solutions/07)" : "your code (katas/07)";
  try {
    await run(kata, who, steps, values.out!);
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 07 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 07), or run the reference: deno task reproduce 07 --solution`,
    );
    Deno.exit(1);
  }
}

const ORDER = [
  "logprobs",
  "probs",
  "counts_sum_inv",
  "counts_sum",
  "counts",
  "norm_logits",
  "logit_maxes",
  "logits",
  "h",
  "W2",
  "b2",
  "hpreact",
  "bngain",
  "bnbias",
  "bnraw",
  "bnvar_inv",
  "bnvar",
  "bndiff2",
  "bndiff",
  "bnmeani",
  "hprebn",
  "embcat",
  "W1",
  "b1",
  "emb",
  "C",
]; // deno-fmt-ignore

async function run(k: Kata, who: string, steps: number, out: string): Promise<void> {
  const t0 = performance.now();
  console.log(`makemore part 4 (becoming a backprop ninja), kata 07, running ${who}\n`);
  const { Xtr, Ytr, Xdev, Ydev, vocab } = await loadMakemoreSplit(3);

  // Exercise 1: the lecture's network and first batch (cells 8-11).
  const g1 = new Generator(2147483647);
  const global = new Generator(backprop.lecture_global_seed);
  const p1 = k.initParams(g1, { gainGenerator: global });
  const ix = randint(0, Xtr.shape[0], [32], { generator: g1 });
  const Xb = Xtr.index(ix), Yb = Ytr.index(ix);
  const f = k.forwardChunks(p1, Xb, Yb);
  for (const [name, t] of Object.entries(f)) if (name !== "loss") t.retainGrad();
  f.loss.backward();
  console.log(
    `${k.numParameters(p1)} parameters (lecture 4137); first batch loss ${f.loss.itemSync()} ` +
      `(lecture: tensor(3.3377); F.cross_entropy ${LECTURE_BACKPROP.firstLoss})\n`,
  );
  console.log("exercise 1 (the lecture: exact: True, maxdiff 0.0 on every line):");
  const dlogprobs = k.dLogprobs(f.logprobs, Yb);
  const s = k.backwardNormalise(f, dlogprobs);
  const e = k.backwardExpMax(f, s.dcounts);
  const o = k.backwardOutput(f, p1, e.dlogits);
  const b = k.backwardBatchNorm(f, p1, o.dhpreact);
  const i = k.backwardInput(f, p1, Xb, b.dhprebn);
  const grads: Record<string, Tensor> = { dlogprobs, ...s, ...e, ...o, ...b, ...i } as never;
  const tensors: Record<string, Tensor> = { ...f, ...p1 } as never;
  let approximate = 0;
  for (const name of ORDER) {
    const c = k.cmp(name, grads[`d${name}`], tensors[name]);
    if (c.approximate) approximate++;
    console.log(`  ${c.line}`);
  }
  console.log(
    `  ${approximate} of ${ORDER.length} approximately equal to autograd (katagrad's tanh ` +
      `backward is one fused kernel, so bit-exactness ends at hpreact)`,
  );

  // Exercises 2 and 3 (cells 12-21).
  const dlogits = noGrad(() => k.crossEntropyBackward(f.logits, Yb));
  const dhprebn = noGrad(() =>
    k.batchNormBackward(f.hpreact.grad!, p1.bngain, f.bnvar_inv, f.bnraw)
  );
  const e2 = k.cmp("logits", dlogits, f.logits), e3 = k.cmp("hprebn", dhprebn, f.hprebn);
  console.log(`\nexercise 2 (float32, as the lecture):\n  ${e2.line}`);
  console.log(`  the lecture: maxdiff: ${LECTURE_BACKPROP.exercise2Maxdiff}`);
  console.log(`exercise 3 (float32):\n  ${e3.line}`);
  console.log(`  the lecture: maxdiff: ${LECTURE_BACKPROP.exercise3Maxdiff}`);

  // Exercise 4 (cells 22-27): the global generator goes on after exercise 1's draws.
  const g = new Generator(2147483647);
  const p = k.initParams(g, { nHidden: 200, gainGenerator: global });
  console.log(
    `\nexercise 4: ${k.numParameters(p)} parameters (lecture 12297); ${steps} steps, batch 32, ` +
      `lr 0.1 then 0.01 from step 100000, manual backward under noGrad`,
  );
  const tTrain = performance.now();
  const losses = k.train(p, Xtr, Ytr, g, {
    steps,
    onStep(step, loss) {
      if (step % 10_000 === 0) {
        console.log(`${String(step).padStart(7)}/${String(steps).padStart(7)}: ${loss.toFixed(4)}`);
      }
    },
  });
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const bn = k.calibrate(p, Xtr);
  const train = k.splitLoss(p, bn, Xtr, Ytr), val = k.splitLoss(p, bn, Xdev, Ydev);
  const full = steps === 200_000;
  const peer = (v: number) => full ? v.toFixed(4) : "—";
  console.log(`\n            ${"kata 07".padEnd(10)} lecture   PyTorch (same code, this machine)`);
  console.log(
    `train loss  ${train.toFixed(4).padEnd(10)} ${LECTURE_BACKPROP.train.toFixed(4)}    ` +
      peer(TORCH_PEER_BACKPROP.train),
  );
  console.log(
    `val loss    ${val.toFixed(4).padEnd(10)} ${LECTURE_BACKPROP.val.toFixed(4)}    ` +
      peer(TORCH_PEER_BACKPROP.val),
  );
  if (full) {
    const ok = Math.abs(train - LECTURE_BACKPROP.train) <= 0.03 &&
      Math.abs(val - LECTURE_BACKPROP.val) <= 0.03;
    console.log(`within ±0.03 of the lecture's train and val: ${ok ? "yes" : "NO"}`);
  }
  console.log(
    `${steps} steps in ${trainSeconds.toFixed(1)} s (${(steps / trainSeconds).toFixed(0)} steps/s)`,
  );
  const names = k.sampleNames(p, bn, new Generator(2147483647 + 10), vocab, 20);
  console.log(`\nsampled with Generator(2147483647 + 10): ${names.join(" ")}`);
  console.log(`the lecture's (other bngain, bnbias):     ${LECTURE_BACKPROP.names}`);

  const written = await saveKata07Figures(out, {
    losses,
    dlogits: dlogits.toArraySync() as number[][],
    targets: Array.from(Yb.dataSync()),
  });
  console.log(`\n${written}`);
  console.log(
    `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s; ${Deno.build.os}/` +
      `${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}
