/**
 * `deno task reproduce 14`: microgpt's published run with kata 14's code — the
 * learner's (katas/14) by default, the reference (solutions/14) with
 * `--solution`. `random.seed(42)`, the shuffled names, 4,192 parameters,
 * 1,000 Adam steps of one name each, 20 names sampled at temperature 0.5,
 * printed in the published program's own format; then each published line is
 * checked against ours and the count of matches printed, with the wall time.
 *
 * Options: `--solution`, `--steps N` (1000; fewer checks only the lines it
 * reaches), `--samples N` (20).
 *
 * CPython on the same run: `nice /usr/bin/python3 bench/peers/microgpt.py`
 * (our own port, written from the issue's description).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { loadDataset, PyRandom } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerData from "../../katas/14/data.ts";
import * as learnerTraining from "../../katas/14/training.ts";
import * as referenceData from "../../solutions/14/data.ts";
import * as referenceTraining from "../../solutions/14/training.ts";

/** The modules the run needs. */
export type Kata14 = typeof referenceData & typeof referenceTraining;

/** The lines of the published output that the run must print, keyed by what they are. */
export const PUBLISHED = {
  params: "num params: 4192",
  steps: new Map<number, string>([
    [1, "step    1 / 1000 | loss 3.3660"],
    [2, "step    2 / 1000 | loss 3.4243"],
    [3, "step    3 / 1000 | loss 3.1778"],
    [4, "step    4 / 1000 | loss 3.0664"],
    [5, "step    5 / 1000 | loss 3.2209"],
    [1000, "step 1000 / 1000 | loss 2.6497"],
  ]),
  samples: [
    "kamon",
    "ann",
    "karai",
    "jaire",
    "vialan",
    "karia",
    "yeran",
    "anna",
    "areli",
    "kaina",
    "konna",
    "keylen",
    "liole",
    "alerin",
    "earan",
    "lenne",
    "kana",
    "lara",
    "alela",
    "anton",
  ].map((s, i) => `sample ${String(i + 1).padStart(2)}: ${s}`),
};

/** What {@link runMicrogpt} did. */
export interface MicrogptRun {
  /** Every line printed, in order. */
  lines: string[];
  /** Published lines the run reached, and which of them it printed exactly. */
  checked: { want: string; got: string | undefined }[];
  /** Seconds spent training and sampling. */
  trainS: number;
  /** Seconds spent sampling. */
  sampleS: number;
  /** CPU seconds (user + system) of the whole run, the fair figure on a loaded machine. */
  cpuS: number;
}

/**
 * Runs microgpt with the given kata code and checks the published lines it reaches.
 *
 * @param kata the data and training modules (the learner's or the reference)
 * @param text names.txt
 * @param opts steps (1000), samples (20), print (each line as it comes)
 * @returns the lines and the check
 */
export function runMicrogpt(
  kata: Kata14,
  text: string,
  opts: { steps?: number; samples?: number; print?: (line: string) => void } = {},
): MicrogptRun {
  const { steps = 1000, samples = 20, print = () => {} } = opts;
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    print(l);
  };
  const cpu0 = process.cpuUsage();
  const rng = new PyRandom(42);
  const docs = kata.loadDocs(text, rng);
  const tokenizer = new kata.Tokenizer(docs);
  const config = { ...kata.MICROGPT, vocabSize: tokenizer.vocabSize };
  const sd = kata.initStateDict(rng, config);
  say(`num params: ${kata.parameters(sd).length}`);
  const model = { sd, config, tokenizer };
  const t0 = performance.now();
  kata.train(model, docs, {
    steps,
    numSteps: 1000,
    onStep: (s, loss) => say(`step ${String(s + 1).padStart(4)} / 1000 | loss ${loss.toFixed(4)}`),
  });
  const t1 = performance.now();
  for (let i = 0; i < samples; i++) {
    say(`sample ${String(i + 1).padStart(2)}: ${kata.sampleName(model, rng, 0.5)}`);
  }
  const t2 = performance.now();
  const checked: MicrogptRun["checked"] = [{ want: PUBLISHED.params, got: lines[0] }];
  for (const [s, want] of PUBLISHED.steps) {
    if (s <= steps) checked.push({ want, got: lines.find((l) => l.startsWith(want.slice(0, 9))) });
  }
  if (steps === 1000) {
    const got = lines.filter((l) => l.startsWith("sample"));
    PUBLISHED.samples.slice(0, samples).forEach((want, i) => checked.push({ want, got: got[i] }));
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { lines, checked, trainS: (t1 - t0) / 1000, sampleS: (t2 - t1) / 1000, cpuS };
}

/**
 * Runs the reproduction and prints the run, the check and the time.
 *
 * @param args the command-line options after `14`
 */
export async function reproduceKata14(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      steps: { type: "string", default: "1000" },
      samples: { type: "string", default: "20" },
    },
  });
  const steps = Number(values.steps), samples = Number(values.samples);
  if (!Number.isInteger(steps) || steps < 1 || steps > 1000) {
    console.error(`reproduce 14: --steps must be an integer in [1, 1000], got ${values.steps}`);
    Deno.exit(2);
  }
  if (!Number.isInteger(samples) || samples < 0) {
    console.error(`reproduce 14: --samples must be an integer >= 0, got ${values.samples}`);
    Deno.exit(2);
  }
  const kata =
    (values.solution
      ? { ...referenceData, ...referenceTraining }
      : { ...learnerData, ...learnerTraining }) as Kata14;
  const who = values.solution ? "the reference (solutions/14)" : "your code (katas/14)";
  const text = await loadDataset("names");
  console.log(`microgpt with ${who}: seed 42, ${steps} steps, ${samples} samples\n`);
  let run: MicrogptRun;
  try {
    run = runMicrogpt(kata, text, { steps, samples, print: (l) => console.log(l) });
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 14 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 14), or run the reference: deno task reproduce 14 --solution`,
    );
    Deno.exit(1);
  }
  const matched = run.checked.filter((c) => c.got === c.want).length;
  console.log(`\npublished lines matched: ${matched} / ${run.checked.length}`);
  for (const c of run.checked) {
    if (c.got !== c.want) console.log(`  MISMATCH: published "${c.want}", ours "${c.got}"`);
  }
  console.log(
    `time: training ${run.trainS.toFixed(1)} s (${(steps / run.trainS).toFixed(1)} steps/s), ` +
      `sampling ${run.sampleS.toFixed(1)} s wall; ${
        run.cpuS.toFixed(1)
      } s CPU in all. CPython on the ` +
      `same run: nice /usr/bin/python3 bench/peers/microgpt.py (times in katas/14/README.md)`,
  );
}
