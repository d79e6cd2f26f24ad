import { deepEqual, equal } from "node:assert/strict";
import { loadDataset } from "../../mod.ts";
import * as data from "../../solutions/14/data.ts";
import * as training from "../../solutions/14/training.ts";
import { PUBLISHED, runMicrogpt } from "./kata14.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test(
  "reproduce 14: two steps print the published lines they reach (num params, steps 1 and 2)",
  needsData,
  async () => {
    const run = runMicrogpt({ ...data, ...training }, await loadDataset("names"), {
      steps: 2,
      samples: 1,
    });
    deepEqual(run.lines.slice(0, 3), [
      "num params: 4192",
      "step    1 / 1000 | loss 3.3660",
      "step    2 / 1000 | loss 3.4243",
    ]);
    equal(run.checked.length, 3);
    deepEqual(run.checked.filter((c) => c.got !== c.want), []);
    equal(run.lines[3].startsWith("sample  1: "), true);
  },
);

Deno.test("reproduce 14: the published lines are 27, in the program's own format", () => {
  equal(1 + PUBLISHED.steps.size + PUBLISHED.samples.length, 27);
  equal(PUBLISHED.samples[0], "sample  1: kamon");
  equal(PUBLISHED.samples[19], "sample 20: anton");
  equal(PUBLISHED.steps.get(1000), "step 1000 / 1000 | loss 2.6497");
});
