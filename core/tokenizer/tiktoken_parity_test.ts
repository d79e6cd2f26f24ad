/**
 * Parity with tiktoken: GPT-2 (`r50k_base`) and GPT-4 (`cl100k_base`)
 * encodings equal those of OpenAI's tiktoken (its Rust core, as the pinned
 * `tiktoken` npm package's WebAssembly build) on the course's texts, minbpe's
 * test strings, special tokens, and property-generated Unicode (fast-check,
 * fixed seed). The rank files are rebuilt from that package and must have the
 * official sha256 (core/testing/tiktoken_ranks.ts), then go through the real
 * loader.
 */

import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { get_encoding, type Tiktoken } from "tiktoken";
import { loadEncoding } from "./encodings.ts";
import { rankFileDir } from "../testing/tiktoken_ranks.ts";
import type { Tokenizer } from "./tokenizer.ts";

const DATA = Deno.env.get("KATAGRAD_DATA");
const needsData = { ignore: !DATA };

const ours = new Map<string, Promise<Tokenizer>>();
function encoding(name: "cl100k_base" | "r50k_base"): Promise<Tokenizer> {
  if (!ours.has(name)) {
    ours.set(
      name,
      rankFileDir().then((dataDir) => loadEncoding(name, { dataDir, download: false })),
    );
  }
  return ours.get(name)!;
}
const oracles = new Map<string, Tiktoken>();
function oracle(name: "cl100k_base" | "r50k_base"): Tiktoken {
  if (!oracles.has(name)) oracles.set(name, get_encoding(name));
  return oracles.get(name)!;
}
globalThis.addEventListener("unload", () => oracles.forEach((e) => e.free()));

const reference = (name: "cl100k_base" | "r50k_base", text: string, all = false) =>
  Array.from(oracle(name).encode(text, all ? "all" : []));

/** Compares without printing 300,000 numbers: the first difference and its context. */
function sameIds(actual: number[], expected: number[], what: string): void {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  if (i === actual.length && i === expected.length) return;
  deepEqual(
    actual.slice(Math.max(0, i - 3), i + 5),
    expected.slice(Math.max(0, i - 3), i + 5),
    `${what}: first difference at token ${i} (${actual.length} vs ${expected.length} tokens)`,
  );
}

Deno.test("GPT-2 (r50k_base) ids of minbpe's example sentence", async () => {
  const gpt2 = await encoding("r50k_base");
  deepEqual(
    gpt2.encode("Hello, I'm a language model,"),
    [15496, 11, 314, 1101, 257, 3303, 2746, 11],
  );
  equal(gpt2.vocabSize, 50257);
  equal((await encoding("cl100k_base")).vocabSize, 100277);
});

for (const file of ["taylorswift", "tinyshakespeare"]) {
  Deno.test({
    name: `cl100k_base and r50k_base encode ${file}.txt exactly as tiktoken`,
    ...needsData,
    fn: async () => {
      const text = await Deno.readTextFile(`${DATA}/${file}.txt`);
      for (const name of ["cl100k_base", "r50k_base"] as const) {
        const ids = (await encoding(name)).encode(text);
        sameIds(ids, reference(name, text), `${name} ${file}`);
        equal((await encoding(name)).decode(ids), text);
      }
    },
  });
}

const MINBPE_STRINGS = ["", "?", "hello world!!!? (안녕하세요!) lol123 😉"];
const SPECIALS_STRING = `<|endoftext|>Hello world this is one document
<|endoftext|>And this is another document
<|endoftext|><|fim_prefix|>And this one has<|fim_suffix|> tokens.<|fim_middle|> FIM
<|endoftext|>Last document!!! 👋<|endofprompt|>`;

Deno.test("minbpe's test strings and special tokens encode as in tiktoken", async () => {
  for (const name of ["cl100k_base", "r50k_base"] as const) {
    const tok = await encoding(name);
    for (const s of MINBPE_STRINGS) {
      deepEqual(tok.encode(s), reference(name, s), `${name} ${JSON.stringify(s)}`);
      equal(tok.decode(tok.encode(s)), s);
    }
  }
  const cl = await encoding("cl100k_base");
  const ids = cl.encode(SPECIALS_STRING, { allowedSpecial: "all" });
  deepEqual(ids, reference("cl100k_base", SPECIALS_STRING, true));
  equal(ids.filter((id) => id >= 100257).length, 8);
  equal(cl.decode(ids), SPECIALS_STRING);
  // as plain text (tiktoken's encode_ordinary) the specials are ordinary bytes
  deepEqual(
    cl.encode(SPECIALS_STRING, { allowedSpecial: "none" }),
    Array.from(oracle("cl100k_base").encode_ordinary(SPECIALS_STRING)),
  );
});

Deno.test("the places where the patterns were rewritten split as tiktoken's", async () => {
  const cases = [
    "HE'LL we'Re it'S I'M you'VE he'D x'ſ x'ſs don'T 'll ' s",
    "a\u0085b \u0085 c \ufeffd \ufeff\ufeff e\u00a0f \u3000g \u2028h\u180ei",
    "x !!!\n\n\n  y  ?!\r\n\r\n z\t\t\n",
    "trailing spaces   ",
    "trailing newline and spaces\n  ",
    "1234567 12 3.14159 ١٢٣٤٥ ⅫⅩ ²³",
    " ".repeat(300) + "x" + "\n".repeat(70) + "!".repeat(90),
  ];
  for (const name of ["cl100k_base", "r50k_base"] as const) {
    const tok = await encoding(name);
    for (const s of cases) {
      deepEqual(tok.encode(s), reference(name, s), `${name} ${JSON.stringify(s)}`);
    }
  }
});

/** Strings built from pieces that stress the split patterns. */
const PIECES = fc.oneof(
  fc.constantFrom(
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "\u00a0",
    "\u3000",
    "\u0085",
    "\ufeff",
    "\u2028",
    "'s",
    "'S",
    "'t",
    "'re",
    "'RE",
    "'ve",
    "'m",
    "'ll",
    "'LL",
    "'d",
    "'ſ",
    "'",
    "''",
    "😉",
    "👋🏽",
    "👨‍👩‍👧",
    "🇫🇷",
    "é",
    "e\u0301",
    "ß",
    "İ",
    "ǅ",
    "안녕하세요",
    "こんにちは",
    "中文字符",
    "Привет",
    "γειά",
    "مرحبا",
    "नमस्ते",
    "שלום",
    "!!!",
    "...",
    "?!",
    "(",
    ")",
    "—",
    "«»",
    "<|endoftext|>",
    "$",
    "_",
    "#",
  ),
  fc.stringMatching(/^[0-9]{1,9}$/),
  fc.stringMatching(/^[a-zA-Z]{1,12}$/),
  fc.tuple(fc.constantFrom("a", " ", "\n", "!", "1", "é", "😉"), fc.integer({ min: 2, max: 120 }))
    .map(([c, n]) => c.repeat(n)),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const TEXTS = fc.array(PIECES, { maxLength: 24 }).map((ps) => ps.join(""));

Deno.test("property: encodings equal tiktoken's and round-trip on generated Unicode", async () => {
  const tokenizers = {
    cl100k_base: await encoding("cl100k_base"),
    r50k_base: await encoding("r50k_base"),
  };
  fc.assert(
    fc.property(TEXTS, (text) => {
      for (const name of ["cl100k_base", "r50k_base"] as const) {
        const ids = tokenizers[name].encodeOrdinary(text);
        deepEqual(
          ids,
          Array.from(oracle(name).encode_ordinary(text)),
          `${name} ${JSON.stringify(text)}`,
        );
        equal(tokenizers[name].decode(ids), text);
      }
    }),
    { seed: 20261206, numRuns: 400 },
  );
});
