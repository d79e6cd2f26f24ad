/**
 * The trainer reproduces minbpe: the same merges (ties to the pair that occurs
 * first) on the lecture's figures, and the same merges as a literal port of
 * minbpe's recount-everything loop on random texts.
 */

import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
import { Tokenizer } from "./tokenizer.ts";
import { trainMerges } from "./train.ts";

const DATA = Deno.env.get("KATAGRAD_DATA");
const needsData = { ignore: !DATA };

/** minbpe's training loop, literally: recount all pairs, take the first max, merge. */
function minbpeTrain(text: string, vocabSize: number, pattern?: string): Array<[number, number]> {
  const enc = new TextEncoder();
  const chunks = pattern === undefined ? [text] : text.match(new RegExp(pattern, "gu")) ?? [];
  let ids = chunks.map((c) => [...enc.encode(c)]);
  const merges: Array<[number, number]> = [];
  for (let z = 256; z < vocabSize; z++) {
    const stats = new Map<string, number>();
    for (const c of ids) {
      for (let i = 0; i + 1 < c.length; i++) {
        const k = `${c[i]},${c[i + 1]}`;
        stats.set(k, (stats.get(k) ?? 0) + 1);
      }
    }
    let best: string | undefined, bestCount = 0;
    for (const [k, n] of stats) if (n > bestCount) [best, bestCount] = [k, n];
    if (best === undefined) break;
    const [a, b] = best.split(",").map(Number);
    merges.push([a, b]);
    ids = ids.map((c) => {
      const out: number[] = [];
      for (let i = 0; i < c.length; i++) {
        if (i + 1 < c.length && c[i] === a && c[i + 1] === b) {
          out.push(z);
          i++;
        } else out.push(c[i]);
      }
      return out;
    });
  }
  return merges;
}

Deno.test("trainMerges: the Wikipedia example (aaabdaaabac, 3 merges) encodes to [258, 100, 258, 97, 99]", () => {
  const tok = Tokenizer.train("aaabdaaabac", { vocabSize: 259 });
  deepEqual(tok.merges, [[97, 97], [256, 97], [257, 98]]);
  deepEqual(tok.encode("aaabdaaabac"), [258, 100, 258, 97, 99]);
});

Deno.test("trainMerges: ties go to the pair that occurs first in the current sequence", () => {
  // every pair occurs once: the first pair wins, then the pair after the new token
  deepEqual(trainMerges("abcd", { vocabSize: 259 }), [[97, 98], [256, 99], [257, 100]]);
  // (c,d) and (a,b) both occur twice; (c,d) occurs first
  deepEqual(trainMerges("cdab cdab", { vocabSize: 257 }), [[99, 100]]);
  // overlapping pairs count twice ("aaa" has (a,a) twice) but merge left to right
  deepEqual(Tokenizer.train("aaa", { vocabSize: 257 }).encode("aaa"), [256, 97]);
});

Deno.test("trainMerges: chunks never merge across the split pattern's matches", () => {
  // chunks "a", " b", " a", " b": (a, space) never forms, though it is the top pair without them
  deepEqual(trainMerges("a b a b", { vocabSize: 258 })[0], [97, 32]);
  deepEqual(trainMerges("a b a b", { vocabSize: 258, pattern: GPT2_SPLIT_PATTERN }), [
    [32, 98],
    [32, 97],
  ]);
});

Deno.test("trainMerges: stops early when nothing is left to merge", () => {
  deepEqual(trainMerges("ab", { vocabSize: 300 }), [[97, 98]]);
  deepEqual(trainMerges("", { vocabSize: 300 }), []);
});

Deno.test("trainMerges: a vocabulary below 256 is a RangeError naming it", () => {
  throws(() => trainMerges("abc", { vocabSize: 100 }), {
    name: "RangeError",
    message: /vocabSize must be an integer ≥ 256 .* got 100/,
  });
});

Deno.test("property: trainMerges equals minbpe's recount loop on random texts", () => {
  const text = fc.array(fc.constantFrom("a", "b", "ab", " ", "aa", "é", "\n", "ba", "1"), {
    maxLength: 60,
  }).map((p) => p.join(""));
  fc.assert(
    fc.property(text, fc.integer({ min: 256, max: 300 }), fc.boolean(), (t, v, regex) => {
      const pattern = regex ? GPT4_SPLIT_PATTERN : undefined;
      deepEqual(trainMerges(t, { vocabSize: v, pattern }), minbpeTrain(t, v, pattern));
    }),
    { seed: 20261206, numRuns: 300 },
  );
});

for (
  const [kind, pattern, tokens, first, last] of [
    [
      "BasicTokenizer",
      undefined,
      78_746,
      [[101, 32], [44, 32], [100, 32], [46, 32], [114, 32]],
      [49, 50],
    ],
    [
      "RegexTokenizer (GPT-4 pattern)",
      GPT4_SPLIT_PATTERN,
      87_339,
      [[101, 114], [50, 48], [111, 114], [105, 110], [101, 100]],
      [306, 263],
    ],
  ] as const
) {
  Deno.test({
    name: `${kind} on taylorswift.txt to vocab 512 gives minbpe's merges and ${tokens} tokens`,
    ...needsData,
    fn: async () => {
      const text = await Deno.readTextFile(`${DATA}/taylorswift.txt`);
      const tok = Tokenizer.train(text, { vocabSize: 512, pattern });
      deepEqual(tok.merges!.slice(0, 5), first);
      deepEqual(tok.merges!.at(-1), last); // → 511
      equal(tok.merges!.length, 256);
      const ids = tok.encode(text);
      equal(ids.length, tokens);
      equal(tok.decode(ids), text);
    },
  });
}
