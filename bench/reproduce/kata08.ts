/**
 * `deno task reproduce 08`: makemore part 5 (the WaveNet) with your code
 * (katas/08) or the reference (`--solution`, solutions/08):
 *
 * 1. both models at init: parameters (76,579 and 22,097), the first loss
 *    (the lecture's 3.3167), and what they see — each of the 8 context
 *    characters moves the logits, nothing before them does;
 * 2. the flat network over 8 characters, 200,000 steps: train/val beside the
 *    lecture's performance log (1.918 / 2.027);
 * 3. the scaled hierarchical network, 200,000 steps, its loss every 10,000
 *    steps beside the lecture's printout: train/val beside 1.7690 / 1.9937;
 *
 * each with steps/s and wall time beside PyTorch running the same code here
 * (bench/peers/makemore_wavenet_torch.py), twenty samples, and the loss curves.
 * Options: `--solution`, `--steps N` (200000), `--only flat|hierarchical`,
 * `--out DIR` (.katagrad/reproduce/08).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { F, Generator, index, noGrad, randint } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerModel from "../../katas/08/model.ts";
import * as learnerField from "../../katas/08/receptive_field.ts";
import * as learnerTrain from "../../katas/08/train.ts";
import * as referenceModel from "../../solutions/08/model.ts";
import * as referenceField from "../../solutions/08/receptive_field.ts";
import * as referenceTrain from "../../solutions/08/train.ts";
import { loadMakemoreSplit, type MakemoreSplit } from "./makemore_mlp.ts";
import {
  type Kata08,
  LECTURE_WAVENET,
  runModel,
  saveKata08Figure,
  TORCH_PEER_08,
} from "./kata08_runs.ts";

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `08`
 */
export async function reproduceKata08(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        solution: { type: "boolean", default: false },
        steps: { type: "string", default: "200000" },
        only: { type: "string" },
        out: { type: "string", default: ".katagrad/reproduce/08" },
      },
    }));
  } catch (e) {
    console.error(
      `Cannot reproduce 08: ${(e as Error).message} ` +
        `(options: --solution, --steps N, --only flat|hierarchical, --out DIR)`,
    );
    Deno.exit(2);
  }
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) {
    console.error(`Cannot reproduce 08: --steps must be a positive integer, got ${values.steps}`);
    Deno.exit(2);
  }
  if (values.only !== undefined && values.only !== "flat" && values.only !== "hierarchical") {
    console.error(`Cannot reproduce 08: --only must be flat or hierarchical, got ${values.only}`);
    Deno.exit(2);
  }
  const kata: Kata08 = values.solution
    ? { ...referenceModel, ...referenceField, ...referenceTrain }
    : { ...learnerModel, ...learnerField, ...learnerTrain } as Kata08;
  const who = values.solution ? "the reference (solutions/08)" : "your code (katas/08)";
  const runs = values.only === undefined ? ["flat", "hierarchical"] as const : [values.only];
  try {
    await run(kata, who, steps, runs as ("flat" | "hierarchical")[], values.out!);
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 08 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 08), or run the reference: deno task reproduce 08 --solution`,
    );
    Deno.exit(1);
  }
}

/** Both models at init: size, first loss, and which context positions reach the logits. */
function atInit(k: Kata08, split: MakemoreSplit): void {
  for (const which of ["hierarchical", "flat"] as const) {
    const g = new Generator(42);
    const model = which === "hierarchical" ? k.hierarchicalModel(g) : k.flatModel(g);
    const ix = randint(0, split.Xtr.shape[0], [32], { generator: g }); // the first minibatch
    const loss = noGrad(() =>
      F.crossEntropy(model.forward(index(split.Xtr, ix)), index(split.Ytr, ix)).itemSync()
    );
    const s = k.sensitivity(model, [9, 19, 1, 2, 5, 12, 12, 1]); // "isabella"
    const lecture = which === "hierarchical" ? " (lecture 3.3167)" : "";
    console.log(
      `${which.padEnd(12)} ${k.numParameters(model)} parameters ` +
        `(lecture ${LECTURE_WAVENET[which].parameters}); first loss ${loss.toFixed(4)}${lecture}`,
    );
    console.log(
      `${"".padEnd(12)} largest logit change per context position: [${
        s.map((v) => v.toFixed(3)).join(", ")
      }]`,
    );
  }
  console.log("  (both see all 8 characters before the next one, and nothing earlier)\n");
}

async function run(
  k: Kata08,
  who: string,
  steps: number,
  runs: ("flat" | "hierarchical")[],
  out: string,
): Promise<void> {
  const t0 = performance.now();
  console.log(`makemore part 5 (the WaveNet), kata 08, running ${who}\n`);
  const split = await loadMakemoreSplit(8);
  atInit(k, split);
  const full = steps === 200_000;
  const curves: Record<string, Float32Array> = {};
  for (const which of runs) {
    const lecture = LECTURE_WAVENET[which];
    console.log(
      `${which} network: ${steps} steps, batch 32, lr 0.1 then 0.01 from step 150000` +
        (which === "hierarchical" ? " (the lecture's minibatch loss in brackets)" : ""),
    );
    const r = runModel(k, which, split, steps, {
      onStep(step, loss) {
        if (step % 10_000 !== 0) return;
        const theirs = which === "hierarchical"
          ? LECTURE_WAVENET.printed[step / 10_000]
          : undefined;
        console.log(
          `${String(step).padStart(7)}/${String(steps).padStart(7)}: ${loss.toFixed(4)}` +
            (theirs === undefined ? "" : `  [${theirs.toFixed(4)}]`),
        );
      },
    });
    curves[which] = r.losses;
    const peer = TORCH_PEER_08[which];
    const p = (v: number | null) => (full && v !== null ? v.toFixed(4) : "—");
    console.log(
      `\n            ${"kata 08".padEnd(10)} lecture   PyTorch (same code, this machine)`,
    );
    console.log(
      `train loss  ${r.train.toFixed(4).padEnd(10)} ${lecture.train.toFixed(4)}    ${
        p(peer.train)
      }`,
    );
    console.log(
      `val loss    ${r.val.toFixed(4).padEnd(10)} ${lecture.val.toFixed(4)}    ${p(peer.val)}`,
    );
    if (full) {
      const ok = Math.abs(r.train - lecture.train) <= 0.03 && Math.abs(r.val - lecture.val) <= 0.03;
      console.log(`within ±0.03 of the lecture's train and val: ${ok ? "yes" : "NO"}`);
    }
    const rate = steps / r.seconds;
    console.log(
      `${steps} steps in ${r.seconds.toFixed(1)} s (${rate.toFixed(0)} steps/s; PyTorch ` +
        `${peer.stepsPerSecond ? peer.stepsPerSecond.toFixed(0) : "—"} steps/s)`,
    );
    if (which === "hierarchical") {
      const names = k.sampleNames(r.model, new Generator(42 + 10), split.vocab, 8, 20);
      console.log(`\nsampled with Generator(52): ${names.join(" ")}`);
    }
    console.log();
  }
  console.log(await saveKata08Figure(out, curves));
  console.log(
    `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s; ${Deno.build.os}/` +
      `${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}
