import { equal } from "node:assert/strict";
import * as model from "../../solutions/08/model.ts";
import * as field from "../../solutions/08/receptive_field.ts";
import * as train from "../../solutions/08/train.ts";
import { LECTURE_WAVENET, runModel } from "./kata08_runs.ts";
import wavenet from "../../testdata/lectures/wavenet.json" with { type: "json" };

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test(
  "reproduce 08: both runs start where the lecture's and PyTorch's do (3 steps, 500 rows)",
  needsData,
  async () => {
    const { loadMakemoreSplit } = await import("./makemore_mlp.ts");
    const split = await loadMakemoreSplit(8);
    const k = { ...model, ...field, ...train };
    const h = runModel(k, "hierarchical", split, 3, { evalRows: 500 });
    equal(h.parameters, LECTURE_WAVENET.hierarchical.parameters);
    equal(h.losses[0].toFixed(4), LECTURE_WAVENET.printed[0].toFixed(4));
    equal(h.losses[2].toFixed(4), wavenet.hierarchical.losses[2].toFixed(4));
    const f = runModel(k, "flat", split, 3, { evalRows: 500 });
    equal(f.parameters, LECTURE_WAVENET.flat.parameters);
    equal(f.losses[2].toFixed(4), wavenet.flat.losses[2].toFixed(4));
    equal(Number.isFinite(f.train) && Number.isFinite(f.val), true);
  },
);
