/**
 * The training runs of `deno task reproduce 10`: gpt.py's loop on the kata's
 * model (an estimate_loss of both splits every `evalInterval` steps and at the
 * last step, then a step), nanoGPT's baby run through `deno task train`'s own
 * code, and the figures they are compared with.
 *
 * @module
 */

import type { Generator } from "../../mod.ts";
import { train as trainCommand } from "../../cli/train.ts";
import { type CliIO, runCommand } from "../../cli/cli_io.ts";
import type * as referenceTrain from "../../solutions/10/train.ts";

/** One train/val evaluation. */
export interface EvalPoint {
  /** The step it was taken before. */
  step: number;
  /** The mean train loss. */
  train: number;
  /** The mean val loss. */
  val: number;
}

/** The kata functions a run needs. */
type Kata = Pick<typeof referenceTrain, "estimateLoss" | "train">;

/** Options of {@link runGptPy}. */
export interface GptPyRunOptions {
  /** Training steps (5000). */
  steps: number;
  /** AdamW's learning rate (1e-3). */
  lr: number;
  /** Windows per batch (16). */
  batchSize: number;
  /** Tokens per window (32). */
  blockSize: number;
  /** Evaluate before step i when i % evalInterval === 0, and before the last. */
  evalInterval: number;
  /** Batches per estimate (200). */
  evalIters: number;
  /** The training split. */
  train: Int32Array;
  /** The validation split. */
  val: Int32Array;
  /** Prints a line. */
  log: (line: string) => void;
  /** PyTorch's evaluations of the same run, printed beside ours. */
  peer?: readonly EvalPoint[];
}

/**
 * gpt.py's loop with the kata's `train` and `estimateLoss`: an evaluation of
 * both splits before step 0, before every step that is a multiple of
 * `evalInterval` and before the last step (gpt.py's `iter % eval_interval == 0
 * or iter == max_iters - 1`), drawn from the same generator as the batches.
 *
 * @param k the kata's functions
 * @param model the model
 * @param g the generator of every batch
 * @param o the run
 * @returns the evaluations, the training time per step (evaluation excluded) and the losses
 */
export function runGptPy(
  k: Kata,
  model: Parameters<Kata["train"]>[0],
  g: Generator,
  o: GptPyRunOptions,
): { evals: EvalPoint[]; msPerStep: number; losses: number[] } {
  const evals: EvalPoint[] = [];
  const batch = { batchSize: o.batchSize, blockSize: o.blockSize };
  let evaluating = 0;
  const evaluate = (step: number) => {
    const t = performance.now();
    const e = {
      step,
      train: k.estimateLoss(model, o.train, g, { ...batch, evalIters: o.evalIters }),
      val: k.estimateLoss(model, o.val, g, { ...batch, evalIters: o.evalIters }),
    };
    evals.push(e);
    evaluating += performance.now() - t;
    const ms = step
      ? `  (${((performance.now() - t0 - evaluating) / step).toFixed(1)} ms/step)`
      : "";
    const p = o.peer?.find((q) => q.step === step);
    const torch = p ? `   PyTorch ${p.train.toFixed(4)}, ${p.val.toFixed(4)}` : "";
    o.log(
      `  step ${String(step).padStart(4)}: train loss ${e.train.toFixed(4)}, val loss ` +
        `${e.val.toFixed(4)}${torch}${ms}`,
    );
  };
  const t0 = performance.now();
  evaluate(0);
  const { losses } = k.train(model, o.train, g, {
    ...batch,
    steps: o.steps,
    lr: o.lr,
    onStep: (i) => {
      const next = i + 1;
      if (next < o.steps && (next % o.evalInterval === 0 || next === o.steps - 1)) evaluate(next);
    },
  });
  return { evals, msPerStep: (performance.now() - t0 - evaluating) / o.steps, losses };
}

/** What {@link runBaby} measured. */
export interface BabyRun {
  /** The command's exit code. */
  code: number;
  /** The last evaluation (`step N: train loss a, val loss b`), or null. */
  last: EvalPoint | null;
  /** The whole run, seconds. */
  wallS: number;
  /** The command's own "ms/step with evaluations". */
  msPerStep: number | null;
}

/**
 * nanoGPT's baby run with the library's `nn.GPT`, through `deno task train`'s
 * own code (`--preset baby --device cpu`), its lines printed indented.
 *
 * @param flags more flags (`--out-dir`, `--steps`, …)
 * @param log prints a line
 * @returns the last evaluation, wall time and ms/step
 */
export async function runBaby(flags: string[], log: (line: string) => void): Promise<BabyRun> {
  let last: EvalPoint | null = null, msPerStep: number | null = null;
  const io: CliIO = {
    out: (line) => {
      log(`  ${line}`);
      const e = line.match(/^step\s+(\d+): train loss ([\d.]+), val loss ([\d.]+)/);
      if (e) last = { step: Number(e[1]), train: Number(e[2]), val: Number(e[3]) };
      const d = line.match(/\(([\d.]+) ms\/step with evaluations\)/);
      if (d) msPerStep = Number(d[1]);
    },
    err: (line) => log(`  ${line}`),
  };
  const t0 = performance.now();
  const code = await runCommand(
    trainCommand,
    ["--preset", "baby", "--device", "cpu", ...flags],
    io,
  );
  return { code, last, wallS: (performance.now() - t0) / 1000, msPerStep };
}
