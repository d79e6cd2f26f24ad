import { equal } from "node:assert/strict";
import { Generator } from "../../mod.ts";
import * as bigram from "../../solutions/09/bigram.ts";
import { AttentionLanguageModel } from "../../solutions/09/positions.ts";
import { runWithEvals, sameText, TORCH_PEER_09 } from "./kata09_runs.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test(
  "reproduce 09: both runs start where PyTorch's do (same init, same evaluation batches)",
  needsData,
  async () => {
    const { TRAIN, VAL } = await import("../../katas/09/_checks.ts");
    const quiet = console.log;
    console.log = () => {};
    try {
      const config = { vocabSize: 65, blockSize: 8, nEmbd: 32, numHeads: 4 };
      const runs = [
        {
          make: (g: Generator) => new bigram.BigramLanguageModel(65, { generator: g }),
          peer: TORCH_PEER_09.bigram,
        },
        {
          make: (g: Generator) => new AttentionLanguageModel(config, { generator: g }),
          peer: TORCH_PEER_09.attention,
        },
      ];
      for (const { make, peer } of runs) {
        const g = new Generator(1337);
        const fresh = make(g);
        const { evals } = runWithEvals(bigram, fresh, g, {
          steps: 1,
          lr: 1e-3,
          evalInterval: 500,
          evalIters: 200,
          finalEval: false,
          train: TRAIN,
          val: VAL,
        });
        equal(evals[0].train.toFixed(4), peer.evals[0].train.toFixed(4));
        equal(evals[0].val.toFixed(4), peer.evals[0].val.toFixed(4));
      }
    } finally {
      console.log = quiet;
    }
  },
);

Deno.test("reproduce 09: sameText names the first differing character", () => {
  equal(sameText("abc", "abc"), "identical");
  equal(sameText("abd", "abc"), "DIFFERS at character 2");
});
