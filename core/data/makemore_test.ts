import { deepEqual, equal, throws } from "node:assert/strict";
import { CharVocab } from "./vocab.ts";
import { loadDataset } from "./datasets.ts";
import { buildContextWindows, randomBatch, splitWords, takeRows } from "./makemore.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

async function names() {
  const text = await loadDataset("names", { download: false });
  return { words: text.split("\n"), vocab: CharVocab.fromText(text, { boundary: "." }) };
}

function sum(a: Int32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

Deno.test(
  "buildContextWindows() over names.txt: 228,146 examples, emma first",
  needsData,
  async () => {
    const { words, vocab } = await names();
    equal(words.length, 32_033);
    const { X, Y, n, blockSize } = buildContextWindows(words, 3, vocab);
    equal(n, 228_146);
    equal(blockSize, 3);
    equal(X.length, 228_146 * 3);
    equal(Y.length, 228_146);
    const rows = Array.from({ length: 6 }, (_, i) => vocab.decode(X.subarray(3 * i, 3 * i + 3)));
    deepEqual(rows, ["...", "..e", ".em", "emm", "mma", "..."]);
    equal(vocab.decode(Y.subarray(0, 6)), "emma.o");
    // checksums of the whole tensors, from the lecture's Python build_dataset
    equal(sum(X), 5_324_365);
    equal(sum(Y), 2_109_234);
  },
);

Deno.test("buildContextWindows() with block size 8 (WaveNet)", needsData, async () => {
  const { words, vocab } = await names();
  const { X, Y, n } = buildContextWindows(words, 8, vocab);
  equal(n, 228_146);
  equal(sum(X), 7_748_625);
  equal(sum(Y), 2_109_234);
  // the last word is "zzyzx": its last context is "...zzyzx", target "."
  equal(vocab.decode(X.subarray((n - 1) * 8)), "...zzyzx");
  equal(Y[n - 1], 0);
});

Deno.test("buildContextWindows() with a block longer than the word", () => {
  const vocab = CharVocab.fromText("abc", { boundary: "." });
  const { X, Y, n } = buildContextWindows(["ab", "c"], 4, vocab);
  equal(n, 5);
  deepEqual(
    Array.from({ length: n }, (_, i) => vocab.decode(X.subarray(4 * i, 4 * i + 4))),
    ["....", "...a", "..ab", "....", "...c"],
  );
  equal(vocab.decode(Y), "ab.c.");
  equal(buildContextWindows([], 3, vocab).n, 0);
  throws(() => buildContextWindows(["ab"], 0, vocab), {
    name: "RangeError",
    message: "buildContextWindows: blockSize must be an integer >= 1, got 0",
  });
  throws(() => buildContextWindows(["ab", "aXb"], 2, vocab), {
    name: "TypeError",
    message: 'Cannot build context windows: word 1 "aXb": Cannot encode "X" (U+0058) at ' +
      "character 1: not in the vocabulary of 4 symbols",
  });
});

Deno.test("splitWords() cuts at int(0.8 n) and int(0.9 n) as the lecture", needsData, async () => {
  const { words, vocab } = await names();
  const { train, dev, test } = splitWords(words);
  deepEqual([train.length, dev.length, test.length], [25_626, 3_203, 3_204]);
  equal(train[0], "emma");
  equal(dev[0], words[25_626]);
  equal(test.at(-1), words.at(-1));
  // unshuffled, the example counts differ from the lecture's shuffled 182,625 / 22,655 / 22,866
  const counts = [train, dev, test].map((w) => buildContextWindows(w, 3, vocab).n);
  equal(counts[0] + counts[1] + counts[2], 228_146);
  deepEqual(splitWords(["a", "b", "c"], [0, 1]), { train: [], dev: ["a", "b", "c"], test: [] });
  throws(() => splitWords(words, [0.9, 0.8]), {
    name: "RangeError",
    message: "splitWords: fracs must satisfy 0 <= a <= b <= 1, got [0.9, 0.8]",
  });
});

Deno.test("randomBatch() asks the sampler once for [0, n) and checks its answer", () => {
  const calls: number[][] = [];
  const sampler = (lo: number, hi: number, k: number) => {
    calls.push([lo, hi, k]);
    return Array.from({ length: k }, (_, i) => (i * 7) % hi);
  };
  deepEqual([...randomBatch(5, 4, sampler)], [0, 2, 4, 1]);
  deepEqual(calls, [[0, 5, 4]]);
  throws(() => randomBatch(5, 2, () => [0, 5]), {
    name: "RangeError",
    message: "randomBatch: index 5 at 1 is outside [0, 5)",
  });
  throws(() => randomBatch(5, 2, () => [0]), {
    name: "RangeError",
    message: "randomBatch: the sampler returned 1 indices, expected 2",
  });
  throws(() => randomBatch(0, 2, sampler), {
    name: "RangeError",
    message: "randomBatch: n must be an integer >= 1, got 0",
  });
});

Deno.test("takeRows() gathers contexts and targets of a batch", () => {
  const vocab = CharVocab.fromText("abc", { boundary: "." });
  const data = buildContextWindows(["abc", "ca"], 3, vocab); // 4 + 3 rows
  const b = takeRows(data, [6, 3, 3, 0]);
  equal(b.n, 4);
  deepEqual(
    Array.from({ length: 4 }, (_, i) => vocab.decode(b.X.subarray(3 * i, 3 * i + 3))),
    [".ca", "abc", "abc", "..."],
  );
  equal(vocab.decode(b.Y), "...a");
  throws(() => takeRows(data, [7]), {
    name: "RangeError",
    message: "takeRows: index 7 at 0 is outside [0, 7)",
  });
});
