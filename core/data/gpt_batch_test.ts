import { deepEqual, equal, throws } from "node:assert/strict";
import { CharVocab } from "./vocab.ts";
import { loadDataset } from "./datasets.ts";
import { getBatch, splitTrainVal } from "./gpt_batch.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test("tiny shakespeare: 65 characters, train/val cut at 1,003,854", needsData, async () => {
  const text = await loadDataset("tinyshakespeare", { download: false });
  const vocab = CharVocab.fromText(text);
  equal(vocab.size, 65);
  const data = vocab.encode(text);
  const { train, val } = splitTrainVal(data);
  equal(train.length, 1_003_854);
  equal(val.length, 1_115_394 - 1_003_854);
  equal(val.byteOffset, 1_003_854 * 4); // a view, not a copy
  const { x, y } = getBatch(train, 2, 8, (lo, hi, k) => {
    deepEqual([lo, hi, k], [0, 1_003_854 - 8, 2]);
    return [0, hi - 1];
  });
  equal(vocab.decode(x.subarray(0, 8)), "First Ci");
  equal(vocab.decode(y.subarray(0, 8)), "irst Cit");
  // the last possible window ends at the last train token
  equal(vocab.decode(y.subarray(8)), vocab.decode(train.subarray(train.length - 8)));
});

Deno.test("getBatch() windows are B x T, targets shifted by one", () => {
  const data = Int32Array.from({ length: 50 }, (_, i) => 100 + i);
  const { x, y, ix } = getBatch(data, 3, 5, () => [7, 0, 44]);
  deepEqual([...ix], [7, 0, 44]);
  deepEqual([...x], [
    107,
    108,
    109,
    110,
    111,
    100,
    101,
    102,
    103,
    104,
    144,
    145,
    146,
    147,
    148,
  ]);
  deepEqual([...y], [
    108,
    109,
    110,
    111,
    112,
    101,
    102,
    103,
    104,
    105,
    145,
    146,
    147,
    148,
    149,
  ]);
});

Deno.test("getBatch() refuses bad sizes and bad starts", () => {
  const data = new Int32Array(10);
  throws(() => getBatch(data, 2, 10, () => [0, 0]), {
    name: "RangeError",
    message: "getBatch: data has 10 tokens, needs more than blockSize 10",
  });
  throws(() => getBatch(data, 2, 4, () => [0, 6]), {
    name: "RangeError",
    message: "getBatch: start 6 at 1 is outside [0, 6)",
  });
  throws(() => getBatch(data, 2, 4, () => [1, 2, 3]), {
    name: "RangeError",
    message: "getBatch: the sampler returned 3 starts, expected 2",
  });
  throws(() => getBatch(data, 1.5, 4, () => [1]), {
    name: "RangeError",
    message: "getBatch: batchSize must be an integer >= 1, got 1.5",
  });
  throws(() => splitTrainVal(data, 1.1), {
    name: "RangeError",
    message: "splitTrainVal: frac must be a number in [0, 1], got 1.1",
  });
});
