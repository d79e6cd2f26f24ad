/**
 * The settings of `deno task train`: a preset (model shape and training hyper-parameters), every
 * field of both overridable by a flag, and where the data, checkpoint and device come from.
 *
 * @module
 */

import {
  GPT_PRESETS,
  type GPTConfig,
  type GPTPresetName,
  type GPTTrainConfig,
} from "../core/nn/gpt_config.ts";
import { CliError, flagHelp, type FlagSpec, type FlagValues, kebab, parseFlags } from "./flags.ts";

/** The model fields a flag may set (vocabSize comes from the data). */
export type ModelSettings = Omit<GPTConfig, "vocabSize">;

/** Everything a training run needs to know. */
export interface TrainSettings {
  /** The preset the defaults came from. */
  preset: GPTPresetName;
  /** A UTF-8 text file, or null for Tiny Shakespeare. */
  data: string | null;
  /** Where the checkpoint and the loss plot go. */
  outDir: string;
  /** auto: WebGPU on a hardware adapter, else the CPU. */
  device: "auto" | "cpu" | "webgpu";
  /** Continue the checkpoint in outDir. */
  resume: boolean;
  /** Seeds the generator of init, batches and dropout. */
  seed: number;
  /** The model's shape. */
  model: ModelSettings;
  /** The training hyper-parameters (lrDecayIters resolved: 0 means maxIters). */
  train: GPTTrainConfig;
  /** The flags given on the command line, by field. */
  given: FlagValues;
}

const MODEL_FLAGS: Record<keyof ModelSettings, FlagSpec> = {
  blockSize: { kind: "int", min: 1, help: "context length T" },
  nLayer: { kind: "int", min: 1, help: "transformer blocks" },
  nHead: { kind: "int", min: 1, help: "attention heads (n-embd must be a multiple)" },
  nEmbd: { kind: "int", min: 1, help: "embedding width C" },
  dropout: { kind: "number", min: 0, below: 1, help: "dropout probability" },
  bias: { kind: "bool", help: "biases in Linears and LayerNorms" },
};

const TRAIN_FLAGS: Record<keyof GPTTrainConfig, FlagSpec> = {
  batchSize: { kind: "int", min: 1, help: "sequences per step B" },
  maxIters: { kind: "int", min: 1, alias: "steps", help: "optimizer steps in the whole run" },
  learningRate: { kind: "number", min: 0, alias: "lr", help: "peak learning rate" },
  decayLr: { kind: "bool", help: "warm up, then cosine decay to min-lr (nanoGPT's get_lr)" },
  warmupIters: { kind: "int", min: 0, help: "steps of linear warmup" },
  lrDecayIters: { kind: "int", min: 0, help: "step where the decay ends (0: max-iters)" },
  minLr: { kind: "number", min: 0, help: "learning rate at the end of the decay" },
  beta1: { kind: "number", min: 0, below: 1, help: "AdamW beta1" },
  beta2: { kind: "number", min: 0, below: 1, help: "AdamW beta2" },
  weightDecay: { kind: "number", min: 0, help: "AdamW weight decay (>= 2-d parameters)" },
  gradClip: { kind: "number", min: 0, help: "clip the gradient norm to this (0: off)" },
  evalInterval: { kind: "int", min: 1, help: "steps between evaluations and checkpoints" },
  evalIters: { kind: "int", min: 1, help: "batches per split in an evaluation" },
  logInterval: { kind: "int", min: 1, help: "steps between progress lines" },
};

const RUN_FLAGS: Record<string, FlagSpec> = {
  preset: { kind: "choice", choices: Object.keys(GPT_PRESETS), help: "defaults (baby)" },
  data: { kind: "string", help: "a UTF-8 text file (default: Tiny Shakespeare)" },
  outDir: { kind: "string", help: "checkpoint and plot folder (default runs/<preset>)" },
  device: { kind: "choice", choices: ["auto", "cpu", "webgpu"], help: "where to train (auto)" },
  resume: { kind: "switch", help: "continue the checkpoint in --out-dir" },
  seed: { kind: "int", min: 0, help: "seed of init, batches and dropout (1337; kept on --resume)" },
  help: { kind: "switch", help: "print this help" },
};

const TABLE = { ...RUN_FLAGS, ...MODEL_FLAGS, ...TRAIN_FLAGS };

/** The model fields, in config order. */
export const MODEL_FIELDS = Object.keys(MODEL_FLAGS) as (keyof ModelSettings)[];

/** `deno task train --help`. */
export const TRAIN_HELP =
  `deno task train [flags]: train a character-level GPT (Tiny Shakespeare by default)

Presets: ${
    Object.entries(GPT_PRESETS).map(([n, p]) => `${n} (${p.description})`).join("; ")
  }. Every model and training setting below overrides the preset's.

${flagHelp(TABLE)}`;

/**
 * Parses the flags of `deno task train` into settings.
 *
 * @param args the command line
 * @returns the settings, or "help"
 * @throws {CliError} for an unknown flag or preset, a value out of range, or an n-embd that
 *   n-head does not divide
 */
export function parseTrainArgs(args: string[]): TrainSettings | "help" {
  const given = parseFlags("train", args, TABLE);
  if (given.help) return "help";
  const preset = (given.preset ?? "baby") as GPTPresetName;
  const pick = <T extends object>(defaults: T): T => {
    const out = { ...defaults } as Record<string, unknown>;
    for (const k of Object.keys(defaults)) if (k in given) out[k] = given[k];
    return out as T;
  };
  const settings: TrainSettings = {
    preset,
    data: (given.data as string | undefined) ?? null,
    outDir: (given.outDir as string | undefined) ?? `runs/${preset}`,
    device: (given.device ?? "auto") as TrainSettings["device"],
    resume: given.resume === true,
    seed: (given.seed as number | undefined) ?? 1337,
    model: pick(GPT_PRESETS[preset].model),
    train: pick(GPT_PRESETS[preset].train),
    given,
  };
  if (!settings.resume) checkTrainSettings(settings); // a resume checks after merging the checkpoint's
  return settings;
}

/**
 * Checks the settings that depend on each other (also after a resume merged a checkpoint's).
 *
 * @param s the settings
 * @throws {CliError} naming the flags to change
 */
export function checkTrainSettings(s: TrainSettings): void {
  const { model: m } = s;
  if (m.nEmbd % m.nHead !== 0) {
    throw new CliError(
      `--n-embd ${m.nEmbd} is not a multiple of --n-head ${m.nHead}: each head gets ` +
        `n-embd / n-head features; change one of them`,
    );
  }
}

/**
 * The flag that sets a field, for messages.
 *
 * @param field a camelCase field
 * @returns `--n-embd`
 */
export function flagOf(field: string): string {
  return `--${kebab(field)}`;
}
