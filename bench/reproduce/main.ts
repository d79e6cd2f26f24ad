/**
 * Lecture reproductions at full scale: `deno task reproduce <lecture>`.
 *
 *   deno task reproduce 03             kata 03 (also `fit`): y = x² by random search, GD and Adam
 *   deno task reproduce 04             makemore part 1 with kata 04's code (yours; --solution for the
 *                                      reference): counts, samples, neural bigram, the count figure
 *   deno task reproduce bigram         makemore part 1 with the library alone
 *   deno task reproduce mlp            makemore part 2 with the library: 200,000 SGD steps
 *   deno task reproduce mlp --steps 20000
 *   deno task reproduce 05             kata 05 (makemore part 2) with your code, 200,000 steps,
 *                                      figures; `--solution` runs the reference instead
 *   deno task reproduce 06             kata 06 (makemore part 3): init stages, the BatchNorm'd MLP
 *                                      (200,000 steps), the deep network (1,001 steps) and its
 *                                      diagnostics, figures; `--solution`, `--loss-log`
 *   deno task reproduce 07             kata 07 (makemore part 4): exercise 1's gradient table,
 *                                      exercises 2-3, 200,000 steps with the manual backward
 *   deno task reproduce 08             kata 08 (makemore part 5, the WaveNet): both models at init,
 *                                      the flat and the hierarchical network, 200,000 steps each;
 *                                      `--solution`, `--steps N`, `--only flat|hierarchical`
 *   deno task reproduce 09             kata 09 (the GPT lecture up to multi-head attention) with
 *                                      your code: the notebook's numbers, bigram.py, the first
 *                                      attention model, figures; `--solution` for the reference
 *   deno task reproduce 11             kata 11 (the GPT tokenizer) with your code: Basic and Regex
 *                                      trained on taylorswift.txt to vocab 512 beside minbpe, the
 *                                      GPT-4 tokenizer beside tiktoken; `--solution`, `--vocab N`
 *   deno task reproduce 12             kata 12 (GPT in 60 lines) with your code on the real GPT-2
 *                                      124M (also `deno task gpt2 "prompt"`): greedy, with and
 *                                      without the KV cache, beside picoGPT; `--solution`, `--download`
 *   deno task reproduce 14             kata 14 (microgpt): Karpathy's published run line for line,
 *                                      1,000 steps and 20 samples; `--solution` for the reference
 *   deno task reproduce 10             kata 10 (the GPT) with your code: parameter counts, the
 *                                      lecture's small config (5,000 steps), nanoGPT's baby run
 *                                      with nn.GPT; `--solution`, `--only small|baby`
 *
 * Each prints katagrad's figures beside the lecture's, with steps/s and wall
 * time. These runs take minutes; the test suite runs short versions
 * (bench/reproduce/*_test.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { reproduceBigram } from "./bigram.ts";
import { reproduceFit } from "./fit.ts";
import { reproduceKata04 } from "./kata04.ts";
import { reproduceMlp } from "./mlp.ts";
import { reproduceKata05 } from "./kata05.ts";
import { reproduceKata06 } from "./kata06.ts";
import { reproduceKata07 } from "./kata07.ts";
import { reproduceKata08 } from "./kata08.ts";
import { reproduceKata09 } from "./kata09.ts";
import { reproduceKata11 } from "./kata11.ts";
import { reproduceKata12 } from "./kata12.ts";
import { reproduceKata14 } from "./kata14.ts";
import { reproduceKata10 } from "./kata10.ts";

const LECTURES: Record<string, (args: string[]) => Promise<void>> = {
  "03": reproduceFit,
  fit: reproduceFit,
  "04": reproduceKata04,
  bigram: reproduceBigram,
  "05": reproduceKata05,
  mlp: reproduceMlp,
  "06": reproduceKata06,
  "07": reproduceKata07,
  "08": reproduceKata08,
  "09": reproduceKata09,
  "11": reproduceKata11,
  "12": reproduceKata12,
  "14": reproduceKata14,
  "10": reproduceKata10,
};

if (import.meta.main) {
  const { positionals } = parseArgs({ args: Deno.args, strict: false, allowPositionals: true });
  const name = positionals[0];
  const run = name === undefined ? undefined : LECTURES[name];
  if (run === undefined) {
    console.error(
      `Cannot reproduce ${JSON.stringify(name ?? "")}: known lectures: ${
        Object.keys(LECTURES).join(", ")
      }`,
    );
    Deno.exit(2);
  }
  await run(Deno.args.slice(1));
}
