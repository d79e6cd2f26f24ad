/**
 * Kata 11, step 11.7: special tokens and `allowedSpecial` (`"all"`, `"none"`,
 * `"none_raise"`, a set). Run `deno test katas/11`.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { assertSameList, assertThrowsTyped } from "./_checks.ts";
import { DisallowedSpecialTokenError, RegexTokenizer } from "./regex.ts";
import { UnknownTokenIdError } from "./tokenizer.ts";

const SPECIALS = { "<|endoftext|>": 300, "<|fim_prefix|>": 301, "<|endofprompt|>": 302 };

/** A RegexTokenizer trained on a little text, with three special tokens. */
function tokenizer(): RegexTokenizer {
  const tok = new RegexTokenizer();
  tok.train("hello world, hello tokens, hello special world ".repeat(4), 256 + 20);
  tok.registerSpecialTokens(SPECIALS);
  return tok;
}

Deno.test("11.7 registerSpecialTokens: the specials join the vocabulary and decode as text", () => {
  const tok = tokenizer();
  equal(tok.specialTokens.get("<|endoftext|>"), 300, "specialTokens.get('<|endoftext|>')");
  equal(tok.inverseSpecialTokens.get(301), "<|fim_prefix|>", "inverseSpecialTokens.get(301)");
  equal(tok.decode([300]), "<|endoftext|>", "decode([300])");
  equal(tok.decode([...tok.encodeOrdinary("hello"), 302]), "hello<|endofprompt|>");
});

Deno.test('11.7 encode(text, "all"): each special token in the text is its one id', () => {
  const tok = tokenizer();
  const text = "<|endoftext|>hello world";
  assertSameList(`encode(${JSON.stringify(text)}, "all")`, tok.encode(text, "all"), [
    300,
    ...tok.encodeOrdinary("hello world"),
  ]);
  // Inside words, back to back, at the end: the split pattern would cut "<|endoftext|>" into
  // "<|", "endoftext", "|>", so special tokens must be found before the text is split.
  const mixed = "a<|endoftext|>b<|fim_prefix|><|endofprompt|> c<|endoftext|>";
  assertSameList(`encode(${JSON.stringify(mixed)}, "all")`, tok.encode(mixed, "all"), [
    ...tok.encodeOrdinary("a"),
    300,
    ...tok.encodeOrdinary("b"),
    301,
    302,
    ...tok.encodeOrdinary(" c"),
    300,
  ]);
  equal(tok.decode(tok.encode(mixed, "all")), mixed, "decode(encode(text, 'all'))");
});

Deno.test('11.7 encode(text, "none"): special tokens are encoded as ordinary text', () => {
  const tok = tokenizer();
  const text = "hello<|endoftext|>world";
  assertSameList(
    `encode(${JSON.stringify(text)}, "none")`,
    tok.encode(text, "none"),
    tok.encodeOrdinary(text),
  );
  equal(tok.encode(text, "none").includes(300), false, "no id 300 under 'none'");
});

Deno.test('11.7 encode(text) defaults to "none_raise": an error naming the special token', () => {
  const tok = tokenizer();
  assertThrowsTyped(
    () => tok.encode("hello <|fim_prefix|> world"),
    (e) => e instanceof DisallowedSpecialTokenError && e.token === "<|fim_prefix|>",
    "encode(text) with a special token in text must throw DisallowedSpecialTokenError naming it",
  );
  assertThrowsTyped(
    () => tok.encode("x<|endoftext|>", "none_raise"),
    (e) => e instanceof DisallowedSpecialTokenError,
    'encode("x<|endoftext|>", "none_raise") must throw DisallowedSpecialTokenError',
  );
  assertSameList(
    "encode('hello world') (no special)",
    tok.encode("hello world"),
    tok.encodeOrdinary("hello world"),
  );
});

Deno.test("11.7 encode(text, set): only the special tokens in the set", () => {
  const tok = tokenizer();
  const text = "<|endoftext|>hi<|fim_prefix|>";
  assertSameList(
    `encode(${JSON.stringify(text)}, {<|endoftext|>})`,
    tok.encode(text, new Set(["<|endoftext|>"])),
    [
      300,
      ...tok.encodeOrdinary("hi<|fim_prefix|>"),
    ],
  );
});

Deno.test("11.7 decode: an id that is neither byte, merge nor special is an error naming it", () => {
  const tok = tokenizer();
  assertThrowsTyped(
    () => tok.decode([300, 299]),
    (e) => e instanceof UnknownTokenIdError && e.id === 299,
    "decode([300, 299]): 299 is neither a merge (256..275) nor a special token",
  );
});
