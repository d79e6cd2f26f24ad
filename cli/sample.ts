/**
 * `deno task sample`: loads a checkpoint written by `deno task train` and prints text sampled
 * from it (nanoGPT's sample.py). `deno task sample --help` lists the flags.
 *
 *   deno task sample                                   # runs/baby/ckpt.safetensors
 *   deno task sample --out-dir runs/small --prompt "ROMEO:" --tokens 300 --temperature 0.8
 *
 * @module
 */

import { join } from "node:path";
import { ShapeError } from "../core/errors.ts";
import { CharVocab } from "../core/data/vocab.ts";
import { GPT } from "../core/nn/gpt.ts";
import { StateDictError } from "../core/nn/state_dict.ts";
import { fromTyped } from "../core/ops/creation.ts";
import { Generator } from "../core/random/generator.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { type CliIO, runAsProcess } from "./cli_io.ts";
import { chooseDevice } from "./device_choice.ts";
import { CliError, flagHelp, type FlagSpec, parseFlags } from "./flags.ts";

const FLAGS: Record<string, FlagSpec> = {
  outDir: { kind: "string", help: "the run's folder (default runs/baby)" },
  ckpt: { kind: "string", help: "the checkpoint file (default <out-dir>/ckpt.safetensors)" },
  prompt: { kind: "string", help: 'text to continue (default "\\n")' },
  tokens: { kind: "int", min: 0, alias: "max-new-tokens", help: "characters to add (500)" },
  temperature: { kind: "number", min: 0, help: "> 0; below 1 sharper, above 1 flatter (0.8)" },
  topK: { kind: "int", min: 0, help: "sample among the k likeliest (200; 0: all)" },
  numSamples: { kind: "int", min: 1, help: "how many samples (1)" },
  seed: { kind: "int", min: 0, help: "seed of the draws (1337)" },
  device: { kind: "choice", choices: ["auto", "cpu", "webgpu"], help: "where to run (auto)" },
  help: { kind: "switch", help: "print this help" },
};

/** `deno task sample --help`. */
export const SAMPLE_HELP = `deno task sample [flags]: print text sampled from a trained GPT

${flagHelp(FLAGS)}`;

/**
 * The command.
 *
 * @param args the command line
 * @param io the terminal
 * @returns the exit code
 * @throws {CliError} for bad flags, a missing or foreign checkpoint, or a prompt with
 *   characters the model never saw
 */
export async function sample(args: string[], io: CliIO): Promise<number> {
  const f = parseFlags("sample", args, FLAGS);
  if (f.help) {
    io.out(SAMPLE_HELP);
    return 0;
  }
  const temperature = (f.temperature as number | undefined) ?? 0.8;
  if (!(temperature > 0)) {
    throw new CliError(`--temperature must be a number > 0, got ${temperature}`);
  }
  const prompt = (f.prompt as string | undefined) ?? "\n";
  if (prompt.length === 0) throw new CliError(`--prompt must have at least one character`);
  const path = (f.ckpt as string | undefined) ??
    join((f.outDir as string | undefined) ?? "runs/baby", "ckpt.safetensors");
  await chooseDevice((f.device ?? "auto") as "auto" | "cpu" | "webgpu");
  const { info, model: weights } = await loadCheckpoint(path);
  const vocab = new CharVocab(info.vocab);
  const unknown = [...new Set(prompt)].filter((ch) => !(ch in vocab.stoi));
  if (unknown.length > 0) {
    throw new CliError(
      `--prompt has characters the model never saw: ${
        unknown.map((c) => JSON.stringify(c)).join(", ")
      }; ` +
        `it knows ${JSON.stringify(vocab.itos.join(""))}`,
    );
  }
  const model = new GPT(info.config, { generator: new Generator(0) });
  try {
    model.loadStateDict(weights);
  } catch (e) {
    if (e instanceof ShapeError || e instanceof StateDictError) {
      throw new CliError(`${path} does not match the model its config describes: ${e.message}`, 1);
    }
    throw e;
  }
  model.eval();
  const topK = (f.topK as number | undefined) ?? 200;
  const generator = new Generator((f.seed as number | undefined) ?? 1337);
  const ids = vocab.encode(prompt);
  for (let i = 0; i < ((f.numSamples as number | undefined) ?? 1); i++) {
    const idx = fromTyped(ids, [1, ids.length]); // (1, T)
    const out = await model.generate(idx, (f.tokens as number | undefined) ?? 500, {
      temperature,
      topK: topK === 0 ? null : topK,
      generator,
    });
    io.out(vocab.decode(await out.data()));
    io.out("---------------");
    out.dispose();
  }
  return 0;
}

if (import.meta.main) await runAsProcess(sample);
