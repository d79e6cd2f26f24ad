/**
 * The training runs of `deno task reproduce 09` (bigram.py's loop: an
 * estimate_loss of both splits every `evalInterval` steps, then a step), the
 * PyTorch peer's figures, and a text comparison for the samples.
 *
 * @module
 */

import { type Generator, optim } from "../../mod.ts";
import type * as referenceBigram from "../../solutions/09/bigram.ts";
import type { EvalPoint } from "./kata09_plots.ts";

/**
 * PyTorch 1.13 (Debian, one thread, OpenBLAS) running bench/peers/gpt_attention_torch.py on
 * the 2-core build machine (shared, load 6–9), right before `deno task reproduce 09
 * --solution` ran there: the same inits, batches and evaluation batches as ours (the same
 * generator, drawn in the same order). Every evaluation agrees with ours to 4 decimals and the
 * samples drawn after training are the same text. `msPerStep` excludes evaluation; `wall` is
 * the whole script.
 */
export const TORCH_PEER_09 = {
  bigram: {
    msPerStep: 1.66,
    evals: [
      [0, 4.7305, 4.7241],
      [300, 2.811, 2.8249],
      [600, 2.5434, 2.5682],
      [900, 2.4932, 2.5088],
      [1200, 2.4863, 2.5035],
      [1500, 2.4665, 2.4921],
      [1800, 2.4683, 2.4936],
      [2100, 2.4696, 2.4846],
      [2400, 2.4638, 2.4879],
      [2700, 2.4738, 2.4911],
    ].map(([step, train, val]) => ({ step, train, val })),
    /** 500 characters generated after the run, as bigram.py ends. */
    sample: "\nMARI he avayokis erceller thour d, myono thishe me tord se by he me, " +
      "Forder anen: at trselorinjulour t yoru thrd wo ththathy IUShe bavidela" +
      "noby man ond be jus as g e atot Meste hrle s, ppat t JLENCOLIUS:\nOppid" +
      " tes d s o ged moer y pevehear soue maramapay fo t: bueyo malalyo!\nDui" +
      "r.\nFl ke it I t l o'ddre d ondu s?\ncr, havetrathackes w.\nPUpee meshanc" +
      "un, hrendspouthoulouren whel's'sesoread pe, s whure our heredinsethes;" +
      " sedsend r lo pamit,\nQUMIVIVIOfe m ne RDINid we tr ort; t:\nMINENXI l d" +
      "intandore r",
  },
  attentionParams: 8609,
  attention: {
    msPerStep: 7.69,
    evals: [
      [0, 4.204, 4.2046],
      [500, 2.6131, 2.6227],
      [1000, 2.469, 2.4672],
      [1500, 2.4106, 2.4076],
      [2000, 2.3514, 2.3687],
      [2500, 2.3237, 2.3487],
      [3000, 2.3162, 2.3309],
      [3500, 2.2796, 2.3076],
      [4000, 2.2742, 2.2825],
      [4500, 2.2634, 2.2774],
      [4999, 2.2543, 2.2847],
    ].map(([step, train, val]) => ({ step, train, val })),
    /** 300 characters generated after the run, the context cropped to 8. */
    sample: "\nI fal,\nGod-lof,\nTo drow thy ceaf' tal searteg cane ingouf hant oreaml" +
      "ench to nvem; crotays efncansben lavemus wcoule? -\n\nMat Eealeag ird on" +
      "d for to thorvis\nOre!\nTo fue; hout heatlim your tuokn he he shughist t" +
      "le.\nHry hord the shon my, smy thenfrso hill arist,\nO cail to nowtheay;" +
      " ind yow hear thit mo",
  },
  wall: 59.8,
};

/** The kata functions a run needs. */
type Kata = Pick<typeof referenceBigram, "trainStep" | "estimateLoss">;

/** Options of {@link runWithEvals}. */
export interface RunOptions {
  /** Training steps. */
  steps: number;
  /** AdamW's learning rate. */
  lr: number;
  /** Evaluate before step i when i % evalInterval === 0. */
  evalInterval: number;
  /** Batches per estimate. */
  evalIters: number;
  /** Also evaluate before the last step (gpt.py does; bigram.py does not). */
  finalEval: boolean;
  /** The training split. */
  train: Int32Array;
  /** The validation split. */
  val: Int32Array;
  /** PyTorch's evaluations of the same run, printed beside ours. */
  peer?: EvalPoint[];
}

/**
 * bigram.py's loop with the kata's `trainStep` and `estimateLoss` (batch 32, block 8),
 * printing each evaluation beside PyTorch's.
 *
 * @param k the kata's functions
 * @param model the model
 * @param g the generator of every batch
 * @param o the run
 * @returns the evaluations and the training time per step (evaluation excluded)
 */
export function runWithEvals(
  k: Kata,
  model: Parameters<Kata["trainStep"]>[0],
  g: Generator,
  o: RunOptions,
): { evals: EvalPoint[]; msPerStep: number } {
  const opt = new optim.AdamW(model.parameters(), { lr: o.lr });
  const evals: EvalPoint[] = [];
  let stepping = 0;
  for (let i = 0; i < o.steps; i++) {
    if (i % o.evalInterval === 0 || (o.finalEval && i === o.steps - 1)) {
      const e = {
        step: i,
        train: k.estimateLoss(model, o.train, g, { evalIters: o.evalIters }),
        val: k.estimateLoss(model, o.val, g, { evalIters: o.evalIters }),
      };
      evals.push(e);
      const p = o.peer?.find((q) => q.step === i);
      console.log(
        `  step ${String(i).padStart(4)}: train loss ${e.train.toFixed(4)}, val loss ` +
          `${e.val.toFixed(4)}` +
          (p ? `   PyTorch ${p.train.toFixed(4)}, ${p.val.toFixed(4)}` : ""),
      );
    }
    const t = performance.now();
    k.trainStep(model, opt, o.train, g, { batchSize: 32, blockSize: 8 });
    stepping += performance.now() - t;
  }
  return { evals, msPerStep: stepping / o.steps };
}

/**
 * @param got the sampled text
 * @param want the lecture's
 * @returns "identical", or where the two first differ
 */
export function sameText(got: string, want: string): string {
  if (got === want) return "identical";
  let i = 0;
  while (i < want.length && got[i] === want[i]) i++;
  return `DIFFERS at character ${i}`;
}
