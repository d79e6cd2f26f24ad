/**
 * makemore part 1 at the lecture's scale: the count model's NLL, twenty
 * sampled names, and the neural bigram trained for the lecture's 100 steps
 * (lr 50), each beside the lecture's (or PyTorch's) figure.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CharVocab, Generator, loadDataset, randn } from "../../mod.ts";
import {
  bigrams,
  countMatrix,
  countModel,
  neuralBigramStep,
  nll,
  nllFloat32Loop,
  oneHotInputs,
  sampleNames,
} from "./makemore_bigram.ts";

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../../testdata/lectures/makemore.json", import.meta.url)),
).bigram as { names: string[]; neural_loss_100: number };

/**
 * Runs makemore part 1 and prints its figures.
 *
 * @param args `--steps N` neural bigram steps (default 100)
 */
export async function reproduceBigram(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { steps: { type: "string", default: "100" } } });
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(
      `Cannot reproduce bigram: --steps must be a positive integer, got ${steps}`,
    );
  }
  const t0 = performance.now();
  const words = (await loadDataset("names")).split("\n").filter((w) => w.length > 0);
  const vocab = CharVocab.fromText(words.join(""), { boundary: "." });
  const b = bigrams(words, vocab);
  const N = countMatrix(b);
  const P = countModel(N, 1);
  const row = (label: string, ours: number, theirs: string) =>
    console.log(`${label.padEnd(48)}${ours.toFixed(4).padEnd(11)}${theirs}`);
  console.log(`makemore part 1 (bigram): ${words.length} words, ${b.xs.size} bigrams\n`);
  console.log(`${"".padEnd(48)}${"katagrad".padEnd(11)}lecture`);
  row("count model NLL, no smoothing", nll(countModel(N, 0), b), "2.4540");
  row("count model NLL, +1 smoothing", nll(P, b), "2.4546");
  row("  the same summed in float32 (lecture's loop)", nllFloat32Loop(P, b), "2.4544");

  const names = sampleNames(P, new Generator(2147483647), 20, vocab);
  const same = names.filter((n, i) => n === fixture.names[i]).length;
  console.log(`\nsampled with Generator(2147483647): ${names.join(" ")}`);
  console.log(`(${same} of 20 identical to PyTorch's; the lecture shows the first five)`);

  const g = new Generator(2147483647);
  const W = randn([27, 27], { generator: g, requiresGrad: true });
  const xenc = oneHotInputs(b.xs);
  const t1 = performance.now();
  let first = 0, last = 0;
  for (let k = 0; k < steps; k++) {
    last = neuralBigramStep(W, xenc, b.ys, 50);
    if (k === 0) first = last;
  }
  const seconds = (performance.now() - t1) / 1000;
  console.log();
  row("neural bigram, first loss", first, "3.7686");
  row(
    `neural bigram, loss at step ${steps}`,
    last,
    steps === 100 ? `${fixture.neural_loss_100.toFixed(4)} (PyTorch, same code)` : "",
  );
  console.log(
    `\n${steps} neural steps in ${seconds.toFixed(1)} s (${(steps / seconds).toFixed(1)} ` +
      `steps/s); wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
