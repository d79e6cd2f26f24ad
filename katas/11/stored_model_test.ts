/**
 * Kata 11, step 11.8: the model file (minbpe's `.model`): save and load.
 * Run `deno test katas/11`.
 *
 * @module
 */

import { deepEqual, equal } from "node:assert/strict";
import { assertSameList, assertThrowsTyped, LLAMA_TEXT } from "./_checks.ts";
import { BasicTokenizer } from "./basic.ts";
import { gpt2Pattern, RegexTokenizer } from "./regex.ts";
import { ModelFileError } from "./tokenizer.ts";

const GPT4_SPECIALS = {
  "<|endoftext|>": 100257,
  "<|fim_prefix|>": 100258,
  "<|fim_middle|>": 100259,
  "<|fim_suffix|>": 100260,
  "<|endofprompt|>": 100276,
};

Deno.test("11.8 save writes minbpe's model file: version, pattern, specials, merges", () => {
  const tok = new RegexTokenizer(gpt2Pattern());
  tok.train("aaabdaaabac", 256 + 3);
  tok.registerSpecialTokens({ "<|endoftext|>": 259 });
  equal(
    tok.save(),
    `minbpe v1\n${gpt2Pattern().source}\n1\n<|endoftext|> 259\n97 97\n256 97\n257 98\n`,
    "save() of the Wikipedia tokenizer with one special token",
  );
  equal(new BasicTokenizer().save(), "minbpe v1\n\n0\n", "save() of an untrained BasicTokenizer");
});

Deno.test("11.8 load reads what save wrote: same merges, specials, pattern and ids", () => {
  // minbpe's test_save_load: the llama paragraph, 64 merges, GPT-4's special tokens.
  const tok = new RegexTokenizer();
  tok.train(LLAMA_TEXT, 256 + 64);
  tok.registerSpecialTokens(GPT4_SPECIALS);
  const ids = tok.encode(LLAMA_TEXT, "all");
  equal(tok.decode(ids), LLAMA_TEXT, "decode(encode(llama text, 'all')) before saving");
  const loaded = new RegexTokenizer(gpt2Pattern()); // load replaces the pattern
  loaded.load(tok.save());
  equal(loaded.pattern, tok.pattern, "pattern after load");
  deepEqual([...loaded.merges], [...tok.merges], "merges after load (in order, ids 256…)");
  deepEqual([...loaded.specialTokens], [...tok.specialTokens], "specialTokens after load");
  assertSameList("encode(llama text, 'all') after load", loaded.encode(LLAMA_TEXT, "all"), ids);
  equal(loaded.decode(ids), LLAMA_TEXT, "decode after load");
  const basic = new BasicTokenizer();
  basic.train(LLAMA_TEXT, 256 + 32);
  const again = new BasicTokenizer();
  again.load(basic.save());
  assertSameList(
    "BasicTokenizer: encode after load",
    again.encode(LLAMA_TEXT),
    basic.encode(LLAMA_TEXT),
  );
});

Deno.test("11.8 load: a corrupt model file is a ModelFileError naming the line", () => {
  const bad: [string, number][] = [
    ["minbpe v2\n\n0\n", 1],
    ["minbpe v1\n\nzero\n", 3],
    ["minbpe v1\n\n1\n<|endoftext|>\n97 97\n", 4],
    ["minbpe v1\n\n0\n97 97\n256 x\n", 5],
    ["minbpe v1\n\n0\n97 97\n256 300\n", 5], // 300 is not defined before 257
  ];
  for (const [text, line] of bad) {
    assertThrowsTyped(
      () => new RegexTokenizer().load(text),
      (e) => e instanceof ModelFileError && e.line === line,
      `load(${JSON.stringify(text)}) must throw ModelFileError with line ${line}`,
    );
  }
});
