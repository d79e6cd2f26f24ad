/**
 * Kata 09, steps 09.1–09.2: Tiny Shakespeare as characters, the split and
 * `getBatch`. Run `deno test katas/09`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { Generator } from "../../mod.ts";
import { asTensor, DATA, LECTURE, shapeOf, TEXT, TRAIN } from "./_checks.ts";
import { charTokenizer, getBatch, splitData } from "./batches.ts";

Deno.test("09.1 charTokenizer: Tiny Shakespeare has 65 characters, sorted, newline first", () => {
  const tok = charTokenizer(TEXT);
  equal(tok.chars.length, 65, "chars = sorted(list(set(text))) has 65 entries");
  equal(
    tok.chars.join(""),
    "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "chars, sorted by code point (the lecture prints them after a newline)",
  );
});

Deno.test('09.1 encode("hii there") is [46, 47, 47, 1, 58, 46, 43, 56, 43]; decode inverts it', () => {
  const tok = charTokenizer(TEXT);
  deepEqual([...tok.encode("hii there")], [46, 47, 47, 1, 58, 46, 43, 56, 43]);
  equal(tok.decode([46, 47, 47, 1, 58, 46, 43, 56, 43]), "hii there");
  // cell 8: the first characters of the text, "First Cit"
  deepEqual([...tok.encode(TEXT.slice(0, 9))], [18, 47, 56, 57, 58, 1, 15, 47, 58]);
  const head = TEXT.slice(0, 1000);
  equal(tok.decode(tok.encode(head)), head, "decode(encode(text[:1000])) is text[:1000]");
});

Deno.test("09.1 charTokenizer works on any text: ids by sorted code point", () => {
  const tok = charTokenizer("hello, wörld");
  equal(tok.chars.join(""), " ,dehlorwö", "chars of 'hello, wörld' in code-point order");
  deepEqual([...tok.encode("öl")], [9, 5]);
  equal(tok.decode([4, 3, 5, 5, 6]), "hello");
});

Deno.test("09.1 splitData: the first int(0.9·n) tokens train — 1,003,854 / 111,540", () => {
  const { train, val } = splitData(DATA);
  equal(train.length, 1_003_854, "train = data[:n] with n = int(0.9 * 1,115,394) = 1,003,854");
  equal(val.length, 111_540, "val = data[n:], the last 10% of the text");
  deepEqual(
    [...train.subarray(0, 9)],
    [18, 47, 56, 57, 58, 1, 15, 47, 58],
    "train starts the text",
  );
  deepEqual([...val.subarray(0, 6)], [...DATA.subarray(1_003_854, 1_003_860)], "val follows");
  const small = splitData(Int32Array.from({ length: 25 }, (_, i) => i));
  equal(small.train.length, 22, "25 tokens: int(22.5) = 22 train (int() truncates)");
  deepEqual([...small.val], [22, 23, 24]);
  const eighty = splitData(Int32Array.from({ length: 10 }, (_, i) => i), 0.8);
  deepEqual([eighty.train.length, eighty.val.length], [8, 2], "the frac argument is used");
});

Deno.test("09.2 getBatch with Generator(1337): the lecture's 4×8 batch, xb and yb", () => {
  const { x, y } = getBatch(TRAIN, 4, 8, new Generator(1337));
  const xb = asTensor("x", x), yb = asTensor("y", y);
  equal(shapeOf(xb), "(4, 8)", "x is (batchSize, blockSize)");
  equal(shapeOf(yb), "(4, 8)", "y is (batchSize, blockSize)");
  equal(xb.dtype, "int32", "token ids are int32");
  deepEqual(
    xb.toArraySync(),
    LECTURE.xb,
    "x: ix = randint(0, len(data) - blockSize, [batchSize]), rows data[i : i + blockSize]",
  );
  deepEqual(yb.toArraySync(), LECTURE.yb, "y: the rows data[i + 1 : i + blockSize + 1]");
});

Deno.test("09.2 getBatch: each target is the token after its input (y is x shifted by one)", () => {
  const data = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % 500);
  const { x, y } = getBatch(data, 6, 5, new Generator(3));
  const xs = x.toArraySync() as number[][], ys = y.toArraySync() as number[][];
  equal(shapeOf(x), "(6, 5)");
  xs.forEach((row, b) => {
    const start = data.indexOf(row[0]);
    deepEqual(row, [...data.subarray(start, start + 5)], `x[${b}] is a window of the data`);
    const want = [...data.subarray(start + 1, start + 6)];
    if (JSON.stringify(ys[b]) !== JSON.stringify(want)) {
      throw new KataAssertionError(
        `y[${b}]: expected ${JSON.stringify(want)} (the next token of each x[${b}, t]), got ` +
          JSON.stringify(ys[b]),
      );
    }
  });
});

Deno.test("09.2 getBatch: starts come from [0, len(data) - blockSize), so every window fits", () => {
  // blockSize + 1 tokens: one window and its targets fit, starting at 0 only.
  const data = Int32Array.from([5, 6, 7, 8, 9]);
  const { x, y } = getBatch(data, 3, 4, new Generator(0));
  deepEqual(x.toArraySync(), [[5, 6, 7, 8], [5, 6, 7, 8], [5, 6, 7, 8]]);
  deepEqual(y.toArraySync(), [[6, 7, 8, 9], [6, 7, 8, 9], [6, 7, 8, 9]]);
  const big = getBatch(Int32Array.from({ length: 40 }, (_, i) => i), 200, 10, new Generator(1));
  const starts = (big.x.toArraySync() as number[][]).map((r) => r[0]);
  ok(Math.max(...starts) <= 29, `the last possible start is 40 - 10 - 1 = 29`);
  ok(starts.includes(29) && starts.includes(0), "starts cover [0, 29]");
});
