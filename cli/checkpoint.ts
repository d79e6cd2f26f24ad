/**
 * The training checkpoint: one safetensors file with the model's weights (`model.<name>`), the
 * AdamW moments (`optimizer.state.<i>.<key>`), and in its metadata the config, the training
 * settings, the vocabulary, the step, the optimizer's step counts and groups, the generator's
 * state (batches and dropout masks continue where they stopped) and the loss history. Written
 * atomically (a temporary file, then a rename), so a crash or Ctrl-C never leaves half a file.
 *
 * @module
 */

import { loadSafetensors, SafetensorsError, saveSafetensors } from "../core/io/safetensors.ts";
import { fromSafetensors, toSafetensors } from "../core/nn/checkpoint.ts";
import type { GPTConfig, GPTPresetName, GPTTrainConfig } from "../core/nn/gpt_config.ts";
import type { GPT } from "../core/nn/gpt.ts";
import type { AdamW } from "../core/optim/adam.ts";
import {
  optimizerStateFromTensors,
  optimizerStateToTensors,
} from "../core/optim/optimizer_state.ts";
import type { GeneratorState } from "../core/random/generator.ts";
import type { Tensor } from "../core/tensor.ts";
import { CliError } from "./flags.ts";

/** The format tag in the metadata. */
export const CHECKPOINT_FORMAT = "katagrad-gpt-train/1";

/** The losses of a run so far. */
export interface LossHistory {
  /** The training loss of every step (index s − 1 for step s). */
  train: number[];
  /** Each evaluation: the step and the mean losses of both splits. */
  evals: { step: number; train: number; val: number }[];
}

/** What a checkpoint holds besides the tensors. */
export interface CheckpointInfo {
  /** The model's shape. */
  config: GPTConfig;
  /** The training settings of the run. */
  train: GPTTrainConfig;
  /** The preset the run started from. */
  preset: GPTPresetName;
  /** The run's seed. */
  seed: number;
  /** The characters, id order. */
  vocab: string[];
  /** Where the text came from and its sha256. */
  data: { source: string; sha256: string };
  /** Steps done. */
  step: number;
  /** The device it trained on. */
  device: string;
  /** The loss history. */
  history: LossHistory;
}

/** A loaded checkpoint: its info, the model's tensors, the optimizer's state, the generator's. */
export interface LoadedCheckpoint {
  /** The metadata. */
  info: CheckpointInfo;
  /** The model's state dict (on the default device). */
  model: Record<string, Tensor>;
  /** The optimizer's state tensors and JSON, for `optimizerStateFromTensors`. */
  optimizer: { tensors: Record<string, Tensor>; json: string };
  /** The generator's state. */
  generator: GeneratorState;
}

/**
 * Writes a checkpoint atomically.
 *
 * @param path the file
 * @param info the metadata
 * @param model the model
 * @param optimizer its optimizer
 * @param generator the run's generator state
 * @returns when written
 */
export async function saveCheckpoint(
  path: string,
  info: CheckpointInfo,
  model: GPT,
  optimizer: AdamW,
  generator: GeneratorState,
): Promise<void> {
  const opt = optimizerStateToTensors(optimizer.stateDict());
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(model.stateDict())) tensors[`model.${k}`] = t;
  for (const [k, t] of Object.entries(opt.tensors)) tensors[`optimizer.${k}`] = t;
  const records = await toSafetensors(tensors);
  for (const t of Object.values(opt.tensors)) t.dispose();
  await saveSafetensors(path, records, {
    format: CHECKPOINT_FORMAT,
    info: JSON.stringify(info),
    optimizer: opt.json,
    generator: JSON.stringify({
      seed: generator.seed.toString(),
      words: Array.from(generator.engine.words),
      index: generator.engine.index,
      nextNormal: generator.nextNormal,
    }),
  });
}

/**
 * Reads a checkpoint.
 *
 * @param path the file
 * @returns its contents (tensors on the default device)
 * @throws {CliError} when the file is missing or is not a katagrad training checkpoint
 */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let file;
  try {
    file = await loadSafetensors(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CliError(
        `no checkpoint at ${path}: train one with \`deno task train\` (or give its folder ` +
          `with --out-dir)`,
        1,
      );
    }
    if (e instanceof SafetensorsError) {
      throw new CliError(`${path} is not a valid safetensors file (${e.message})`, 1);
    }
    throw e;
  }
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) {
    throw new CliError(
      `${path} is not a katagrad training checkpoint (its metadata has no format ` +
        `${JSON.stringify(CHECKPOINT_FORMAT)}); give a file written by \`deno task train\``,
      1,
    );
  }
  const tensors = fromSafetensors(file.tensors);
  const model: Record<string, Tensor> = {}, opt: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith("model.")) model[k.slice(6)] = t;
    else if (k.startsWith("optimizer.")) opt[k.slice(10)] = t;
  }
  const g = JSON.parse(meta.generator);
  return {
    info: JSON.parse(meta.info),
    model,
    optimizer: { tensors: opt, json: meta.optimizer },
    generator: {
      seed: BigInt(g.seed),
      engine: { words: Uint32Array.from(g.words), index: g.index },
      nextNormal: g.nextNormal,
    },
  };
}

/**
 * Loads a checkpoint's optimizer state into an optimizer.
 *
 * @param optimizer the optimizer of a model of the checkpoint's shape
 * @param saved the checkpoint's optimizer part
 */
export function restoreOptimizer(optimizer: AdamW, saved: LoadedCheckpoint["optimizer"]): void {
  optimizer.loadStateDict(optimizerStateFromTensors(saved.tensors, saved.json));
}
