/**
 * Kata 04, steps 04.1–04.6: the bigram model by counting. Run `deno test katas/04`.
 *
 * The lecture's numbers (makemore_part1_bigrams.ipynb) are asserted where it
 * prints them; the others are PyTorch's, running the lecture's code
 * (testdata/lectures/makemore.json).
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import { Generator, type Tensor, tensor } from "../../mod.ts";
import { assertNames, assertRowNormalised, assertSame, assertTensor, rows } from "./_checks.ts";
import { loadWords, torchBigram } from "./_names.ts";
import { bigrams, buildVocab, countMatrix, countModel, nll, sampleNames } from "./counts.ts";

const int32 = (xs: number[]) => tensor(xs, { dtype: "int32" });
/** makemore's stoi written out: "." → 0, "a" → 1, …, "z" → 26. */
const alphabet: Record<string, number> = Object.fromEntries(
  [...".abcdefghijklmnopqrstuvwxyz"].map((ch, i) => [ch, i]),
);

/** The learner's pipeline on names.txt up to the counts. */
async function namesCounts() {
  const words = await loadWords();
  const { stoi, itos } = buildVocab(words);
  const { xs, ys } = bigrams(words, stoi);
  return { words, stoi, itos, xs, ys, N: countMatrix(xs, ys) };
}

Deno.test("04.1 buildVocab puts '.' at 0 and a..z at 1..26 for names.txt", async () => {
  const { stoi, itos } = buildVocab(await loadWords());
  assertSame("itos.length", itos.length, 27, "26 letters and the '.' that marks start and end");
  assertSame('stoi["."]', stoi["."], 0, "the boundary token '.' comes first, at index 0");
  assertSame("itos[0]", itos[0], ".");
  assertSame('stoi["a"]', stoi["a"], 1);
  assertSame('stoi["z"]', stoi["z"], 26);
  assertSame("itos.join('')", itos.join(""), ".abcdefghijklmnopqrstuvwxyz");
  itos.forEach((ch, i) => assertSame(`stoi[itos[${i}]]`, stoi[ch], i, "stoi inverts itos"));
});

Deno.test("04.1 buildVocab takes the characters of the words, sorted", () => {
  const { stoi, itos } = buildVocab(["emma", "olivia", "ava"]);
  const got = itos.join("");
  assertSame(
    "itos.join('') for emma, olivia, ava",
    got,
    ".aeilmov",
    !got.startsWith(".")
      ? "'.' comes first, at index 0; the letters follow from 1"
      : "the letters of the words (sorted(set(''.join(words)))), in sorted order after '.'",
  );
  assertSame('stoi["v"]', stoi["v"], 7);
  assertSame("number of keys in stoi", Object.keys(stoi).length, 8);
});

Deno.test("04.2 bigrams of 'emma' are .e em mm ma a. (int32)", () => {
  const { xs, ys } = bigrams(["emma"], alphabet);
  assertTensor("xs", xs, [5], "int32");
  assertTensor("ys", ys, [5], "int32");
  // The lecture prints tensor([ 0,  5, 13, 13,  1]) and tensor([ 5, 13, 13,  1,  0]).
  assertSame("xs", JSON.stringify(xs.toArraySync()), "[0,5,13,13,1]", "'.' e m m a");
  assertSame("ys", JSON.stringify(ys.toArraySync()), "[5,13,13,1,0]", "e m m a '.'");
});

Deno.test("04.2 bigrams of names.txt: 228,146, one per letter plus the closing '.'", async () => {
  const words = await loadWords();
  const { stoi } = buildVocab(words);
  const { xs, ys } = bigrams(words, stoi);
  const letters = words.reduce((a, w) => a + w.length, 0); // 196,113
  const why = xs.size === letters - words.length
    ? "no '.' at either end: ['.', ...word, '.'] gives a word of n letters n + 1 bigrams"
    : xs.size === letters
    ? "only one '.' per word: put one before the word and one after it"
    : "";
  assertSame("xs.size", xs.size, 228_146, why);
  assertSame("ys.size", ys.size, 228_146);
  assertTensor("xs", xs, [228_146], "int32");
  assertTensor("ys", ys, [228_146], "int32");
});

Deno.test("04.3 countMatrix adds up repeated bigrams (int32, any size)", () => {
  // Over a vocabulary of 4: 1→2 three times, 2→0 twice, 0→1 once.
  const N = countMatrix(int32([1, 2, 1, 0, 1, 2]), int32([2, 0, 2, 1, 2, 0]), 4);
  assertTensor("countMatrix(…, 4)", N, [4, 4], "int32");
  const got = rows(N);
  const why = got[1][2] === 1
    ? "repeated pairs must add up: indexPut_(N, [xs, ys], 1, { accumulate: true })"
    : got[2][1] === 3
    ? "N is transposed: row = first character (xs), column = the next one (ys)"
    : "";
  assertSame("N[1][2] (1→2 three times)", got[1][2], 3, why);
  assertSame("N[2][0] (2→0 twice)", got[2][0], 2, why);
  assertSame("N[0][1] (0→1 once)", got[0][1], 1, why);
  assertSame("N.sum()", N.sum().itemSync(), 6, "one count per bigram");
});

Deno.test("04.3 countMatrix of names.txt: n. 6763, a. 6640, an 5438, .a 4410", async () => {
  const { N, stoi } = await namesCounts();
  assertTensor("N", N, [27, 27], "int32");
  const got = rows(N);
  const at = (a: string, b: string) => got[stoi[a]][stoi[b]];
  // The lecture's four most common bigrams (cell 6, with <S>/<E> where '.' is now).
  assertSame("N[n][.]", at("n", "."), 6763, at(".", "n") === 6763 ? "N is transposed" : "");
  assertSame("N[a][.]", at("a", "."), 6640);
  assertSame("N[a][n]", at("a", "n"), 5438);
  assertSame("N[.][a]", at(".", "a"), 4410);
  assertSame("N[q][u]", at("q", "u"), 206);
  assertSame("N.sum()", N.sum().itemSync(), 228_146);
  assertSame(
    "N[0] (first letters of names)",
    JSON.stringify(got[0]),
    JSON.stringify(torchBigram.N_row0),
  );
});

Deno.test("04.4 countModel divides each row by its own sum (keepdim)", () => {
  // Row sums 4, 4, 2, 8; column sums 6, 3, 6, 3: every wrong axis shows.
  const counts = [[0, 2, 1, 1], [3, 0, 0, 1], [1, 1, 0, 0], [2, 0, 5, 1]];
  const N = int32(counts.flat()).reshape(4, 4);
  assertRowNormalised("countModel(N, 0)", countModel(N, 0), counts);
});

Deno.test("04.4 countModel adds the smoothing first, +1 by default, and leaves N alone", () => {
  const counts = [[0, 2, 1, 1], [3, 0, 0, 1], [1, 1, 0, 0], [2, 0, 5, 1]];
  const N = int32(counts.flat()).reshape(4, 4);
  assertRowNormalised("countModel(N)", countModel(N), counts.map((r) => r.map((v) => v + 1)));
  assertRowNormalised("countModel(N, 3)", countModel(N, 3), counts.map((r) => r.map((v) => v + 3)));
  assertSame("N after countModel", JSON.stringify(N.toArraySync()), JSON.stringify(counts));
  assertSame("N.dtype after countModel", N.dtype, "int32");
});

Deno.test("04.4 countModel of names.txt: row 0 is the lecture's p = N[0] / N[0].sum()", async () => {
  const { N } = await namesCounts();
  const p = rows(countModel(N, 0))[0];
  // The lecture prints tensor([0.0000, 0.1377, 0.0408, 0.0481, 0.0528, 0.0478, 0.0130, ...]).
  [0, 0.1377, 0.0408, 0.0481, 0.0528, 0.0478, 0.0130].forEach((v, j) =>
    assertClose(`countModel(N, 0)[0][${j}]`, p[j], v, 5e-5)
  );
});

Deno.test("04.4 the keepdim bug: P / P.sum(1) also sums to 1, along the wrong axis", async () => {
  const { N } = await namesCounts();
  const P = countModel(N); // yours
  const counts = N.add(1).to("float32");
  const wrong = counts.div(counts.sum(1)); // (27, 27) / (27,) → column j divided by row sum j
  // Every character ends as many bigrams as it starts ('.' included), so N's row and
  // column sums are equal, and the wrong P's columns sum to 1: no error, no warning.
  const allOne = (t: Tensor) => t.dataSync().every((s) => Math.abs(s - 1) < 1e-5);
  ok(allOne(wrong.sum(0)), "the wrong P's columns sum to 1");
  ok(!allOne(wrong.sum(1)), "the wrong P's rows do not");
  if (!allOne(P.sum(1))) {
    throw new KataAssertionError(
      `countModel(N): rows of P sum to ${P.sum(1).dataSync().slice(0, 4).join(", ")}, … not 1` +
        (allOne(P.sum(0)) ? " — the columns do: that is the keepdim bug (or dim 0)" : ""),
    );
  }
  const same = P.sub(wrong).abs().max().itemSync() < 1e-7;
  ok(!same, "countModel(N) equals P / P.sum(1) without keepdim: the lecture's bug");
  assertClose("P[0][1] = P(a | .)", P.dataSync()[1], 4411 / (32033 + 27), 1e-6);
});

Deno.test("04.5 sampleNames with Generator(2147483647): mor., axx., minaymoryles., …", async () => {
  const { N, itos } = await namesCounts();
  const names = sampleNames(countModel(N), itos, 5, new Generator(2147483647));
  // The lecture's five samples (cell 24).
  assertNames("sampleNames(P, itos, 5, g)", names, [
    "mor.",
    "axx.",
    "minaymoryles.",
    "kondlaisah.",
    "anchshizarie.",
  ]);
});

Deno.test("04.5 sampleNames draws from one generator, in order: 20 names as PyTorch", async () => {
  const { N, itos } = await namesCounts();
  const P = countModel(N);
  const g = new Generator(2147483647);
  // Two calls on one generator continue the stream: no fresh generator inside, no extra draws.
  const names = [...sampleNames(P, itos, 2, g), ...sampleNames(P, itos, 18, g)];
  assertNames("sampleNames, 2 then 18 names", names, torchBigram.names);
});

Deno.test("04.6 nll is the mean of -log P[x, y] (emma by hand)", async () => {
  const { N, stoi } = await namesCounts();
  const P = countModel(N);
  const { xs, ys } = bigrams(["emma"], stoi);
  const p = rows(P);
  const pairs: [string, string][] = [[".", "e"], ["e", "m"], ["m", "m"], ["m", "a"], ["a", "."]];
  const byHand = pairs.reduce((a, [x, y]) => a - Math.log(p[stoi[x]][stoi[y]]), 0) / 5;
  const got = nll(P, xs, ys);
  if (typeof got !== "number") throw new KataAssertionError(`nll: expected a number, got ${got}`);
  const why = Math.abs(got - 5 * byHand) < 1e-3
    ? "that is the sum: average over the bigrams"
    : Math.abs(got + byHand) < 1e-3
    ? "negative LOG-likelihood: negate the mean of the logs"
    : "";
  if (!(typeof got === "number")) {
    throw new KataAssertionError(`nll: expected a number, got ${got}`);
  }
  if (Math.abs(got - byHand) > 1e-5) {
    throw new KataAssertionError(
      `nll(P, emma): expected ${byHand}, got ${got}${why ? `\n  ${why}` : ""}`,
    );
  }
});

Deno.test("04.6 nll of the count model on names.txt: 2.4540, and 2.4546 with +1", async () => {
  const { N, xs, ys } = await namesCounts();
  const raw = nll(countModel(N, 0), xs, ys);
  const smoothed = nll(countModel(N, 1), xs, ys);
  if (raw > 1000) {
    throw new KataAssertionError(`nll: ${raw} is the total, not the mean over 228,146 bigrams`);
  }
  assertClose("nll, no smoothing (lecture 2.4540)", raw, 2.4540, 5e-5);
  assertClose("nll, +1 smoothing (lecture 2.4546)", smoothed, 2.4546, 5e-5);
  assertClose("nll, no smoothing vs PyTorch float64", raw, torchBigram.nll_unsmoothed_f64, 1e-5);
  assertClose("nll, +1 smoothing vs PyTorch float64", smoothed, torchBigram.nll_smoothed_f64, 1e-5);
});

Deno.test("04.6 'andrejq': an unseen bigram makes the NLL Infinity; +1 gives 3.4834", async () => {
  const { N, stoi } = await namesCounts();
  const { xs, ys } = bigrams(["andrejq"], stoi);
  const raw = nll(countModel(N, 0), xs, ys);
  // N[j][q] is 0: P(q | j) = 0 and log 0 = -Infinity. The honest answer is Infinity:
  // the model says this name cannot happen. Smoothing is the fix, not dropping the term.
  assertSame(
    "nll('andrejq', no smoothing)",
    raw,
    Infinity,
    "log(0) is -Infinity and the mean of anything with -Infinity is -Infinity: keep it " +
      "(do not filter or clamp it); smoothing is what makes the loss finite",
  );
  assertClose("nll('andrejq', +1 smoothing)", nll(countModel(N, 1), xs, ys), 3.4834, 5e-5);
});
