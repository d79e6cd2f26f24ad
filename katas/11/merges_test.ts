/**
 * Kata 11, steps 11.2–11.4: counting pairs and merging one, the training loop
 * and the basic tokenizer, decoding bytes that are not valid UTF-8. Run
 * `deno test katas/11`.
 *
 * The worked examples are minbpe's (base.py docstrings, the README's
 * Wikipedia example); training results are minbpe's own (testdata/gen_kata11.py).
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertSameList, assertThrowsTyped, mergeList, MINBPE } from "./_checks.ts";
import { BasicTokenizer } from "./basic.ts";
import { getStats, merge, pairKey, trainMerges } from "./merges.ts";
import { UnknownTokenIdError } from "./tokenizer.ts";

const bytesOf = (s: string) => [...new TextEncoder().encode(s)];
const pairs = (ps: readonly (readonly number[])[]) => ps.map(([a, b]) => pairKey(a, b));

Deno.test("11.2 getStats counts consecutive pairs, in the order first seen", () => {
  deepEqual(
    [...getStats([1, 2, 3, 1, 2])],
    [["1,2", 2], ["2,3", 1], ["3,1", 1]],
    "getStats([1, 2, 3, 1, 2]) must be {(1,2): 2, (2,3): 1, (3,1): 1}, in that order",
  );
  deepEqual([...getStats([])], [], "no ids, no pairs");
  deepEqual([...getStats([7])], [], "one id, no pairs");
  deepEqual([...getStats([5, 5, 5])], [["5,5", 2]], "[5, 5, 5] holds the pair (5, 5) twice");
});

Deno.test("11.2 getStats adds into the counts it is given (several chunks, one table)", () => {
  const counts = getStats([1, 2]);
  const again = getStats([3, 1, 2], counts);
  ok(again === counts, "getStats(ids, counts) must add into counts and return it");
  deepEqual([...counts], [["1,2", 2], ["3,1", 1]], "no pair across the two calls' ids");
});

Deno.test("11.2 merge replaces a pair left to right, without overlapping", () => {
  assertSameList("merge([1, 2, 3, 1, 2], (1, 2), 4)", merge([1, 2, 3, 1, 2], [1, 2], 4), [4, 3, 4]);
  assertSameList("merge([5, 5, 5], (5, 5), 9)", merge([5, 5, 5], [5, 5], 9), [9, 5]);
  assertSameList("merge([5, 5, 5, 5], (5, 5), 9)", merge([5, 5, 5, 5], [5, 5], 9), [9, 9]);
  assertSameList("merge([1, 2, 3], (2, 3), 7)", merge([1, 2, 3], [2, 3], 7), [1, 7]);
  assertSameList("merge([2, 1], (1, 2), 7)", merge([2, 1], [1, 2], 7), [2, 1]);
  const ids = [1, 2, 1, 2];
  merge(ids, [1, 2], 4);
  assertSameList("the ids merge() was given (it must return a new array)", ids, [1, 2, 1, 2]);
});

Deno.test("11.3 trainMerges: the Wikipedia example, aaabdaaabac with 3 merges", () => {
  assertSameList(
    "trainMerges([bytes of aaabdaaabac], 3)",
    pairs(trainMerges([bytesOf(MINBPE.wikipedia.text)], 3)),
    pairs(MINBPE.wikipedia.merges),
  );
});

Deno.test("11.3 trainMerges: a tie goes to the pair seen first (Python's max over a dict)", () => {
  // "bcab": (b,c), (c,a), (a,b) once each; the first seen is neither the last nor the largest.
  assertSameList("trainMerges([bytes of bcab], 1)", pairs(trainMerges([bytesOf("bcab")], 1)), [
    "98,99",
  ]);
  assertSameList(
    "trainMerges([[5, 6], [7, 8]], 1)",
    pairs(trainMerges([[5, 6], [7, 8]], 1)),
    ["5,6"],
  );
});

Deno.test("11.3 trainMerges: pairs are counted inside chunks, summed, never across two", () => {
  assertSameList(
    "trainMerges([[3, 4], [1, 2], [1, 2]], 1)",
    pairs(trainMerges([[3, 4], [1, 2], [1, 2]], 1)),
    ["1,2"],
  );
  // Across the chunks (2, 3) would occur 3 times; inside them it never does.
  assertSameList(
    "trainMerges([[1, 2], [3, 4], [1, 2], [3, 4], [1, 2], [3, 4]], 2)",
    pairs(trainMerges([[1, 2], [3, 4], [1, 2], [3, 4], [1, 2], [3, 4]], 2)),
    ["1,2", "3,4"],
  );
  // aaa: (a, a) twice, merged once (left to right), which leaves (256, a).
  assertSameList("trainMerges([bytes of aaa], 2)", pairs(trainMerges([bytesOf("aaa")], 2)), [
    "97,97",
    "256,97",
  ]);
});

Deno.test("11.3 BasicTokenizer: train, encode and decode the Wikipedia example", () => {
  const tok = new BasicTokenizer();
  tok.train(MINBPE.wikipedia.text, 256 + 3);
  assertSameList("merges after train(aaabdaaabac, 259)", mergeList(tok.merges), [
    "97,97",
    "256,97",
    "257,98",
  ]);
  const ids = tok.encode(MINBPE.wikipedia.text);
  assertSameList("encode(aaabdaaabac)", ids, MINBPE.wikipedia.ids);
  equal(tok.decode(ids), MINBPE.wikipedia.text, "decode(encode(text)) must give text back");
  equal(tok.decode([258]), "aaab", "decode([258]): vocab[258] is the bytes of aaab");
  deepEqual([...tok.vocab.get(257)!], [97, 97, 97], "vocab.get(257) must be the bytes of aaa");
});

Deno.test("11.3 BasicTokenizer: untrained, a string is its UTF-8 bytes and back", () => {
  const tok = new BasicTokenizer();
  equal(tok.vocab.size, 256, "an untrained tokenizer's vocab holds the 256 bytes");
  for (const s of ["", "?", "hello world!!!? lol123"]) {
    assertSameList(`encode(${JSON.stringify(s)})`, tok.encode(s), bytesOf(s));
    equal(tok.decode(tok.encode(s)), s, `decode(encode(${JSON.stringify(s)}))`);
  }
});

Deno.test("11.3 BasicTokenizer: encode applies the earliest merge first, not the commonest pair", () => {
  const tok = new BasicTokenizer();
  tok.merges = new Map([["97,98", 256], ["98,99", 257]]); // (a, b) was learned first
  tok.buildVocab();
  // bcbcabc: (b, c) occurs three times, but (a, b) has the lower id and goes first.
  assertSameList("encode(bcbcabc) with merges ab→256, bc→257", tok.encode("bcbcabc"), [
    257,
    257,
    256,
    99,
  ]);
  equal(tok.decode([257, 257, 256, 99]), "bcbcabc");
});

Deno.test("11.4 decode joins all bytes first, then decodes UTF-8 once", () => {
  const tok = new BasicTokenizer();
  for (const s of ["hello world!!!? (안녕하세요!) lol123 😉", "😉", "naïve café — 👋🏽 🇺🇸"]) {
    equal(tok.decode(bytesOf(s)), s, `decode(the bytes of ${JSON.stringify(s)}), one id per byte`);
  }
  tok.train("안녕 안녕 안녕 😉😉", 256 + 4); // merges that cut characters in two
  const s = "안녕하세요 😉";
  equal(tok.decode(tok.encode(s)), s, `decode(encode(${JSON.stringify(s)})) after training`);
});

Deno.test("11.4 decode: bytes that are not UTF-8 become U+FFFD, as errors='replace'", () => {
  const tok = new BasicTokenizer();
  // Python's bytes.decode("utf-8", errors="replace") on the same bytes.
  const cases: [number[], string][] = [
    [[128], "\uFFFD"],
    [[0xe2, 0x82], "\uFFFD"],
    [[0x80, 97, 98, 99], "\uFFFDabc"],
    [[0xff, 0xfe], "\uFFFD\uFFFD"],
    [[97, 0xf0, 0x9f, 0x98], "a\uFFFD"],
    [[0xed, 0xa0, 0x80], "\uFFFD\uFFFD\uFFFD"],
  ];
  for (const [ids, expected] of cases) {
    equal(tok.decode(ids), expected, `decode([${ids}])`);
  }
});

Deno.test("11.4 decode: an id not in the vocabulary is an UnknownTokenIdError naming it", () => {
  const tok = new BasicTokenizer();
  assertThrowsTyped(
    () => tok.decode([104, 300]),
    (e) => e instanceof UnknownTokenIdError && e.id === 300 && /300/.test(e.message),
    "decode([104, 300]) on an untrained tokenizer must throw UnknownTokenIdError with id 300",
  );
});
