/**
 * Kata 11, step 11.9: the GPT-4 tokenizer from tiktoken's cl100k_base ranks,
 * whose ids must equal tiktoken's (npm js-tiktoken, pinned, test-only). Run
 * `deno test katas/11`.
 *
 * @module
 */

import { deepEqual, equal } from "node:assert/strict";
import { assertSameList, SPECIALS_STRING, TAYLOR, TEST_STRINGS } from "./_checks.ts";
import { cl100kRanks, cl100kTiktoken } from "./_cl100k.ts";
import { bpe, bytesKey, GPT4Tokenizer, recoverMerges } from "./gpt4.ts";

let cached: GPT4Tokenizer | undefined;
/** Built once for the file: recovering 100,000 merges takes a moment. */
const gpt4 = () => (cached ??= new GPT4Tokenizer(cl100kRanks()));

Deno.test("11.9 bpe: a token split by the ranks below its own is its two parents", () => {
  const CL100K_RANKS = cl100kRanks();
  const rank = (s: string) => CL100K_RANKS.get(bytesKey(new TextEncoder().encode(s)))!;
  deepEqual(bpe(CL100K_RANKS, "  ", rank("  ")), [" ", " "], "bpe('  ', rank 256)");
  deepEqual(bpe(CL100K_RANKS, "    ", rank("    ")), ["  ", "  "], "bpe('    ', rank 257)");
  deepEqual(bpe(CL100K_RANKS, " the", rank(" the")).length, 2, "bpe(' the', its rank): 2 parts");
  deepEqual(bpe(CL100K_RANKS, " the", Infinity), [" the"], "bpe(' the', no limit): one token");
});

Deno.test("11.9 recoverMerges: (rank of left, rank of right) → rank, in rank order", () => {
  // A token's merge uses only lower ranks, so the first 5,000 ranks give the first 4,744 merges.
  const low = new Map([...cl100kRanks()].filter(([, r]) => r < 5000));
  const merges = recoverMerges(low);
  equal(merges.size, 5000 - 256, "one merge per token longer than one byte");
  // cl100k: 256 = "  " (two spaces, the byte 32 has rank 220), 257 = "    ", 258 = "in", 259 = " t".
  deepEqual([...merges].slice(0, 4), [["220,220", 256], ["256,256", 257], ["72,77", 258], [
    "220,83",
    259,
  ]], "the first four recovered merges");
  equal(gpt4().merges.size, 100000, "GPT4Tokenizer: 100,000 merges recovered from all ranks");
});

Deno.test("11.9 GPT4Tokenizer: the byte shuffle maps each byte to its cl100k rank", () => {
  const tok = gpt4();
  equal(tok.byteShuffle.length, 256, "byteShuffle has one entry per byte");
  equal(tok.byteShuffle[33], 0, "'!' (byte 33) has rank 0 in cl100k");
  equal(tok.byteShuffle[32], 220, "' ' (byte 32) has rank 220");
  equal(tok.byteShuffle[0], 188, "byte 0 has rank 188");
  for (let b = 0; b < 256; b++) {
    equal(tok.inverseByteShuffle[tok.byteShuffle[b]], b, `inverse of ${b}`);
  }
});

Deno.test("11.9 GPT4Tokenizer encodes as tiktoken's cl100k_base", () => {
  const tok = gpt4();
  // minbpe's README.
  assertSameList(
    'encode("hello123!!!? (안녕하세요!) 😉")',
    tok.encode("hello123!!!? (안녕하세요!) 😉"),
    [
      15339,
      4513,
      12340,
      30,
      320,
      31495,
      230,
      75265,
      243,
      92245,
      16715,
      57037,
    ],
  );
  for (const s of [...TEST_STRINGS, "I'M DON'T you'll  \n\n  spaces\t\r\n 12345"]) {
    const ids = tok.encode(s);
    assertSameList(`encode(${JSON.stringify(s)})`, ids, cl100kTiktoken().encode(s));
    equal(tok.decode(ids), s, `decode(encode(${JSON.stringify(s)}))`);
  }
});

Deno.test("11.9 GPT4Tokenizer encodes all of taylorswift.txt as tiktoken", () => {
  const tok = gpt4();
  const ids = tok.encode(TAYLOR);
  assertSameList("encode(taylorswift.txt)", ids, cl100kTiktoken().encode(TAYLOR));
  equal(tok.decode(ids), TAYLOR, "decode(encode(taylorswift.txt))");
});

Deno.test("11.9 GPT4Tokenizer: special tokens as tiktoken's, with allowedSpecial 'all'", () => {
  const tok = gpt4();
  assertSameList(
    'encode("<|endoftext|>hello world", "all")',
    tok.encode("<|endoftext|>hello world", "all"),
    [
      100257,
      15339,
      1917,
    ],
  );
  const ids = tok.encode(SPECIALS_STRING, "all");
  assertSameList(
    "encode(minbpe's specials_string, 'all')",
    ids,
    cl100kTiktoken().encode(SPECIALS_STRING, "all"),
  );
  equal(tok.decode(ids), SPECIALS_STRING, "decode(encode(specials_string, 'all'))");
});
