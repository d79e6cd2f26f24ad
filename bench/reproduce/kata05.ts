/**
 * `deno task reproduce 05`: kata 05's MLP at the lecture's scale, with your
 * code (katas/05) or the reference (`--solution`, solutions/05):
 *
 * 1. the split, beside the lecture's 182,625 / 22,655 / 22,866;
 * 2. the learning-rate range test on the lecture's model (1,000 steps);
 * 3. 200,000 steps (lr 0.1, then 0.01), then train/dev/test beside the
 *    lecture's 2.1260 / 2.1701 and beside PyTorch running the same code here
 *    (bench/peers/makemore_mlp_torch.py), with wall time; twenty samples;
 * 4. the lecture's model with 2-d embeddings (hidden 300, 10,281 parameters) for
 *    its scatter plot of the characters.
 *
 * Options: `--solution`, `--steps N` (200000), `--lr-steps N` (1000),
 * `--embed-steps N` (50000), `--out DIR` (.katagrad/reproduce/05).
 * `deno task reproduce mlp` is the library's own version (bench/reproduce/mlp.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CharVocab, Generator, loadDataset } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerData from "../../katas/05/dataset.ts";
import * as learnerMlp from "../../katas/05/mlp.ts";
import * as referenceData from "../../solutions/05/dataset.ts";
import * as referenceMlp from "../../solutions/05/mlp.ts";
import { LECTURE_MLP } from "./mlp.ts";
import { saveKata05Figures } from "./kata05_plots.ts";

/**
 * PyTorch 1.13 (Debian, one thread) running bench/peers/makemore_mlp_torch.py
 * (the same init, minibatches and schedule) on the 2-core build machine; float32
 * rounding differs, so the last digits do. Its wall time is the peer's to print.
 */
export const TORCH_PEER_MLP = { train: 2.1241, dev: 2.1625 } as const;

type Kata = typeof referenceData & typeof referenceMlp;

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `05`
 */
export async function reproduceKata05(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      steps: { type: "string", default: "200000" },
      "lr-steps": { type: "string", default: "1000" },
      "embed-steps": { type: "string", default: "50000" },
      out: { type: "string", default: ".katagrad/reproduce/05" },
    },
  });
  const steps = positive("--steps", values.steps);
  const lrSteps = positive("--lr-steps", values["lr-steps"]);
  const embedSteps = positive("--embed-steps", values["embed-steps"]);
  const kata: Kata = values.solution
    ? { ...referenceData, ...referenceMlp }
    : { ...learnerData, ...learnerMlp } as Kata;
  const who = values.solution ? "the reference (solutions/05)" : "your code (katas/05)";
  try {
    await run(kata, who, { steps, lrSteps, embedSteps, out: values.out! });
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 05 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 05), or run the reference: deno task reproduce 05 --solution`,
    );
    Deno.exit(1);
  }
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Cannot reproduce 05: ${name} must be a positive integer, got ${v}`);
  }
  return n;
}

async function run(
  k: Kata,
  who: string,
  o: { steps: number; lrSteps: number; embedSteps: number; out: string },
): Promise<void> {
  const t0 = performance.now();
  console.log(`makemore part 2 (the MLP), kata 05, running ${who}\n`);
  const words = (await loadDataset("names")).split("\n").filter((w) => w.length > 0);
  const vocab = CharVocab.fromText(words.join(""), { boundary: "." });
  const s = k.makeSplits(words, vocab);
  const sizes = [s.Xtr, s.Xdev, s.Xte].map((x) => x.shape[0]).join(" / ");
  console.log(
    `split ${sizes} examples (lecture 182625 / 22655 / 22866); first words ` +
      `${s.words.slice(0, 3).join(", ")}`,
  );

  // The learning-rate range test, on the lecture's model as the notebook runs it.
  const gRange = new Generator(2147483647);
  const range = k.lrRangeTest(k.initParams(gRange), s.Xtr, s.Ytr, gRange, { steps: o.lrSteps });
  const chosenLr = k.chooseLr(range.lre, range.losses, Math.min(100, o.lrSteps));
  console.log(
    `learning-rate range test, ${o.lrSteps} steps over 10^-3 … 10^0: chosen ` +
      `${chosenLr.toPrecision(2)} (10^${Math.log10(chosenLr).toFixed(2)}); the lecture reads 0.1`,
  );

  // The lecture's final model and schedule.
  const g = new Generator(2147483647);
  const p = k.initParams(g);
  console.log(
    `\n${k.numParameters(p)} parameters (lecture 11897); ${o.steps} steps, batch 32, ` +
      `lr 0.1 then 0.01 from step 100000`,
  );
  const every = Math.min(10_000, Math.max(1, Math.floor(o.steps / 20)));
  let window = 0, tick = performance.now();
  const tTrain = performance.now();
  const losses = k.train(p, s.Xtr, s.Ytr, g, {
    steps: o.steps,
    onStep(i, loss) {
      window += loss;
      if ((i + 1) % every === 0 || i + 1 === o.steps) {
        const n = (i % every) + 1, now = performance.now();
        console.log(
          `step ${String(i + 1).padStart(6)}  mean minibatch loss ${(window / n).toFixed(4)}  ` +
            `${(n / ((now - tick) / 1000)).toFixed(0)} steps/s`,
        );
        window = 0;
        tick = now;
      }
    },
  });
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const ev = k.evaluate(p, s);
  const full = o.steps === 200_000;
  const peer = (v: number) => full ? v.toFixed(4) : "—";
  console.log(`\n            ${"kata 05".padEnd(10)} lecture   PyTorch (same code, this machine)`);
  console.log(
    `train loss  ${ev.train.toFixed(4).padEnd(10)} ${LECTURE_MLP.train.toFixed(4)}    ` +
      peer(TORCH_PEER_MLP.train),
  );
  console.log(
    `dev loss    ${ev.dev.toFixed(4).padEnd(10)} ${LECTURE_MLP.dev.toFixed(4)}    ` +
      peer(TORCH_PEER_MLP.dev),
  );
  console.log(`test loss   ${ev.test.toFixed(4).padEnd(10)} —`);
  if (full) {
    const ok = Math.abs(ev.train - LECTURE_MLP.train) <= 0.03 &&
      Math.abs(ev.dev - LECTURE_MLP.dev) <= 0.03;
    console.log(`within ±0.03 of the lecture's train and dev: ${ok ? "yes" : "NO"}`);
  }
  console.log(
    `${o.steps} steps in ${trainSeconds.toFixed(1)} s (${(o.steps / trainSeconds).toFixed(0)} ` +
      `steps/s)`,
  );
  const names = k.sampleNames(p, new Generator(2147483647 + 10), vocab, 20);
  console.log(`\nsampled with Generator(2147483647 + 10): ${names.join(" ")}`);

  // The lecture's 2-d embeddings, for the scatter plot (lr 0.1, then 0.01 for the last 30%).
  const g2 = new Generator(2147483647);
  const p2 = k.initParams(g2, { embedding: 2, hidden: 300 });
  const switchAt = Math.floor(o.embedSteps * 0.7);
  k.train(p2, s.Xtr, s.Ytr, g2, { steps: o.embedSteps, lr: (i) => (i < switchAt ? 0.1 : 0.01) });
  const e2 = k.evaluate(p2, s);
  console.log(
    `\n2-d embeddings, hidden 300 (${k.numParameters(p2)} parameters), ${o.embedSteps} steps: ` +
      `train ${e2.train.toFixed(4)}, dev ${e2.dev.toFixed(4)}`,
  );
  const C = p2.C.toArraySync() as number[][];
  const written = await saveKata05Figures(o.out, {
    lre: range.lre,
    lrLosses: range.losses,
    chosenLr,
    losses,
    embedding: { x: C.map((r) => r[0]), y: C.map((r) => r[1]), labels: [...vocab.itos] },
  });
  console.log(`\n${written}`);
  console.log(
    `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s; ${Deno.build.os}/` +
      `${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}
