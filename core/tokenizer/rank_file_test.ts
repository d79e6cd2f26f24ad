/** tiktoken rank files: round trip, and corrupt files fail with the line number. */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { TokenizerFileError } from "./errors.ts";
import { formatRankFile, parseRankFile } from "./rank_file.ts";

Deno.test("parseRankFile ∘ formatRankFile is the identity (1-, 2- and 3-byte padding)", () => {
  const tokens = [[0], [255, 1], [32, 116, 104], [1, 2, 3, 4], [9, 8, 7, 6, 5]].map((t) =>
    new Uint8Array(t)
  );
  const text = formatRankFile(tokens);
  equal(text.split("\n")[2], "IHRo 2");
  deepEqual(parseRankFile(text), tokens);
  deepEqual(parseRankFile(text.replaceAll("\n", "\r\n")), tokens); // CRLF too
});

Deno.test("corrupt rank files: a TokenizerFileError naming the file and line", () => {
  const good = "IQ== 0\nIg== 1\nIw== 2\n";
  const cases: Array<[string, number, RegExp]> = [
    ["IQ== 0\nIg==1\nIw== 2\n", 2, /expected "<base64 token> <rank>", got "Ig==1"/],
    ["IQ== 0\nIg== 1\nI!w= 2\n", 3, /"I!w=" is not valid base64/],
    ["IQ== 0\nIg= 1\n", 2, /"Ig=" is not valid base64/],
    ["IQ== 0\nIg== 2\n", 2, /rank 2 is out of order: expected 1/],
    ["IQ== 0\nIg== x\n", 2, /rank "x" is not a non-negative integer/],
    ["IQ== 0\nIg== 1\nIQ== 2\n", 3, /token IQ== appears a second time \(first on line 1\)/],
    ["IQ== 0\n\nIg== 1 7\n", 3, /expected "<base64 token> <rank>"/],
    ["", 1, /the file has no tokens/],
  ];
  for (const [text, line, message] of cases) {
    throws(() => parseRankFile(text, "cl100k_base.tiktoken"), (e: unknown) => {
      ok(e instanceof TokenizerFileError, String(e));
      equal(e.line, line, e.message);
      ok(e.message.startsWith(`Cannot parse cl100k_base.tiktoken: line ${line}: `), e.message);
      ok(message.test(e.message), e.message);
      return true;
    });
  }
  equal(parseRankFile(good).length, 3);
});
