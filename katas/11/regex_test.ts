/**
 * Kata 11, steps 11.5–11.6: the GPT-2 and GPT-4 split patterns, the regex
 * tokenizer, and both tokenizers trained on taylorswift.txt to vocab 512 with
 * minbpe's exact merges. Run `deno test katas/11`.
 *
 * The reference splits are minbpe's patterns run by Python's `regex` module
 * (testdata/gen_kata11.py); where a split of taylorswift.txt differs, the
 * message shows the first differing chunk against tiktoken's own JavaScript
 * patterns (npm js-tiktoken), which split the same way.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { assertSameList, chunksDigest, mergeList, MINBPE, TAYLOR } from "./_checks.ts";
import { TIKTOKEN_GPT2_PATTERN, TIKTOKEN_GPT4_PATTERN } from "./_cl100k.ts";
import { BasicTokenizer } from "./basic.ts";
import { pairKey } from "./merges.ts";
import { gpt2Pattern, gpt4Pattern, RegexTokenizer, splitChunks } from "./regex.ts";

const bytesOf = (s: string) => [...new TextEncoder().encode(s)];

for (const name of ["gpt2", "gpt4"] as const) {
  Deno.test(`11.5 ${name}Pattern splits minbpe's test strings as Python's regex does`, () => {
    const pattern = name === "gpt2" ? gpt2Pattern() : gpt4Pattern();
    for (const [s, expected] of MINBPE.splits[name].strings) {
      assertSameList(
        `splitChunks(${JSON.stringify(s)}, ${name}Pattern())`,
        splitChunks(s, pattern),
        expected,
      );
    }
  });
}

for (const name of ["gpt2", "gpt4"] as const) {
  Deno.test(`11.5 ${name}Pattern splits all of taylorswift.txt as Python's regex does`, async () => {
    const chunks = splitChunks(TAYLOR, name === "gpt2" ? gpt2Pattern() : gpt4Pattern());
    const expected = MINBPE.splits[name].taylorswift;
    if (chunks.length === expected.chunks && (await chunksDigest(chunks)) === expected.sha256) {
      return;
    }
    const reference = TAYLOR.match(
      name === "gpt2" ? TIKTOKEN_GPT2_PATTERN : TIKTOKEN_GPT4_PATTERN,
    )!;
    assertSameList(`splitChunks(taylorswift.txt, ${name}Pattern())`, chunks, reference);
    throw new KataAssertionError(
      `splitChunks(taylorswift.txt, ${name}Pattern()): expected ${expected.chunks} chunks ` +
        `(sha256 ${expected.sha256.slice(0, 12)}…), got ${chunks.length}`,
    );
  });
}

Deno.test("11.6 RegexTokenizer: the Wikipedia example, as the basic tokenizer", () => {
  const tok = new RegexTokenizer();
  tok.train(MINBPE.wikipedia.text, 256 + 3);
  assertSameList("merges", mergeList(tok.merges), ["97,97", "256,97", "257,98"]);
  const ids = tok.encodeOrdinary(MINBPE.wikipedia.text);
  assertSameList("encodeOrdinary(aaabdaaabac)", ids, MINBPE.wikipedia.ids);
  equal(tok.decode(ids), MINBPE.wikipedia.text);
});

Deno.test("11.6 RegexTokenizer never merges across chunks", () => {
  const text = "hi hi hi hi";
  const regex = new RegexTokenizer();
  regex.train(text, 258);
  // Chunks "hi", " hi", " hi", " hi": (h, i) first, then (space, hi); "i " is never a pair.
  assertSameList("RegexTokenizer merges on 'hi hi hi hi'", mergeList(regex.merges), [
    pairKey(104, 105),
    pairKey(32, 256),
  ]);
  assertSameList("encodeOrdinary('hi hi hi hi')", regex.encodeOrdinary(text), [256, 257, 257, 257]);
  const basic = new BasicTokenizer();
  basic.train(text, 258);
  assertSameList("BasicTokenizer merges on 'hi hi hi hi' (for contrast)", mergeList(basic.merges), [
    pairKey(104, 105),
    pairKey(256, 32),
  ]);
});

Deno.test("11.6 RegexTokenizer: the pattern it is given decides the chunks", () => {
  const text = "DON'T WON'T CAN'T";
  for (
    const [name, pattern, first] of [
      // GPT-2's contractions are lowercase only: 'T is the symbol ' then the letter T, so "ON"
      // (twice) is the commonest pair; GPT-4 keeps 'T together (three times).
      ["gpt2", gpt2Pattern(), pairKey(79, 78)],
      ["gpt4", gpt4Pattern(), pairKey(39, 84)],
    ] as const
  ) {
    const tok = new RegexTokenizer(pattern);
    tok.train(text, 257);
    assertSameList(`the first merge with ${name}Pattern() on ${text}`, mergeList(tok.merges), [
      first,
    ]);
  }
});

Deno.test("11.6 RegexTokenizer: encode then decode gives the text back", () => {
  const untrained = new RegexTokenizer();
  const trained = new RegexTokenizer();
  trained.train("hello world!!!? (안녕하세요!) lol123 😉 ".repeat(3), 256 + 30);
  for (const s of ["", "?", "hello world!!!? (안녕하세요!) lol123 😉", "  two\n\nlines  "]) {
    assertSameList(
      `untrained encodeOrdinary(${JSON.stringify(s)})`,
      untrained.encodeOrdinary(s),
      bytesOf(s),
    );
    equal(
      trained.decode(trained.encodeOrdinary(s)),
      s,
      `trained: decode(encode(${JSON.stringify(s)}))`,
    );
  }
});

const TAYLOR_FIXTURES = [
  ["BasicTokenizer", () => new BasicTokenizer(), MINBPE.taylorswift.basic],
  ["RegexTokenizer (GPT-4 pattern)", () => new RegexTokenizer(), MINBPE.taylorswift.regex],
] as const;

for (const [name, make, expected] of TAYLOR_FIXTURES) {
  Deno.test(`11.6 ${name} on taylorswift.txt to vocab 512: minbpe's merges and count`, () => {
    const tok = make();
    tok.train(TAYLOR, 512);
    assertSameList(
      `${name} merges (minbpe: ${expected.merges.slice(0, 3).map(([a, b]) => `(${a},${b})`)}, …)`,
      mergeList(tok.merges),
      expected.merges.map(([a, b]) => pairKey(a, b)),
    );
    const ids = tok.encode(TAYLOR);
    equal(
      ids.length,
      expected.tokens,
      `${name}: encode(taylorswift.txt).length (minbpe: ${expected.tokens})`,
    );
    equal(tok.decode(ids), TAYLOR, `${name}: decode(encode(taylorswift.txt)) must be the text`);
  });
}
