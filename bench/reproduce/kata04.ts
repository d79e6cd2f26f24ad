/**
 * `deno task reproduce 04`: makemore part 1 at the lecture's scale with kata
 * 04's code — the learner's (katas/04) by default, the reference
 * (solutions/04) with `--solution` — each figure beside the lecture's and
 * PyTorch's (testdata/lectures/makemore.json; peer script:
 * bench/peers/makemore_bigram_torch.py), with wall time. Writes the lecture's
 * 27×27 count figure as an SVG and says where.
 *
 * `deno task reproduce bigram` is the same lecture written with the library
 * alone (bench/reproduce/bigram.ts).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { Generator, loadDataset, randn } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import * as learnerCounts from "../../katas/04/counts.ts";
import * as learnerNet from "../../katas/04/neural.ts";
import * as referenceCounts from "../../solutions/04/counts.ts";
import * as referenceNet from "../../solutions/04/neural.ts";
import { saveCountFigure } from "./bigram_figure.ts";

const torch = JSON.parse(
  Deno.readTextFileSync(new URL("../../testdata/lectures/makemore.json", import.meta.url)),
).bigram as { names: string[]; neural_losses: number[]; neural_loss_100: number };

/** The lecture's samples from its trained net (cell 58; its W had more than 100 steps). */
const LECTURE_NET_NAMES = ["mor.", "axx.", "minaymoryles.", "kondlaisah.", "anchthizarie."];

/**
 * Runs kata 04 at full scale and prints its figures.
 *
 * @param args `--solution` (run the reference), `--steps N` (default 100),
 *   `--out DIR` (where the figure goes; default .katagrad/reproduce/04)
 */
export async function reproduceKata04(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      steps: { type: "string", default: "100" },
      out: { type: "string", default: ".katagrad/reproduce/04" },
    },
  });
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`Cannot reproduce 04: --steps must be a positive integer, got ${steps}`);
  }
  const counts = values.solution ? referenceCounts : learnerCounts;
  const net = values.solution ? referenceNet : learnerNet;
  const whose = values.solution ? "the reference (solutions/04)" : "your code (katas/04)";
  try {
    await run(counts, net, steps, resolve(values.out), whose);
  } catch (e) {
    if (!(e instanceof KataTodo)) throw e;
    console.error(
      `\nKata 04 is not finished, so it cannot run the lecture yet:\n${e.message}\n` +
        "Run `deno test katas/04` to finish it, or `deno task reproduce 04 --solution` to see " +
        "the reference run.",
    );
    Deno.exitCode = 1;
  }
}

async function run(
  counts: typeof referenceCounts,
  net: typeof referenceNet,
  steps: number,
  outDir: string,
  whose: string,
): Promise<void> {
  const t0 = performance.now();
  const words = (await loadDataset("names")).split("\n").filter((w) => w.length > 0);
  const row = (label: string, ours: string, lecture: string, pytorch = "") =>
    console.log(`${label.padEnd(44)}${ours.padEnd(12)}${lecture.padEnd(12)}${pytorch}`);
  const f4 = (x: number) => x.toFixed(4);

  const { stoi, itos } = counts.buildVocab(words);
  const { xs, ys } = counts.bigrams(words, stoi);
  const N = counts.countMatrix(xs, ys);
  const rows = N.toArraySync() as number[][];
  console.log(`makemore part 1 (bigram) with ${whose}: ${words.length} words\n`);
  row("", "katagrad", "lecture", "PyTorch (same code)");
  row("bigrams", String(xs.size), "228146", "228146");
  const top = [["n", "."], ["a", "."], ["a", "n"], [".", "a"]];
  const lectureTop = [6763, 6640, 5438, 4410];
  top.forEach(([a, b], k) =>
    row(`  N[${a}][${b}]`, String(rows[stoi[a]][stoi[b]]), String(lectureTop[k]))
  );
  const P = counts.countModel(N);
  row("count model NLL, no smoothing", f4(counts.nll(counts.countModel(N, 0), xs, ys)), "2.4540");
  row("count model NLL, +1 smoothing", f4(counts.nll(P, xs, ys)), "2.4546");
  const aj = counts.bigrams(["andrejq"], stoi);
  row(
    "  'andrejq', no smoothing",
    `${counts.nll(counts.countModel(N, 0), aj.xs, aj.ys)}`,
    "inf",
  );
  row("  'andrejq', +1 smoothing", f4(counts.nll(P, aj.xs, aj.ys)), "");

  const names = counts.sampleNames(P, itos, 20, new Generator(2147483647));
  const same = names.filter((n, i) => n === torch.names[i]).length;
  console.log(`\nsampled from the counts with Generator(2147483647):\n  ${names.join(" ")}`);
  console.log(`  (${same} of 20 identical to PyTorch's; the lecture prints the first five)`);

  const W = randn([27, 27], { generator: new Generator(2147483647), requiresGrad: true });
  const t1 = performance.now();
  const losses = net.trainBigramNet(W, xs, ys, { steps });
  const seconds = (performance.now() - t1) / 1000;
  const after = net.bigramLoss(W, xs, ys).itemSync();
  console.log();
  row("neural bigram, first loss", f4(losses[0]), "3.7686", f4(torch.neural_losses[0]));
  row(
    `neural bigram, loss at step ${steps - 1}`,
    f4(losses[steps - 1]),
    "",
    steps === 100 ? f4(torch.neural_loss_100) : "",
  );
  row(`neural bigram, after ${steps} steps`, after.toFixed(6), steps === 100 ? "≤ 2.49" : "");
  const fromNet = net.sampleFromNet(W, itos, 5, new Generator(2147483647));
  console.log(`\nsampled from the trained net:   ${fromNet.join(" ")}`);
  console.log(`the lecture's net (more steps): ${LECTURE_NET_NAMES.join(" ")}`);
  const logN = N.add(1).to("float32").log();
  const asNet = net.sampleFromNet(logN, itos, 20, new Generator(2147483647));
  const equal = asNet.filter((n, i) => n === names[i]).length;
  console.log(`the net with W = log(N + 1) samples ${equal} of the counts' 20 names exactly`);

  const figure = await saveCountFigure(rows, itos, `${outDir}/bigram_counts.svg`);
  console.log(`\nfigure: the count matrix N (the lecture's 27×27 plot) → ${figure}`);
  console.log(
    `\n${steps} neural steps in ${seconds.toFixed(1)} s (${
      (steps / seconds).toFixed(1)
    } steps/s); ` +
      `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s. PyTorch 1.13 on one thread: ` +
      "/usr/bin/python3 bench/peers/makemore_bigram_torch.py",
  );
}
