/**
 * `deno task reproduce 11`: minbpe's `train.py` and its GPT-4 check with kata
 * 11's code — the learner's (katas/11) by default, the reference
 * (solutions/11) with `--solution`:
 *
 * 1. BasicTokenizer and RegexTokenizer (GPT-4 pattern) trained on
 *    taylorswift.txt to vocab 512: token count, bytes per token, the first five
 *    and the last merge, wall time — beside minbpe's figures (recomputed by
 *    testdata/gen_kata11.py) and its quoted times on the 2-core build machine;
 * 2. the GPT-4 tokenizer from cl100k_base's ranks: the merges recovered, and
 *    the ids of taylorswift.txt and tinyshakespeare.txt against tiktoken
 *    (npm js-tiktoken), with the encoding throughput of both.
 *
 * Options: `--solution`, `--vocab N` (512).
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { loadDataset } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import { MINBPE, TAYLOR } from "../../katas/11/_checks.ts";
import * as learnerBasic from "../../katas/11/basic.ts";
import * as learnerGpt4 from "../../katas/11/gpt4.ts";
import * as learnerRegex from "../../katas/11/regex.ts";
import * as referenceBasic from "../../solutions/11/basic.ts";
import * as referenceGpt4 from "../../solutions/11/gpt4.ts";
import * as referenceRegex from "../../solutions/11/regex.ts";

/** minbpe's own times to vocab 512 on taylorswift.txt on the 2-core build machine (issue 14). */
export const MINBPE_SECONDS = { basic: 8.4, regex: 11.7 } as const;

/** What one training run gives. */
export interface TrainFigures {
  /** Tokens of taylorswift.txt after training. */
  tokens: number;
  /** The merges as `"a,b"`, in order. */
  merges: string[];
  /** Wall seconds of `train`. */
  seconds: number;
  /** CPU seconds of `train` (user + system; the honest figure on a busy machine). */
  cpuSeconds: number;
}

/**
 * Trains one tokenizer on taylorswift.txt and encodes the text.
 *
 * @param tok a fresh tokenizer
 * @param vocabSize the vocabulary size to reach
 * @returns tokens, merges, seconds
 */
export function trainFigures(
  tok: {
    train(text: string, vocabSize: number): void;
    encode(text: string): number[];
    merges: Map<string, number>;
  },
  vocabSize: number,
): TrainFigures {
  const t0 = performance.now(), c0 = process.cpuUsage();
  tok.train(TAYLOR, vocabSize);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { tokens: tok.encode(TAYLOR).length, merges: [...tok.merges.keys()], seconds, cpuSeconds };
}

const pairs = (ms: readonly string[]) => ms.map((k) => `(${k})`).join(" ");

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `11`
 */
export async function reproduceKata11(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      vocab: { type: "string", default: "512" },
    },
  });
  const vocab = Number(values.vocab);
  const kata = values.solution
    ? { ...referenceBasic, ...referenceRegex, ...referenceGpt4 }
    : { ...learnerBasic, ...learnerRegex, ...learnerGpt4 } as unknown as
      & typeof referenceBasic
      & typeof referenceRegex
      & typeof referenceGpt4;
  const whose = values.solution ? "the reference (solutions/11)" : "your code (katas/11)";
  console.log(`kata 11 with ${whose}: taylorswift.txt, ${MINBPE.taylorswift.bytes} bytes\n`);
  try {
    for (
      const [name, make, expected, seconds] of [
        [
          "BasicTokenizer",
          () => new kata.BasicTokenizer(),
          MINBPE.taylorswift.basic,
          MINBPE_SECONDS.basic,
        ],
        [
          "RegexTokenizer (GPT-4)",
          () => new kata.RegexTokenizer(),
          MINBPE.taylorswift.regex,
          MINBPE_SECONDS.regex,
        ],
      ] as const
    ) {
      const f = trainFigures(make(), vocab);
      const ref = expected.merges.map(([a, b]) => `${a},${b}`);
      const same = vocab === 512 && f.merges.join(" ") === ref.join(" ");
      console.log(`${name}, vocab ${vocab}:`);
      console.log(
        `  tokens ${f.tokens} (${(MINBPE.taylorswift.bytes / f.tokens).toFixed(4)} bytes/token)` +
          (vocab === 512 ? `   minbpe: ${expected.tokens}` : ""),
      );
      console.log(
        `  first merges ${pairs(f.merges.slice(0, 5))}   minbpe: ${pairs(ref.slice(0, 5))}`,
      );
      console.log(`  last merge ${pairs(f.merges.slice(-1))} -> ${255 + f.merges.length}`);
      if (vocab === 512) {
        console.log(`  all ${ref.length} merges as minbpe's: ${same ? "yes" : "NO"}`);
      }
      console.log(
        `  train ${f.seconds.toFixed(2)} s wall, ${f.cpuSeconds.toFixed(2)} s CPU   ` +
          `minbpe (Python): ${seconds} s` +
          (vocab === 512 ? ` (${(seconds / f.seconds).toFixed(0)}x by wall time)` : "") + "\n",
      );
    }
    // Loaded here, not at the top: the rank table is large and the short test does not need it.
    const { cl100kRanks, cl100kTiktoken } = await import("../../katas/11/_cl100k.ts");
    const CL100K_RANKS = cl100kRanks(), tiktoken = cl100kTiktoken();
    let t0 = performance.now();
    const gpt4 = new kata.GPT4Tokenizer(CL100K_RANKS);
    console.log(
      `GPT4Tokenizer: ${gpt4.merges.size} merges recovered from cl100k_base in ` +
        `${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    for (
      const [name, text] of [["taylorswift", TAYLOR], [
        "tinyshakespeare",
        await loadDataset("tinyshakespeare"),
      ]]
    ) {
      const mb = new TextEncoder().encode(text).length / 1e6;
      t0 = performance.now();
      const ours = gpt4.encode(text);
      const oursS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const theirs = tiktoken.encode(text);
      const theirsS = (performance.now() - t0) / 1000;
      const same = ours.length === theirs.length && ours.every((id, i) => id === theirs[i]);
      console.log(
        `  ${name}: ${ours.length} tokens, ids ${same ? "equal" : "DIFFERENT from"} tiktoken's; ` +
          `encode ${(mb / oursS).toFixed(2)} MB/s, js-tiktoken ${(mb / theirsS).toFixed(2)} MB/s`,
      );
    }
  } catch (e) {
    if (!(e instanceof KataTodo)) throw e;
    console.log(`${e.message}\n(run with --solution for the reference)`);
  }
}
