/**
 * Short version of `deno task reproduce 11`: the reference trained on
 * taylorswift.txt to vocab 300 learns minbpe's first 44 merges (training is
 * greedy, so they are the first 44 of the vocab-512 run).
 *
 * @module
 */

import { deepEqual } from "node:assert/strict";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test(
  "reproduce 11: Basic and Regex at vocab 300 start with minbpe's merges",
  needsData,
  async () => {
    const { MINBPE } = await import("../../katas/11/_checks.ts");
    const { trainFigures } = await import("./kata11.ts");
    const { BasicTokenizer } = await import("../../solutions/11/basic.ts");
    const { RegexTokenizer } = await import("../../solutions/11/regex.ts");
    for (
      const [tok, expected] of [
        [new BasicTokenizer(), MINBPE.taylorswift.basic],
        [new RegexTokenizer(), MINBPE.taylorswift.regex],
      ] as const
    ) {
      const f = trainFigures(tok, 300);
      deepEqual(f.merges, expected.merges.slice(0, 44).map(([a, b]) => `${a},${b}`));
    }
  },
);
