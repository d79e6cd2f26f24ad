/**
 * `deno task gpt2 ["prompt"]` (also `deno task reproduce 12`): kata 12's
 * GPT-2 — your functions, or the reference with `--solution` — on the real
 * GPT-2 124M weights, greedy, with and without your KV cache, beside picoGPT's
 * output for its README's prompt.
 *
 * The weights are Hugging Face's `gpt2` `model.safetensors` (548 MB), found
 * like a data set: `--weights PATH`, else `$KATAGRAD_DATA/gpt2-124m.safetensors`,
 * else the user cache; `--download` fetches them into the cache, checked
 * against their sha256. The text goes through the library's GPT-2 tokenizer
 * (`r50k_base`); `--ids 1,2,3` gives token ids instead, for models without it.
 *
 * Options: `--solution`, `--tokens N` (40), `--heads N` (12), `--weights PATH`,
 * `--download`, `--ids LIST`, `--no-compare` (skip the run without the cache).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  DatasetNotFoundError,
  datasetPath,
  loadEncoding,
  loadSafetensors,
  noGrad,
} from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerModel from "../../katas/12/transformer.ts";
import * as learnerWeights from "../../katas/12/weights.ts";
import * as learnerCache from "../../katas/12/with_kv_cache.ts";
import * as referenceModel from "../../solutions/12/transformer.ts";
import * as referenceWeights from "../../solutions/12/weights.ts";
import * as referenceCache from "../../solutions/12/with_kv_cache.ts";

/** picoGPT's README prompt and GPT-2 124M's greedy continuation of it (`../shared/LECTURES.md` §7). */
export const PICOGPT = {
  prompt: "Alan Turing theorized that computers would one day become",
  promptIds: [36235, 39141, 18765, 1143, 326, 9061, 561, 530, 1110, 1716],
  continuation: [
    262,
    749,
    3665,
    8217,
    319,
    262,
    5440,
    13,
    198,
    198,
    464,
    3644,
    318,
    257,
    4572,
    326,
    460,
    1620,
    3716,
    16765,
    11,
    290,
    340,
    460,
    1620,
    777,
    16765,
    287,
    257,
    835,
    326,
    318,
    845,
    2092,
    284,
    262,
    1692,
    3632,
    13,
  ],
} as const;

type Kata = typeof referenceModel & typeof referenceWeights & typeof referenceCache;

/** What one generation run gives. */
export interface Gpt2Run {
  /** the prompt's ids */
  prompt: number[];
  /** the generated ids (with the KV cache) */
  ids: number[];
  /** tokens per second with the KV cache */
  cachedTokensPerSecond: number;
  /** the same without the cache, unless skipped; and whether the tokens agreed */
  uncached?: { tokensPerSecond: number; same: boolean };
  /** the hyper-parameters read off the file */
  hparams: { nVocab: number; nCtx: number; nEmbd: number; nHead: number; nLayer: number };
}

/**
 * Loads a GPT-2 checkpoint and generates greedily, timing the KV cache against
 * the full re-run.
 *
 * @param kata the functions to run (the learner's or the reference's)
 * @param weights path of a Hugging Face GPT-2 safetensors file
 * @param prompt token ids
 * @param o heads, tokens, whether to compare with the uncached run
 * @returns the ids and timings
 */
export async function runGpt2(
  kata: Kata,
  weights: string,
  prompt: number[],
  o: { heads: number; tokens: number; compare: boolean },
): Promise<Gpt2Run> {
  const file = await loadSafetensors(weights);
  const hparams = kata.hparamsOf(file, o.heads);
  const params = kata.gpt2Params(file, hparams.nLayer);
  if (prompt.length + o.tokens > hparams.nCtx) {
    throw new RangeError(
      `the prompt (${prompt.length} tokens) plus ${o.tokens} new ones exceeds the context of ` +
        `${hparams.nCtx}`,
    );
  }
  return noGrad(() => {
    // one token each way first, so neither timing includes compiling the kernels
    kata.generateCached(prompt, params, o.heads, 1);
    if (o.compare) kata.generate(prompt, params, o.heads, 1);
    let t0 = performance.now();
    const ids = kata.generateCached(prompt, params, o.heads, o.tokens);
    const cachedTokensPerSecond = o.tokens / ((performance.now() - t0) / 1000);
    let uncached;
    if (o.compare) {
      t0 = performance.now();
      const plain = kata.generate(prompt, params, o.heads, o.tokens);
      uncached = {
        tokensPerSecond: o.tokens / ((performance.now() - t0) / 1000),
        same: plain.length === ids.length && plain.every((t, i) => t === ids[i]),
      };
    }
    return { prompt, ids, cachedTokensPerSecond, uncached, hparams };
  });
}

/**
 * The command: parses options, finds the weights and the tokenizer, runs and prints.
 *
 * @param args the command-line arguments (after `12` for `reproduce`)
 */
export async function reproduceKata12(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      solution: { type: "boolean", default: false },
      tokens: { type: "string", default: "40" },
      heads: { type: "string", default: "12" },
      weights: { type: "string" },
      download: { type: "boolean", default: false },
      ids: { type: "string" },
      "no-compare": { type: "boolean", default: false },
    },
  });
  const fail = (msg: string, code = 2): never => {
    console.error(`gpt2: ${msg}`);
    Deno.exit(code);
  };
  const tokens = Number(values.tokens), heads = Number(values.heads);
  if (!Number.isInteger(tokens) || tokens < 1) {
    fail(`--tokens must be a positive integer, got ${values.tokens}`);
  }
  if (!Number.isInteger(heads) || heads < 1) {
    fail(`--heads must be a positive integer, got ${values.heads}`);
  }
  const kata =
    (values.solution
      ? { ...referenceModel, ...referenceWeights, ...referenceCache }
      : { ...learnerModel, ...learnerWeights, ...learnerCache }) as Kata;

  let weights = values.weights;
  if (weights === undefined) {
    try {
      weights = await datasetPath("gpt2-124m", { download: values.download });
    } catch (e) {
      if (!(e instanceof DatasetNotFoundError)) throw e;
      fail(
        `GPT-2 124M's weights are not here (${e.message.split("\n")[0]}).\n` +
          `Get them with \`deno task gpt2 --download\` (548 MB from huggingface.co, checked against ` +
          `their sha256), put Hugging Face's gpt2 model.safetensors at ` +
          `$KATAGRAD_DATA/gpt2-124m.safetensors, or pass --weights PATH.`,
        1,
      );
    }
  }

  const text = positionals.join(" ") || PICOGPT.prompt;
  let prompt: number[];
  let decode = (ids: number[]) => ids.join(", ");
  if (values.ids !== undefined) {
    prompt = values.ids.split(",").map((s) => Number(s.trim()));
    if (!prompt.every((t) => Number.isInteger(t) && t >= 0)) {
      fail(`--ids must be token ids separated by commas, got ${values.ids}`);
    }
  } else {
    const tok = await loadEncoding("r50k_base");
    prompt = tok.encode(text);
    decode = (ids) => JSON.stringify(tok.decode(ids));
  }

  const who = values.solution ? "the reference (solutions/12)" : "your code (katas/12)";
  let run: Gpt2Run;
  try {
    run = await runGpt2(kata, weights!, prompt, { heads, tokens, compare: !values["no-compare"] });
  } catch (e) {
    if (e instanceof KataTodo && !values.solution) {
      fail(
        `kata 12 is not finished: ${e.message.split("\n")[0]}\n` +
          `Finish it (deno task kata 12), or run the reference: deno task gpt2 --solution`,
        1,
      );
    }
    if (e instanceof RangeError) fail(e.message);
    throw e;
  }
  const h = run.hparams;
  console.log(
    `GPT-2 with ${who}: ${h.nLayer} layers, ${h.nHead} heads, n_embd ${h.nEmbd}, ` +
      `vocabulary ${h.nVocab}, context ${h.nCtx} (${weights})`,
  );
  console.log(`prompt (${prompt.length} tokens): ${decode(prompt)}`);
  console.log(`greedy continuation (${tokens} tokens): ${decode(run.ids)}`);
  console.log(`with the KV cache: ${run.cachedTokensPerSecond.toFixed(2)} tokens/s on the CPU`);
  if (run.uncached) {
    console.log(
      `without it (picoGPT's way): ${run.uncached.tokensPerSecond.toFixed(2)} tokens/s ` +
        `(the cache's speed-up: ${
          (run.cachedTokensPerSecond / run.uncached.tokensPerSecond).toFixed(2)
        }×); ` +
        `same tokens: ${run.uncached.same ? "yes" : "NO"}`,
    );
  }
  const expected = PICOGPT.continuation.slice(0, tokens);
  if (prompt.join() === PICOGPT.promptIds.join() && h.nLayer === 12) {
    const same = expected.filter((t, i) => run.ids[i] === t).length;
    console.log(
      `picoGPT's continuation of this prompt: ${same} of ${expected.length} tokens the same` +
        (same === expected.length ? " — exactly picoGPT's output" : ""),
    );
  }
}

if (import.meta.main) await reproduceKata12(Deno.args);
