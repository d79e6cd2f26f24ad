/**
 * Kata 05, steps 05.1–05.2: context windows and the lecture's split. Run
 * `deno test katas/05`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { buildContextWindows, PyRandom } from "../../mod.ts";
import { assertWindows, readWindows, VOCAB, WORDS } from "./_checks.ts";
import { buildDataset, makeSplits } from "./dataset.ts";

Deno.test("05.1 buildDataset: the first context of a word is '...', padded with dots", () => {
  const { X, Y } = buildDataset(["emma"], VOCAB, 3);
  // The lecture prints these five examples for "emma" (video 9:03).
  assertWindows("buildDataset(['emma'])", X, Y, ["...→e", "..e→m", ".em→m", "emm→a", "mma→."]);
  deepEqual(X.toArraySync(), [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]);
});

Deno.test("05.1 buildDataset: every word ends with '.' and the next starts from dots again", () => {
  const { X, Y } = buildDataset(["ava", "bo", "x"], VOCAB, 3);
  assertWindows("buildDataset(['ava', 'bo', 'x'])", X, Y, [
    "...→a",
    "..a→v",
    ".av→a",
    "ava→.",
    "...→b",
    "..b→o",
    ".bo→.",
    "...→x",
    "..x→.",
  ]);
});

Deno.test("05.1 buildDataset: blockSize sets the context length", () => {
  const four = buildDataset(["ava"], VOCAB, 4);
  assertWindows("blockSize 4", four.X, four.Y, ["....→a", "...a→v", "..av→a", ".ava→."]);
  const one = buildDataset(["ava"], VOCAB, 1);
  assertWindows("blockSize 1 (the bigram model)", one.X, one.Y, [".→a", "a→v", "v→a", "a→."]);
});

Deno.test("05.1 buildDataset on all of names.txt: 228,146 windows, as the library builds them", () => {
  const { X, Y } = buildDataset(WORDS, VOCAB, 3);
  const ref = buildContextWindows(WORDS, 3, VOCAB);
  deepEqual(X.shape, [228_146, 3], "X.shape: one window per character of each word, plus its '.'");
  deepEqual(Y.shape, [228_146]);
  const x = X.dataSync(), y = Y.dataSync();
  for (let i = 0; i < ref.n; i++) {
    const same = y[i] === ref.Y[i] && [0, 1, 2].every((j) => x[i * 3 + j] === ref.X[i * 3 + j]);
    if (!same) {
      const text = (ids: ArrayLike<number>, next: number) =>
        `${VOCAB.decode(Array.from(ids))}→${VOCAB.itos[next]}`;
      const want = text(ref.X.subarray(i * 3, i * 3 + 3), ref.Y[i]);
      const got = text(x.subarray(i * 3, i * 3 + 3), y[i]);
      ok(false, `window ${i}: expected ${want}, got ${got}`);
    }
  }
});

Deno.test("05.2 makeSplits shuffles a copy with PyRandom(42) first: yuheng, diondre, xavien", () => {
  const before = WORDS.slice(0, 3).join(",");
  const s = makeSplits(WORDS, VOCAB);
  deepEqual(
    s.words.slice(0, 3),
    ["yuheng", "diondre", "xavien"],
    "random.seed(42); random.shuffle(words) puts these first",
  );
  equal(s.words.length, WORDS.length);
  equal(WORDS.slice(0, 3).join(","), before, "makeSplits must not reorder the caller's array");
  // The training split is built from the shuffled words: it starts with "yuheng.".
  deepEqual(readWindows(s.Xtr.slice(0, 0, 7), s.Ytr.slice(0, 0, 7)), [
    "...→y",
    "..y→u",
    ".yu→h",
    "yuh→e",
    "uhe→n",
    "hen→g",
    "eng→.",
  ], "Xtr's first windows spell the first shuffled word: shuffle before you split");
});

Deno.test("05.2 makeSplits cuts at int(0.8·n) and int(0.9·n): 182,625 / 22,655 / 22,866 windows", () => {
  const s = makeSplits(WORDS, VOCAB);
  const shapes = [s.Xtr.shape, s.Xdev.shape, s.Xte.shape].map((sh) => `(${sh.join(", ")})`);
  deepEqual(shapes, ["(182625, 3)", "(22655, 3)", "(22866, 3)"], "Xtr, Xdev, Xte shapes");
  deepEqual([s.Ytr.size, s.Ydev.size, s.Yte.size], [182_625, 22_655, 22_866], "Y sizes");
  // n = 32,033 words: n1 = int(25,626.4) = 25,626 and n2 = int(28,829.7) = 28,829.
  const firstWord = (X: typeof s.Xtr, Y: typeof s.Ytr) => {
    const y = [...Y.slice(0, 0, 20).dataSync()];
    ok(X.shape[0] > 0, "a split is empty");
    return VOCAB.decode(y.slice(0, y.indexOf(0)));
  };
  equal(firstWord(s.Xdev, s.Ydev), s.words[25_626], "dev starts at word n1 = 25,626");
  equal(firstWord(s.Xte, s.Yte), s.words[28_829], "test starts at word n2 = 28,829");
});

Deno.test("05.2 makeSplits: the seed and blockSize options", () => {
  const s = makeSplits(WORDS, VOCAB, { seed: 7, blockSize: 5 });
  const expected = [...WORDS];
  new PyRandom(7).shuffle(expected);
  deepEqual(s.words.slice(0, 5), expected.slice(0, 5), "the shuffle uses options.seed");
  equal(s.Xtr.shape[1], 5, "Xtr.shape[1] is options.blockSize");
  equal(s.Xte.shape[1], 5, "Xte.shape[1] is options.blockSize");
  equal(s.Ytr.size + s.Ydev.size + s.Yte.size, 228_146, "every word lands in one split");
});
