/**
 * `deno task train`: trains a character-level GPT (Tiny Shakespeare by default) and writes a
 * checkpoint and a loss plot to `runs/<preset>/`. `deno task train --help` lists the flags.
 *
 *   deno task train                              # nanoGPT's baby config, 2,000 steps
 *   deno task train --preset baby --steps 200    # a short run
 *   deno task train --preset small --resume      # continue runs/small/ckpt.safetensors
 *   deno task train --data my.txt --n-layer 2 --out-dir runs/mine
 *
 * Everything the run is given is checked before anything is written: bad input gets one line
 * that says what to do, and an existing checkpoint is never overwritten by a new run.
 *
 * @module
 */

import { join } from "node:path";
import { GPT } from "../core/nn/gpt.ts";
import { StateDictError } from "../core/nn/state_dict.ts";
import { Generator } from "../core/random/generator.ts";
import { ShapeError } from "../core/errors.ts";
import {
  type CheckpointInfo,
  loadCheckpoint,
  type LoadedCheckpoint,
  restoreOptimizer,
} from "./checkpoint.ts";
import { type CliIO, runAsProcess } from "./cli_io.ts";
import { chooseDevice } from "./device_choice.ts";
import { CliError } from "./flags.ts";
import { loadTextData } from "./text_data.ts";
import { trainLoop } from "./train_loop.ts";
import {
  checkTrainSettings,
  flagOf,
  MODEL_FIELDS,
  parseTrainArgs,
  TRAIN_HELP,
  type TrainSettings,
} from "./train_settings.ts";

/**
 * The command: parse, check, set up (or resume) and train.
 *
 * @param args the command line
 * @param io the terminal
 * @returns the exit code
 * @throws {CliError} for bad input, before anything is written
 */
export async function train(args: string[], io: CliIO): Promise<number> {
  const parsed = parseTrainArgs(args);
  if (parsed === "help") {
    io.out(TRAIN_HELP);
    return 0;
  }
  let s = parsed;
  const ckptPath = join(s.outDir, "ckpt.safetensors");
  const exists = await fileExists(ckptPath);
  if (!s.resume && exists) {
    throw new CliError(
      `${ckptPath} exists: pass --resume to continue that run, or --out-dir <folder> to start ` +
        `another (delete the file to start over)`,
    );
  }
  if (s.resume && !exists) {
    throw new CliError(
      `--resume: no checkpoint at ${ckptPath}; check --out-dir (or drop --resume)`,
    );
  }
  const { device, about } = await chooseDevice(s.device);
  const saved = s.resume ? await loadCheckpoint(ckptPath) : null;
  if (saved) s = mergeResumed(s, saved, ckptPath);
  const data = await loadTextData(s.data, s.model.blockSize);
  if (saved && data.sha256 !== saved.info.data.sha256) {
    throw new CliError(
      `${ckptPath} was trained on ${saved.info.data.source}, and ${data.source} is not that ` +
        `text (its sha256 differs); give the same --data to continue`,
    );
  }
  const config = { ...s.model, vocabSize: data.vocab.size };
  const generator = new Generator(s.seed);
  const model = new GPT(config, { generator });
  const t = s.train;
  const optimizer = model.configureOptimizers({
    weightDecay: t.weightDecay,
    lr: t.learningRate,
    betas: [t.beta1, t.beta2],
  });
  const info: CheckpointInfo = {
    config,
    train: t,
    preset: s.preset,
    seed: s.seed,
    vocab: [...data.vocab.itos],
    data: { source: data.source, sha256: data.sha256 },
    step: 0,
    device,
    history: { train: [], evals: [] },
  };
  if (saved) resume(model, saved, ckptPath, info, generator, optimizer);
  io.out(describeRun(s, info, model, about, ckptPath, data.train.length, data.val.length));
  return await trainLoop(
    { model, optimizer, generator, data, info, ckptPath, plotPath: join(s.outDir, "loss.svg") },
    io,
  );
}

/** Settings of a resumed run: the checkpoint's, with the training flags given now on top. */
function mergeResumed(s: TrainSettings, saved: LoadedCheckpoint, path: string): TrainSettings {
  const { info } = saved;
  const asked = MODEL_FIELDS.filter((f) => f in s.given || "preset" in s.given);
  const differ = asked.filter((f) => s.model[f] !== info.config[f]);
  if (differ.length > 0) {
    const what = differ.map((f) => `${flagOf(f)} ${s.model[f]} (it has ${info.config[f]})`);
    throw new CliError(
      `${path} holds another model than asked for: ${what.join(", ")}; drop those flags to ` +
        `continue it, or train a new model with another --out-dir`,
    );
  }
  const train = { ...info.train };
  for (const k of Object.keys(train) as (keyof typeof train)[]) {
    if (k in s.given) (train as Record<string, unknown>)[k] = s.given[k];
  }
  const { vocabSize: _, ...model } = info.config;
  const merged: TrainSettings = {
    ...s,
    preset: info.preset,
    seed: info.seed,
    data: s.data ?? (info.data.source === "tinyshakespeare" ? null : info.data.source),
    model,
    train,
  };
  checkTrainSettings(merged);
  if (info.step >= train.maxIters) {
    throw new CliError(
      `${path} has done ${info.step} of its ${train.maxIters} steps: raise --steps to train on`,
    );
  }
  return merged;
}

/** Loads the checkpoint's weights, optimizer, generator and history into the new run. */
function resume(
  model: GPT,
  saved: LoadedCheckpoint,
  path: string,
  info: CheckpointInfo,
  generator: Generator,
  optimizer: ReturnType<GPT["configureOptimizers"]>,
): void {
  try {
    model.loadStateDict(saved.model);
    restoreOptimizer(optimizer, saved.optimizer);
  } catch (e) {
    if (e instanceof ShapeError || e instanceof StateDictError) {
      throw new CliError(`${path} does not match the model its config describes: ${e.message}`, 1);
    }
    throw e;
  }
  for (const t of [...Object.values(saved.model), ...Object.values(saved.optimizer.tensors)]) {
    t.dispose();
  }
  generator.setState(saved.generator);
  info.step = saved.info.step;
  info.history = saved.info.history;
}

function describeRun(
  s: TrainSettings,
  info: CheckpointInfo,
  model: GPT,
  about: string,
  ckptPath: string,
  nTrain: number,
  nVal: number,
): string {
  const c = info.config, t = info.train;
  const M = (n: number) => (n >= 1e5 ? `${(n / 1e6).toFixed(2)}M` : n.toLocaleString("en-US"));
  const n = (x: number) => x.toLocaleString("en-US");
  return [
    `${info.step > 0 ? `resuming ${ckptPath} at step ${info.step}` : `training`} on ${about}`,
    `data: ${info.data.source}, ${c.vocabSize} symbols, train ${n(nTrain)} / val ${
      n(nVal)
    } characters`,
    `model (${s.preset}): ${c.nLayer} layers, ${c.nHead} heads, n_embd ${c.nEmbd}, block ${c.blockSize}, ` +
    `dropout ${c.dropout}, bias ${c.bias}: ${M(model.numParameters())} parameters ` +
    `(${
      M(model.numParameters({ nonEmbedding: true }))
    } without position embeddings, as nanoGPT counts)`,
    `training: batch ${t.batchSize}, ${t.maxIters} steps, lr ${t.learningRate}` +
    (t.decayLr ? ` (warmup ${t.warmupIters}, cosine to ${t.minLr})` : "") +
    `, AdamW betas ${t.beta1}/${t.beta2}, weight decay ${t.weightDecay}` +
    (t.gradClip > 0 ? `, clip ${t.gradClip}` : "") + `, checkpoint ${ckptPath}`,
  ].join("\n");
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

if (import.meta.main) await runAsProcess(train);
