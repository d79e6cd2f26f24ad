/**
 * `deno task reproduce 09`: the GPT lecture up to multi-head attention with
 * kata 09's code — the learner's (katas/09) by default, the reference
 * (solutions/09) with `--solution`:
 *
 * 1. the data: 65 characters, `encode("hii there")`, the 90/10 split;
 * 2. the notebook's cells 12–17 with `torch.manual_seed(1337)`: the 4×8 batch,
 *    the bigram's loss at init, 100 sampled characters, 100 AdamW steps,
 *    500 sampled characters — each compared with what the notebook prints;
 * 3. the trick and one head (cells 20–30): the three prefix means, the
 *    unscaled head's `wei[0]`, the variance check;
 * 4. ng-video-lecture's `bigram.py` (3,000 steps, lr 1e-2, estimate_loss every
 *    300) and the lecture's first attention model (4 heads of 8, 5,000 steps,
 *    lr 1e-3), beside PyTorch running the same code on the 2-core build machine
 *    (bench/peers/gpt_attention_torch.py), with wall time and ms per step;
 * 5. figures: the head's attention weights and the loss curves, as SVG.
 *
 * Options: `--solution`, `--bigram-steps N` (3000), `--attention-steps N`
 * (5000), `--eval-iters N` (200), `--out DIR` (.katagrad/reproduce/09).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Generator, randn, zeros } from "../../mod.ts";
import { KataTodo } from "../../katas/_lib/todo.ts";
import { LECTURE, lectureHead, TEXT, TRAIN, VAL } from "../../katas/09/_checks.ts";
import * as learnerBatches from "../../katas/09/batches.ts";
import * as learnerBigram from "../../katas/09/bigram.ts";
import * as learnerHead from "../../katas/09/head.ts";
import * as learnerModel from "../../katas/09/positions.ts";
import * as referenceBatches from "../../solutions/09/batches.ts";
import * as referenceBigram from "../../solutions/09/bigram.ts";
import * as referenceHead from "../../solutions/09/head.ts";
import * as referenceModel from "../../solutions/09/positions.ts";
import { type EvalPoint, saveKata09Figures } from "./kata09_plots.ts";
import { runWithEvals, sameText, TORCH_PEER_09 } from "./kata09_runs.ts";

type Kata =
  & typeof referenceBatches
  & typeof referenceBigram
  & typeof referenceHead
  & typeof referenceModel;

/**
 * Runs the reproduction and prints its figures.
 *
 * @param args the command-line options after `09`
 */
export async function reproduceKata09(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      solution: { type: "boolean", default: false },
      "bigram-steps": { type: "string", default: "3000" },
      "attention-steps": { type: "string", default: "5000" },
      "eval-iters": { type: "string", default: "200" },
      out: { type: "string", default: ".katagrad/reproduce/09" },
    },
  });
  const kata =
    (values.solution
      ? { ...referenceBatches, ...referenceBigram, ...referenceHead, ...referenceModel }
      : { ...learnerBatches, ...learnerBigram, ...learnerHead, ...learnerModel }) as Kata;
  const who = values.solution ? "the reference (solutions/09)" : "your code (katas/09)";
  const o = {
    bigramSteps: positive("--bigram-steps", values["bigram-steps"]),
    attentionSteps: positive("--attention-steps", values["attention-steps"]),
    evalIters: positive("--eval-iters", values["eval-iters"]),
    out: values.out!,
  };
  try {
    await run(kata, who, o);
  } catch (e) {
    if (!(e instanceof KataTodo) || values.solution) throw e;
    console.error(
      `\nkata 09 is not finished: ${e.message.split("\n")[0]}\n` +
        `Finish it (deno task kata 09), or run the reference: deno task reproduce 09 --solution`,
    );
    Deno.exit(1);
  }
}

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`Cannot reproduce 09: ${name} must be a positive integer, got ${v}`);
    Deno.exit(2);
  }
  return n;
}

const row = (what: string, ours: string, lecture: string, verdict = "") =>
  console.log(`${what.padEnd(46)} ${ours.padEnd(26)} ${lecture.padEnd(26)} ${verdict}`.trimEnd());

async function run(
  k: Kata,
  who: string,
  o: { bigramSteps: number; attentionSteps: number; evalIters: number; out: string },
): Promise<void> {
  const t0 = performance.now();
  console.log(`The GPT lecture up to multi-head attention, kata 09, running ${who}\n`);
  row("", "katagrad", "lecture (gpt-dev)");

  // 1. The data.
  const tok = k.charTokenizer(TEXT);
  const { train, val } = k.splitData(Int32Array.from(tok.encode(TEXT)));
  row("vocabulary size", String(tok.chars.length), "65");
  row('encode("hii there")', tok.encode("hii there").join(","), "46,47,47,1,58,46,43,56,43");
  row("train / val tokens", `${train.length} / ${val.length}`, "1003854 / 111540");

  // 2. The notebook's bigram cells, one generator in the notebook's order.
  const g = new Generator(1337);
  const { x, y } = k.getBatch(TRAIN, 4, 8, g);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const batchOk = same(x.toArraySync(), LECTURE.xb) && same(y.toArraySync(), LECTURE.yb);
  row("get_batch xb, yb (4×8, seed 1337)", batchOk ? "identical" : "DIFFERENT", "cell 12");
  g.manualSeed(1337);
  const bigram = new k.BigramLanguageModel(65, { generator: g });
  const init = bigram.forward(x, y).loss!.itemSync();
  row("bigram loss at init", init.toFixed(4), LECTURE.initLoss.toFixed(4), "(−ln(1/65) = 4.1744)");
  const start = () => zeros([1, 1], { dtype: "int32" });
  const s100 = tok.decode(bigram.generate(start(), 100, g).dataSync());
  row("100 characters sampled at init", sameText(s100, LECTURE.sample100), "cell 14");
  const losses100 = k.train(bigram, TRAIN, g, { steps: 100, batchSize: 32, blockSize: 8 });
  row(
    "loss after 100 AdamW steps (lr 1e-3, batch 32)",
    losses100[99].toFixed(8),
    LECTURE.loss100.toFixed(8),
  );
  const s500 = tok.decode(bigram.generate(start(), 500, g).dataSync());
  row("500 characters sampled after them", sameText(s500, LECTURE.sample500), "cell 17");

  // 3. The trick and one head.
  const xs = randn([4, 8, 2], { generator: new Generator(1337) });
  const v1 = k.prefixMeanLoop(xs).dataSync(), v2 = k.prefixMeanMatmul(xs).dataSync();
  const v3 = k.prefixMeanSoftmax(xs).dataSync();
  const close = v1.every((v, i) => Math.abs(v - v2[i]) < 1e-6 && Math.abs(v - v3[i]) < 1e-6);
  row("xbow == xbow2 == xbow3 (allclose)", String(close), "True, True");
  const head = lectureHead();
  const wei = k.attentionWeights(head.q, head.k, { scale: 1 }).dataSync().slice(0, 64);
  const weiDiff = LECTURE.wei0.flat().reduce((m, w, i) => Math.max(m, Math.abs(w - wei[i])), 0);
  row("unscaled head: max |wei[0] − printed|", weiDiff.toExponential(1), "4 decimals, cell 25");
  const vars = [head.k2.var(), head.q2.var(), k.attentionScores(head.q2, head.k2).var()]
    .map((t) => t.itemSync().toFixed(4)).join(" / ");
  row("k.var / q.var / scaled wei.var", vars, "1.0449 / 1.0700 / 1.0918");

  // 4. The two training runs.
  const full = o.bigramSteps === 3000 && o.attentionSteps === 5000 && o.evalIters === 200;
  const peer = TORCH_PEER_09;
  console.log(`\nbigram.py: ${o.bigramSteps} AdamW steps, lr 1e-2, batch 32, block 8`);
  const gb = new Generator(1337);
  const bigramModel = new k.BigramLanguageModel(65, { generator: gb });
  const bigramRun = runWithEvals(k, bigramModel, gb, {
    steps: o.bigramSteps,
    lr: 1e-2,
    evalInterval: 300,
    evalIters: o.evalIters,
    finalEval: false,
    train: TRAIN,
    val: VAL,
    peer: full ? peer.bigram.evals : undefined,
  });
  const bigramSample = tok.decode(bigramModel.generate(start(), 500, gb).dataSync());
  console.log(
    `  500 characters sampled after the run: ` +
      (full ? `${sameText(bigramSample, peer.bigram.sample)} to PyTorch's` : "(not compared)"),
  );
  console.log(
    `  ${o.bigramSteps} steps: ${bigramRun.msPerStep.toFixed(2)} ms/step` +
      (full ? ` (PyTorch ${peer.bigram.msPerStep.toFixed(2)})` : "") +
      `; third-party reruns of bigram.py end near train 2.47, val 2.49; the count model's ` +
      `best on this split is train 2.4519`,
  );

  console.log(
    `\nthe first attention model: token + position embeddings, 4 heads of 8 (+ proj), lm_head; ` +
      `n_embd 32, block 8, batch 32, lr 1e-3, ${o.attentionSteps} steps`,
  );
  const ga = new Generator(1337);
  const config = { vocabSize: 65, blockSize: 8, nEmbd: 32, numHeads: 4 };
  const model = new k.AttentionLanguageModel(config, { generator: ga });
  console.log(`  ${model.numParameters()} parameters (PyTorch ${peer.attentionParams})`);
  const attnRun = runWithEvals(k, model, ga, {
    steps: o.attentionSteps,
    lr: 1e-3,
    evalInterval: 500,
    evalIters: o.evalIters,
    finalEval: true,
    train: TRAIN,
    val: VAL,
    peer: full ? peer.attention.evals : undefined,
  });
  const last = attnRun.evals.at(-1)!;
  console.log(
    `  ${o.attentionSteps} steps: ${attnRun.msPerStep.toFixed(2)} ms/step` +
      (full ? ` (PyTorch ${peer.attention.msPerStep.toFixed(2)})` : "") +
      `; final val ${last.val.toFixed(4)}` + (full ? ` (PyTorch ${peerLast(peer)})` : "") +
      `; the video's 4 heads of 8 (no proj): val ≈ 2.28`,
  );
  const sample = tok.decode(model.generate(start(), 300, ga).dataSync());
  console.log(
    `\n300 characters from the attention model` +
      (full ? ` (${sameText(sample, peer.attention.sample)} to PyTorch's)` : "") + `:\n${sample}\n`,
  );

  // 5. Figures.
  const written = await saveKata09Figures(o.out, {
    wei0: Array.from({ length: 8 }, (_, i) => Array.from(wei.slice(i * 8, i * 8 + 8))),
    bigram: bigramRun.evals,
    attention: attnRun.evals,
  });
  console.log(written);
  console.log(
    `wall time ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      (full ? ` (PyTorch peer: ${peer.wall.toFixed(1)} s for the same runs)` : "") +
      `; ${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}

function peerLast(p: typeof TORCH_PEER_09): string {
  const e: EvalPoint = p.attention.evals.at(-1)!;
  return e.val.toFixed(4);
}
