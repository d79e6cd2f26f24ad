/** minbpe's .model files: round trip, minbpe's spelling of the patterns, corrupt files. */

import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { TokenizerFileError } from "./errors.ts";
import { formatModel, loadModel, parseModel, saveModel } from "./model_file.ts";
import { GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
import { Tokenizer } from "./tokenizer.ts";
import { loadEncoding } from "./encodings.ts";
import { rankFileDir } from "../testing/tiktoken_ranks.ts";

const TEXT = "hello world!!!? (안녕하세요!) lol123 😉 hello hello world";

Deno.test("save → load keeps merges, pattern, special tokens and encodings", async () => {
  const tok = Tokenizer.train(TEXT, {
    vocabSize: 280,
    pattern: GPT4_SPLIT_PATTERN,
    specialTokens: { "<|endoftext|>": 1000 },
  });
  const dir = await Deno.makeTempDir();
  try {
    await saveModel(tok, `${dir}/t.model`);
    const text = await Deno.readTextFile(`${dir}/t.model`);
    // minbpe's spelling of the GPT-4 pattern, so minbpe can load the file
    equal(
      text.split("\n")[1],
      String
        .raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`,
    );
    equal(text.split("\n").slice(2, 4).join("|"), "1|<|endoftext|> 1000");
    const back = await loadModel(`${dir}/t.model`);
    deepEqual(back.merges, tok.merges);
    equal(back.pattern, GPT4_SPLIT_PATTERN);
    deepEqual([...back.specialTokens], [["<|endoftext|>", 1000]]);
    const s = TEXT + "<|endoftext|>";
    deepEqual(back.encode(s, { allowedSpecial: "all" }), tok.encode(s, { allowedSpecial: "all" }));
    deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["t.model"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a BasicTokenizer's model has an empty pattern line", () => {
  const tok = Tokenizer.train("aaabdaaabac", { vocabSize: 259 });
  equal(formatModel(tok), "minbpe v1\n\n0\n97 97\n256 97\n257 98\n");
  equal(parseModel(formatModel(tok)).pattern, undefined);
});

Deno.test("corrupt model files: a TokenizerFileError naming the line", () => {
  const cases: Array<[string, number, RegExp]> = [
    ["minbpe v2\n\n0\n", 1, /expected "minbpe v1"/],
    ["minbpe v1\n\nx\n", 3, /number of special tokens/],
    ["minbpe v1\n\n2\n<|a|> 300\n", 5, /ends before special token 2 of 2/],
    ["minbpe v1\n\n1\n<|a|>\n97 98\n", 4, /expected "<special token> <id>"/],
    ["minbpe v1\n\n0\n97 98\n97 x\n", 5, /expected a merge "<left id> <right id>", got "97 x"/],
    ["minbpe v1\n\n0\n97 98\n257 1\n", 5, /merge 257 1 → 257 names a token that does not exist/],
    ["minbpe v1\n\n1\n<|a|> 200\n97 98\n", 4, /special token id 200 is a regular token's/],
    ["minbpe v1\n(\n0\n", 2, /not a valid JavaScript regular expression/],
  ];
  for (const [text, line, message] of cases) {
    throws(() => parseModel(text, "bad.model"), (e: unknown) => {
      ok(e instanceof TokenizerFileError, String(e));
      equal(e.line, line, e.message);
      ok(e.message.startsWith(`Cannot parse bad.model: line ${line}: `), e.message);
      ok(message.test(e.message), e.message);
      return true;
    });
  }
});

Deno.test("a tokenizer loaded from ranks has no .model file", async () => {
  const gpt2 = await loadEncoding("r50k_base", { dataDir: await rankFileDir(), download: false });
  throws(() => formatModel(gpt2), {
    name: "TypeError",
    message: /Tokenizer\(r50k_base, 50257 ids\)/,
  });
  await rejects(loadModel("/nonexistent/x.model"), Deno.errors.NotFound);
});
