import { equal } from "node:assert/strict";
import { CharVocab, Generator, loadDataset, splitTrainVal } from "../../mod.ts";
import * as model from "../../solutions/10/model.ts";
import * as train from "../../solutions/10/train.ts";
import { SMALL } from "./kata10.ts";
import { runGptPy } from "./kata10_runs.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

/**
 * bench/peers/kata10_gpt_torch.py --steps 4 --eval-interval 2 --eval-iters 10 (PyTorch 1.13,
 * one thread): gpt.py at the small config from torch.manual_seed(1337).
 */
const TORCH_4_STEPS = [
  { step: 0, train: 4.1979, val: 4.1947 },
  { step: 2, train: 3.925, val: 3.9433 },
  { step: 3, train: 3.878, val: 3.8929 },
];

Deno.test(
  "reproduce 10: 4 steps of the small config land on PyTorch's gpt.py (same init, batches, evaluations)",
  needsData,
  async () => {
    const text = await loadDataset("tinyshakespeare");
    const vocab = CharVocab.fromText(text);
    const split = splitTrainVal(vocab.encode(text), 0.9);
    const g = new Generator(1337);
    const m = new model.GPTLanguageModel(SMALL, { generator: g });
    const { evals, losses } = runGptPy({ ...train }, m, g, {
      steps: 4,
      lr: 1e-3,
      batchSize: 16,
      blockSize: 32,
      evalInterval: 2,
      evalIters: 10,
      train: split.train,
      val: split.val,
      log: () => {},
    });
    equal(losses.length, 4);
    equal(
      JSON.stringify(evals.map((e) => [e.step, e.train.toFixed(4), e.val.toFixed(4)])),
      JSON.stringify(TORCH_4_STEPS.map((e) => [e.step, e.train.toFixed(4), e.val.toFixed(4)])),
    );
  },
);
