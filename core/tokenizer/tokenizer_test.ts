/**
 * Tokenizer behaviour beyond parity: special-token modes, bad input with
 * typed errors, invalid UTF-8 in decode, long chunks (the heap merge path)
 * against the short-chunk path, and the word cache.
 */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { bytePairMerge } from "./byte_pair_merge.ts";
import { ChunkCache, hashRange } from "./chunk_cache.ts";
import { DisallowedSpecialTokenError, UnknownTokenIdError } from "./errors.ts";
import { PairTable } from "./pair_table.ts";
import { GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
import { Tokenizer } from "./tokenizer.ts";

const SPECIALS = { "<|endoftext|>": 300, "<|fim|>": 301 };
const tok = Tokenizer.train("the cat sat on the mat, the cat ate the rat", {
  vocabSize: 270,
  pattern: GPT4_SPLIT_PATTERN,
  specialTokens: SPECIALS,
});

Deno.test("allowedSpecial: all / none / none_raise / a set", () => {
  const text = "the cat<|endoftext|>the<|fim|>";
  const plain = (s: string) => tok.encodeOrdinary(s);
  deepEqual(tok.encode(text, { allowedSpecial: "all" }), [
    ...plain("the cat"),
    300,
    ...plain("the"),
    301,
  ]);
  deepEqual(tok.encode(text, { allowedSpecial: "none" }), plain(text));
  deepEqual(
    tok.encode(text, { allowedSpecial: new Set(["<|fim|>"]) }),
    [...plain("the cat<|endoftext|>the"), 301],
  );
  deepEqual(tok.encode(text, { allowedSpecial: ["<|endoftext|>"] }), [
    ...plain("the cat"),
    300,
    ...plain("the<|fim|>"),
  ]);
  equal(tok.decode(tok.encode(text, { allowedSpecial: "all" })), text);
});

Deno.test("none_raise (the default) names the special token and where it is", () => {
  throws(() => tok.encode("ok <|fim|> and <|endoftext|>"), (e: unknown) => {
    ok(e instanceof DisallowedSpecialTokenError);
    equal(e.token, "<|fim|>");
    equal(e.offset, 3);
    ok(e.message.includes('"<|fim|>" at offset 3'));
    return true;
  });
  deepEqual(tok.encode("no specials"), tok.encodeOrdinary("no specials"));
});

Deno.test("bad allowedSpecial values are TypeErrors", () => {
  throws(() => tok.encode("x", { allowedSpecial: new Set(["<|nope|>"]) }), {
    name: "TypeError",
    message:
      /"<\|nope\|>", which is not a registered special token; registered: <\|endoftext\|>, <\|fim\|>/,
  });
  throws(() => tok.encode("x", { allowedSpecial: "some" as "all" }), { name: "TypeError" });
  throws(() => tok.encode(42 as unknown as string), { name: "TypeError" });
});

Deno.test("decode: an unknown id is an UnknownTokenIdError naming the id and its index", () => {
  for (const bad of [270, 299, 302, -1, 1.5, NaN]) {
    throws(() => tok.decode([104, 101, bad]), (e: unknown) => {
      ok(e instanceof UnknownTokenIdError);
      equal(e.index, 2);
      ok(e.message.includes(`token id ${bad} at index 2`), e.message);
      return true;
    });
  }
  equal(tok.decode([300]), "<|endoftext|>");
});

Deno.test("decode: invalid UTF-8 becomes U+FFFD, like Python's errors='replace'", () => {
  const t = Tokenizer.fromMerges([]);
  equal(t.decode([0xe2, 0x82]), "\ufffd"); // a truncated 3-byte sequence
  equal(t.decode([104, 0x80, 105]), "h\ufffdi");
  equal(t.decode([0xef, 0xbb, 0xbf, 104]), "\ufeffh"); // a leading BOM is kept
});

Deno.test("registerSpecialTokens refuses ids of regular tokens", () => {
  throws(() => Tokenizer.fromMerges([[97, 98]], { specialTokens: { "<|x|>": 256 } }), {
    name: "RangeError",
    message: /"<\|x\|>" as 256: its id must be an integer ≥ 257/,
  });
});

Deno.test("fromMerges refuses a merge naming a token not yet made", () => {
  throws(() => Tokenizer.fromMerges([[97, 98], [257, 97]]), {
    name: "RangeError",
    message: /merge 1 \(\[257, 97\] → 257\) names token 257/,
  });
});

Deno.test("fromRanks needs a token for every byte", () => {
  throws(() => Tokenizer.fromRanks([new Uint8Array([0])]), {
    name: "RangeError",
    message: "Cannot build tokenizer from ranks: byte 1 has no token",
  });
});

/** The merge rule by brute force: merge the lowest merged id, leftmost first. */
function bruteForce(pairs: Map<string, number>, bytes: number[]): number[] {
  const ids = bytes.slice();
  for (;;) {
    let best = Infinity, at = -1;
    for (let i = 0; i + 1 < ids.length; i++) {
      const r = pairs.get(`${ids[i]},${ids[i + 1]}`);
      if (r !== undefined && r < best) [best, at] = [r, i];
    }
    if (at < 0) return ids;
    ids.splice(at, 2, best);
  }
}

Deno.test("property: bytePairMerge (short and long chunks) equals the brute-force rule", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
        maxLength: 12,
      }),
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 150 }),
      (mergeList, bytes) => {
        const table = new PairTable(), map = new Map<string, number>();
        let next = 256;
        const known = [0, 1, 2, 3];
        for (const [x, y] of mergeList) {
          const a = known[x % known.length], b = known[(y * 7) % known.length];
          if (map.has(`${a},${b}`)) continue;
          map.set(`${a},${b}`, next);
          table.set(a, b, next);
          known.push(next++);
        }
        const out: number[] = [];
        if (bytes.length > 0) {
          bytePairMerge(
            { byteToId: new Int32Array(256).map((_, i) => i), pairs: table },
            new Uint8Array(bytes),
            0,
            bytes.length,
            out,
          );
        }
        deepEqual(out, bytes.length > 0 ? bruteForce(map, bytes) : []);
      },
    ),
    { seed: 20261206, numRuns: 300 },
  );
});

Deno.test("the word cache gives the same ids on a second pass", () => {
  const text = "the cat sat. the cat sat. 😉😉 the rat";
  const first = tok.encode(text);
  deepEqual(tok.encode(text), first);
  equal(tok.decode(first), text);
});

Deno.test("ChunkCache: hits compare characters, empties itself when full", () => {
  const cache = new ChunkCache(2);
  const text = "ab ba ab";
  cache.set("ab", 7, [1]); // one hash for all on purpose: only equal keys may hit
  cache.set("ba", 7, [9, 2, 3], 1);
  const out: number[] = [];
  equal(cache.appendTo(text, 6, 8, 7, out), true);
  equal(cache.appendTo(text, 3, 5, 7, out), true);
  equal(cache.appendTo(text, 2, 4, 7, out), false); // " b": same hash, other chars
  deepEqual(out, [1, 2, 3]);
  cache.set(" b", 7, [4]); // the third chunk: the cache starts over
  equal(cache.size, 1);
  equal(cache.appendTo(text, 0, 2, 7, out), false);
  equal(hashRange("xab", 1, 3), hashRange("ab", 0, 2));
});

Deno.test("a pattern that skips text encodes only what it matches (as minbpe's findall)", () => {
  const words = Tokenizer.fromMerges([], { pattern: String.raw`\p{L}+` });
  deepEqual(words.encode("ab, c!"), [97, 98, 99]);
  deepEqual(words.encode("ab, c!"), [97, 98, 99]); // cached
});
