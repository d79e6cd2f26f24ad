/**
 * `deno task reproduce 10`: the GPT lecture's model with kata 10's code — the
 * learner's (katas/10) by default, the reference (solutions/10) with
 * `--solution`:
 *
 * 1. parameter counts: the lecture's small config (0.209729 M) and gpt.py's
 *    (10.788929 M), from the kata's model;
 * 2. the lecture's small config (gpt-dev's last cell: batch 16, block 32,
 *    4 layers, 4 heads, n_embd 64, dropout 0, AdamW lr 1e-3, 5,000 steps,
 *    `torch.manual_seed(1337)`), trained with gpt.py's loop: val ≤ 1.85
 *    expected (the lecture: 1.8226), with ms/step, then 300 sampled characters;
 * 3. nanoGPT's baby run (`train_shakespeare_char` on a CPU: block 64, batch 12,
 *    4 layers, 4 heads, n_embd 128, 2,000 steps, lr 1e-3 warmed up over 100
 *    and decayed to 1e-4, β2 0.99, weight decay 0.1, clip 1) with the library's
 *    `nn.GPT`, through `deno task train`'s code: val ≤ 1.95 expected (nanoGPT
 *    reports 1.88);
 * each beside PyTorch 1.13 at one thread on the build machine
 * (bench/peers/kata10_gpt_torch.py).
 *
 * Options: `--solution`, `--only small|baby`, `--steps N` (5000),
 * `--eval-interval N` (500; the lecture's 100 costs 20,000 evaluation batches),
 * `--eval-iters N` (200), `--baby-steps N` (2000), `--out DIR`
 * (.katagrad/reproduce/10).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CharVocab, Generator, loadDataset, splitTrainVal, zeros } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerModel from "../../katas/10/model.ts";
import * as learnerTrain from "../../katas/10/train.ts";
import * as referenceModel from "../../solutions/10/model.ts";
import * as referenceTrain from "../../solutions/10/train.ts";
import { runBaby, runGptPy } from "./kata10_runs.ts";

type Kata = typeof referenceModel & typeof referenceTrain;

/** The lecture's small config (gpt-dev's last cell). */
export const SMALL = { vocabSize: 65, blockSize: 32, nEmbd: 64, nHead: 4, nLayer: 4, dropout: 0 };
/** gpt.py's config. */
export const GPT_PY = {
  vocabSize: 65,
  blockSize: 256,
  nEmbd: 384,
  nHead: 6,
  nLayer: 6,
  dropout: 0.2,
};

/**
 * PyTorch 1.13 (Debian, one thread, OpenBLAS) running bench/peers/kata10_gpt_torch.py on the
 * 2-core build machine (shared with other sessions' runs, load 12–30), at the same time as
 * `deno task reproduce 10 --solution --only small` ran there: gpt.py's model and loop at the
 * small config from torch.manual_seed(1337), the same init and batches as ours (the step-0
 * evaluation agrees to 4 decimals; float summation order makes the runs drift apart after).
 * `msPerStep` excludes evaluations; `wallS` is the whole run.
 */
export const TORCH_PEER_10 = {
  small: {
    evals: [
      [0, 4.1959, 4.1962],
      [500, 2.257, 2.2779],
      [1000, 2.0407, 2.1023],
      [1500, 1.9213, 2.0484],
      [2000, 1.8427, 1.992],
      [2500, 1.7735, 1.9379],
      [3000, 1.7356, 1.9038],
      [3500, 1.7074, 1.8652],
      [4000, 1.6879, 1.8447],
      [4500, 1.6568, 1.8352],
      [4999, 1.6574, 1.8398],
    ].map(([step, train, val]) => ({ step, train, val })),
    msPerStep: 261.25,
    wallS: 1657.9,
  },
};

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `10`
 */
export async function reproduceKata10(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      only: { type: "string" },
      steps: { type: "string", default: "5000" },
      "eval-interval": { type: "string", default: "500" },
      "eval-iters": { type: "string", default: "200" },
      "baby-steps": { type: "string", default: "2000" },
      out: { type: "string", default: ".katagrad/reproduce/10" },
    },
  });
  if (values.only !== undefined && values.only !== "small" && values.only !== "baby") {
    console.error(`Cannot reproduce 10: --only must be small or baby, got ${values.only}`);
    Deno.exit(2);
  }
  const kata =
    (values.solution
      ? { ...referenceModel, ...referenceTrain }
      : { ...learnerModel, ...learnerTrain }) as Kata;
  const who = values.solution ? "the reference (solutions/10)" : "your code (katas/10)";
  const o = {
    only: values.only,
    steps: positive("--steps", values.steps),
    evalInterval: positive("--eval-interval", values["eval-interval"]),
    evalIters: positive("--eval-iters", values["eval-iters"]),
    babySteps: positive("--baby-steps", values["baby-steps"]),
    out: values.out!,
  };
  try {
    await run(kata, who, o);
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 10 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 10), or run the reference: deno task reproduce 10 --solution`,
    );
    Deno.exit(1);
  }
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`Cannot reproduce 10: ${name} must be a positive integer, got ${v}`);
    Deno.exit(2);
  }
  return n;
}

const verdict = (val: number, bound: number) =>
  val <= bound ? `(≤ ${bound}: ok)` : `(ABOVE ${bound})`;

async function run(
  k: Kata,
  who: string,
  o: {
    only?: string;
    steps: number;
    evalInterval: number;
    evalIters: number;
    babySteps: number;
    out: string;
  },
): Promise<void> {
  const t0 = performance.now();
  const log = (line: string) => console.log(line);
  console.log(`The GPT lecture's model, kata 10, running ${who}\n`);
  if (o.only !== "baby") {
    const text = await loadDataset("tinyshakespeare");
    const vocab = CharVocab.fromText(text);
    const { train, val } = splitTrainVal(vocab.encode(text), 0.9);
    const g = new Generator(1337);
    const model = new k.GPTLanguageModel(SMALL, { generator: g });
    const big = new k.GPTLanguageModel(GPT_PY).numParameters();
    console.log(
      `parameters: small config ${(model.numParameters() / 1e6).toFixed(6)} M ` +
        `(lecture 0.209729 M); gpt.py's config ${(big / 1e6).toFixed(6)} M (10.788929 M)`,
    );
    console.log(
      `\nthe lecture's small config: batch 16, block 32, 4 layers, 4 heads, n_embd 64, ` +
        `dropout 0, AdamW lr 1e-3, ${o.steps} steps; estimate_loss (${o.evalIters} batches) ` +
        `every ${o.evalInterval} steps and before the last`,
    );
    const full = o.steps === 5000 && o.evalInterval === 500 && o.evalIters === 200;
    const peer = full ? TORCH_PEER_10.small : null;
    const t1 = performance.now();
    const r = runGptPy(k, model, g, {
      steps: o.steps,
      lr: 1e-3,
      batchSize: 16,
      blockSize: 32,
      evalInterval: o.evalInterval,
      evalIters: o.evalIters,
      train,
      val,
      log,
      peer: peer?.evals,
    });
    const last = r.evals.at(-1)!;
    console.log(
      `  final: train ${last.train.toFixed(4)}, val ${last.val.toFixed(4)} ` +
        `${verdict(last.val, 1.85)}; the lecture: step 4999 train 1.6635, val 1.8226` +
        (peer ? `; PyTorch ${peerLast(peer)}` : ""),
    );
    console.log(
      `  ${r.msPerStep.toFixed(1)} ms/step (evaluations excluded)` +
        (peer ? `, PyTorch ${peer.msPerStep.toFixed(1)}` : "") +
        `; wall ${((performance.now() - t1) / 1000).toFixed(0)} s` +
        (peer ? ` (PyTorch ${peer.wallS.toFixed(0)} s)` : ""),
    );
    const sample = model.generate(zeros([1, 1], { dtype: "int32" }), 300, g);
    console.log(`\n300 characters from it:\n${vocab.decode(sample.dataSync())}\n`);
  }
  if (o.only !== "small") {
    console.log(
      `nanoGPT's baby run with the library's nn.GPT (deno task train --preset baby, ` +
        `${o.babySteps} steps)`,
    );
    const out = `${o.out}/baby`;
    await Deno.remove(out, { recursive: true }).catch(() => {});
    const b = await runBaby(["--steps", String(o.babySteps), "--out-dir", out], log);
    if (b.code !== 0) throw new Error(`deno task train exited with ${b.code}`);
    const lastVal = b.last?.val ?? NaN;
    console.log(
      `  final val ${lastVal.toFixed(4)} ${verdict(lastVal, 1.95)}; nanoGPT reports 1.88; ` +
        `${b.msPerStep ?? "?"} ms/step with evaluations (PyTorch's step, ` +
        `bench/peers/gpt_step_torch.py: 83–101 ms against our 306–353 on the build machine; ` +
        `val 1.8843 there, see katas/10/README.md)` +
        `, wall ${b.wallS.toFixed(0)} s`,
    );
  }
  console.log(
    `\nwall time ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}

function peerLast(p: typeof TORCH_PEER_10.small): string {
  const e = p.evals.at(-1)!;
  return `${e.train.toFixed(4)}, ${e.val.toFixed(4)}`;
}
