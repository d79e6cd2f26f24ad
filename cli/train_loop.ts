/**
 * The training loop of `deno task train`: nanoGPT's step (forward, backward, clip, AdamW, zero
 * grad) on random windows of the train split, a progress line every logInterval steps, train/val
 * evaluation, an atomic checkpoint and the loss plot every evalInterval steps, and a checkpoint on
 * Ctrl-C. The losses of an interval are read back once, together, at its progress line: the step
 * itself never waits for the device.
 *
 * @module
 */

import { join } from "node:path";
import { noGrad } from "../core/autograd.ts";
import { getBatch } from "../core/data/gpt_batch.ts";
import { keep, tidy } from "../core/memory.ts";
import type { GPT } from "../core/nn/gpt.ts";
import { fromTyped } from "../core/ops/creation.ts";
import { cat, stack } from "../core/ops/movement.ts";
import type { AdamW } from "../core/optim/adam.ts";
import { clipGradNormTensor } from "../core/optim/clip_grad.ts";
import { linePlot } from "../core/plot/line_plot.ts";
import type { Generator } from "../core/random/generator.ts";
import type { Tensor } from "../core/tensor.ts";
import { type CheckpointInfo, saveCheckpoint } from "./checkpoint.ts";
import { type CliIO, yieldToEventLoop } from "./cli_io.ts";
import { evalLine, formatDuration, learningRateAt, progressLine } from "./progress.ts";
import type { TextData } from "./text_data.ts";

/** A run ready to train: model, optimizer, generator, data and the checkpoint's info. */
export interface Run {
  /** The model, in training mode. */
  model: GPT;
  /** Its AdamW. */
  optimizer: AdamW;
  /** Draws batches and dropout masks. */
  generator: Generator;
  /** The encoded text. */
  data: TextData;
  /** What the checkpoint records; step and history advance as the run goes. */
  info: CheckpointInfo;
  /** The checkpoint file. */
  ckptPath: string;
  /** The loss plot. */
  plotPath: string;
}

/**
 * Trains from `run.info.step` to `run.info.train.maxIters`.
 *
 * @param run the run
 * @param io the terminal (its interrupt stops the run after a checkpoint)
 * @returns the exit code: 0 when done, 130 when interrupted
 */
export async function trainLoop(run: Run, io: CliIO): Promise<number> {
  const { model, optimizer, generator: g, data, info } = run;
  const t = info.train, { blockSize } = info.config;
  const params = model.parameters();
  const randint = (low: number, high: number, n: number) => g.integers(low, high, n);
  const batch = (split: Int32Array) => {
    const { x, y } = getBatch(split, t.batchSize, blockSize, randint);
    const shape = [t.batchSize, blockSize];
    return [fromTyped(x, shape), fromTyped(y, shape)]; // (B, T) each, on the default device
  };
  /** nanoGPT's estimate_loss: the mean loss of evalIters batches of each split, as 2 values. */
  const evaluate = (): Tensor => {
    model.eval();
    const means = [data.train, data.val].map((split) => {
      const losses = Array.from({ length: t.evalIters }, () => {
        const [x, y] = batch(split);
        const loss = keep(tidy(() => noGrad(() => model.forward(x, y).loss!)));
        x.dispose();
        y.dispose();
        return loss;
      });
      const mean = tidy(() => stack(losses).mean());
      losses.forEach((l) => l.dispose());
      return mean;
    });
    model.train();
    const both = keep(stack(means)); // (2): train, val
    means.forEach((m) => m.dispose());
    return both;
  };

  let pending: Tensor[] = []; // step losses not read back yet
  let evalPending: Tensor | null = null;
  let lr = learningRateAt(info.step, t);
  /** One readback: the pending step losses and the pending evaluation. */
  const flush = async () => {
    const all = [...pending, ...(evalPending ? [evalPending] : [])];
    if (all.length === 0) return null;
    const joined = tidy(() => cat(all.map((l) => l.reshape(-1)), 0));
    const values = Array.from(await joined.data());
    joined.dispose();
    all.forEach((l) => l.dispose());
    info.history.train.push(...values.slice(0, pending.length));
    const ev = evalPending ? values.slice(pending.length) : null;
    if (ev) info.history.evals.push({ step: info.step, train: ev[0], val: ev[1] });
    [pending, evalPending] = [[], null];
    return ev;
  };
  const save = async () => {
    await Deno.mkdir(join(run.ckptPath, ".."), { recursive: true });
    await saveCheckpoint(run.ckptPath, info, model, optimizer, g.getState());
    if (info.history.train.length > 0) await plot(run).save(run.plotPath);
  };

  const started = performance.now(), firstStep = info.step;
  let intervalStart = started, intervalSteps = 0;
  if (info.step === 0) {
    evalPending = evaluate();
    const ev = (await flush())!;
    io.out(evalLine(0, t.maxIters, ev[0], ev[1]));
    intervalStart = performance.now();
  }
  while (info.step < t.maxIters) {
    lr = learningRateAt(info.step, t);
    for (const group of optimizer.paramGroups) group.lr = lr;
    const [x, y] = batch(data.train);
    const loss = tidy(() => {
      const { loss } = model.forward(x, y);
      loss!.backward();
      if (t.gradClip > 0) clipGradNormTensor(params, t.gradClip);
      optimizer.step();
      optimizer.zeroGrad();
      return loss!.detach(); // the value only: holding the graph would keep every activation
    });
    x.dispose();
    y.dispose();
    pending.push(loss);
    info.step++;
    intervalSteps++;
    const isEval = info.step % t.evalInterval === 0 || info.step === t.maxIters;
    if (info.step % t.logInterval === 0 || isEval) {
      const stepsEnd = performance.now(); // on the CPU the steps are done; a GPU finishes at the readback
      if (isEval) evalPending = evaluate();
      const ev = await flush();
      const msPerStep = (stepsEnd - intervalStart) / intervalSteps;
      const lossNow = info.history.train[info.history.train.length - 1];
      const tokensPerStep = t.batchSize * blockSize;
      io.out(
        progressLine({
          step: info.step,
          maxIters: t.maxIters,
          loss: lossNow,
          lr,
          msPerStep,
          tokensPerStep,
        }),
      );
      if (ev) {
        await save();
        io.out(`${evalLine(info.step, t.maxIters, ev[0], ev[1])}  (saved ${run.ckptPath})`);
      }
      [intervalStart, intervalSteps] = [performance.now(), 0];
    }
    io.onStep?.(info.step);
    await yieldToEventLoop(); // lets a Ctrl-C in
    if (io.interrupt?.aborted && info.step < t.maxIters) {
      await flush();
      await save();
      io.out(
        `interrupted at step ${info.step}: saved ${run.ckptPath}; continue with ` +
          `\`deno task train --out-dir ${join(run.ckptPath, "..")} --resume\``,
      );
      return 130;
    }
  }
  const seconds = (performance.now() - started) / 1000, steps = info.step - firstStep;
  const best = info.history.evals.reduce((a, b) => (b.val < a.val ? b : a));
  io.out(
    `done: ${steps} steps in ${formatDuration(seconds)} (${
      (seconds * 1000 / Math.max(steps, 1)).toFixed(1)
    } ms/step ` +
      `with evaluations); best val loss ${best.val.toFixed(4)} at step ${best.step}; ` +
      `loss plot ${run.plotPath}`,
  );
  io.out(`sample from it: deno task sample --out-dir ${join(run.ckptPath, "..")}`);
  return 0;
}

/** The loss curve: every step's train loss, and the evaluations of both splits. */
export function plot(run: Pick<Run, "info" | "data">) {
  const { history, preset } = run.info;
  const steps = history.train.map((_, i) => i + 1);
  const evalSteps = history.evals.map((e) => e.step);
  return linePlot({
    series: [
      { x: steps, y: history.train, label: "train (each step)" },
      { x: evalSteps, y: history.evals.map((e) => e.train), label: "train (evaluation)" },
      { x: evalSteps, y: history.evals.map((e) => e.val), label: "val (evaluation)" },
    ],
    title: `GPT (${preset}) on ${run.data.source}`,
    xLabel: "step",
    yLabel: "cross-entropy loss",
  });
}
