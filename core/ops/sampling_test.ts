import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { tensor, zeros } from "./creation.ts";
import { multinomial } from "./sampling.ts";

Deno.test("multinomial() with replacement follows the weights", () => {
  const w = [0.1, 0.6, 0, 0.3];
  const n = 20000;
  const ix = multinomial(tensor(w), n, { replacement: true, generator: new Generator(3) });
  deepEqual(ix.shape, [n]);
  equal(ix.dtype, "int32");
  const counts = [0, 0, 0, 0];
  for (const i of ix.dataSync()) counts[i]++;
  equal(counts[2], 0);
  for (let c = 0; c < 4; c++) {
    const sd = Math.sqrt(n * w[c] * (1 - w[c]));
    ok(Math.abs(counts[c] - n * w[c]) <= 4 * sd + 1e-9, `category ${c}: ${counts[c]}`);
  }
});

Deno.test("multinomial() without replacement draws distinct categories per row, seeded", () => {
  const probs = tensor([[1, 2, 3, 4, 5], [5, 0, 1, 1, 0.5]]);
  const a = multinomial(probs, 4, { generator: new Generator(11) });
  deepEqual(a.shape, [2, 4]);
  const rows = a.toArraySync() as number[][];
  for (const r of rows) equal(new Set(r).size, 4);
  ok(!rows[1].includes(1), "a zero-weight category is never drawn");
  deepEqual(multinomial(probs, 4, { generator: new Generator(11) }).toArraySync(), rows);
});

Deno.test("multinomial() rejects bad weights, shapes and sample counts", () => {
  throws(() => multinomial(tensor([1, 2], { dtype: "int32" }), 1), {
    name: "DTypeError",
    message: "multinomial: probabilities must be float32, got int32",
  });
  throws(() => multinomial(zeros([2, 2, 2]), 1), {
    name: "ShapeError",
    message: "multinomial: probabilities must be 1-d or 2-d, got shape (2, 2, 2)",
  });
  throws(() => multinomial(tensor([0.5, -0.1]), 1), {
    name: "RangeError",
    message:
      "Cannot sample: probabilities must be finite and non-negative, got -0.10000000149011612 at row 0, column 1",
  });
  throws(() => multinomial(tensor([[1, 1], [0, 0]]), 1), {
    name: "RangeError",
    message: "Cannot sample: row 1 of the probabilities sums to 0",
  });
  throws(() => multinomial(tensor([1, 1, 1]), 4), {
    name: "RangeError",
    message: "Cannot sample 4 categories out of 3 without replacement",
  });
  throws(() => multinomial(tensor([1, 1, 1]), 0), {
    name: "RangeError",
    message: "multinomial: numSamples must be an integer >= 1, got 0",
  });
});
