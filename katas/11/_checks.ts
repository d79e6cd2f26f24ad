/**
 * Shared pieces of kata 11's tests: taylorswift.txt, minbpe's figures
 * (testdata/lectures/minbpe.json, written by testdata/gen_kata11.py with
 * CPython and the `regex` module), and assertions that say where two lists
 * first differ.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { loadDataset } from "../../mod.ts";
import fixture from "../../testdata/lectures/minbpe.json" with { type: "json" };

/** minbpe's test file (185,768 bytes; downloaded once if `KATAGRAD_DATA` lacks it). */
export const TAYLOR: string = await loadDataset("taylorswift");

/** A merge as the fixture stores it: left id, right id, its count when it was chosen. */
export type FixtureMerge = [number, number, number];

/** What minbpe's code gives (recomputed by testdata/gen_kata11.py). */
export const MINBPE = fixture as unknown as {
  patterns: { gpt2: string; gpt4: string };
  splits: Record<
    "gpt2" | "gpt4",
    { strings: [string, string[]][]; taylorswift: { chunks: number; sha256: string } }
  >;
  wikipedia: { text: string; merges: FixtureMerge[]; ids: number[] };
  taylorswift: {
    bytes: number;
    basic: { tokens: number; merges: FixtureMerge[] };
    regex: { tokens: number; merges: FixtureMerge[] };
  };
};

/** minbpe's test strings (tests/test_tokenizer.py), taylorswift.txt last. */
export const TEST_STRINGS: readonly string[] = [
  "",
  "?",
  "hello world!!!? (안녕하세요!) lol123 😉",
];

/** minbpe's `specials_string` (tests/test_tokenizer.py): GPT-4's special tokens inside text. */
export const SPECIALS_STRING = `
<|endoftext|>Hello world this is one document
<|endoftext|>And this is another document
<|endoftext|><|fim_prefix|>And this one has<|fim_suffix|> tokens.<|fim_middle|> FIM
<|endoftext|>Last document!!! 👋<|endofprompt|>
`;

/** minbpe's `llama_text` (tests/test_tokenizer.py, shortened): a paragraph with special tokens. */
export const LLAMA_TEXT = `
<|endoftext|>The llama (/ˈlɑːmə/; Spanish pronunciation: [ˈʎama] or [ˈʝama]) (Lama glama) is a domesticated South American camelid, widely used as a meat and pack animal by Andean cultures since the pre-Columbian era.
Llamas are social animals and live with others as a herd. Their wool is soft and contains only a small amount of lanolin.[2] Llamas can learn simple tasks after a few repetitions. When using a pack, they can carry about 25 to 30% of their body weight for 8 to 13 km (5–8 miles).[3] The name llama (in the past also spelled "lama" or "glama") was adopted by European settlers from native Peruvians.[4]
<|fim_prefix|>In<|fim_suffix|> Aymara mythology, llamas are important beings. The Heavenly Llama is said to drink water from the ocean and urinates as it rains.[6]<|fim_middle|> According to Aymara eschatology,<|endofprompt|>
`.trim();

/**
 * Asserts two lists are equal, naming the first index where they differ and
 * showing a few entries around it.
 *
 * @param name what is compared
 * @param actual the learner's list
 * @param expected the known list
 */
export function assertSameList<T>(
  name: string,
  actual: readonly T[],
  expected: readonly T[],
): void {
  if (!Array.isArray(actual)) {
    throw new KataAssertionError(`${name}: expected an array, got ${typeof actual}`);
  }
  const n = Math.min(actual.length, expected.length);
  let i = 0;
  while (i < n && actual[i] === expected[i]) i++;
  if (i === n && actual.length === expected.length) return;
  const show = (xs: readonly T[]) => JSON.stringify(xs.slice(Math.max(0, i - 2), i + 4));
  throw new KataAssertionError(
    `${name}: first difference at index ${i} of ${expected.length} (you have ${actual.length}): ` +
      `expected ${show(expected)}, got ${show(actual)} (from index ${Math.max(0, i - 2)})`,
  );
}

/**
 * Merges as `[a, b]` in order, from a tokenizer's `merges` map; checks each
 * pair's id is `256 + i`.
 *
 * @param merges `pairKey(a, b) → id`
 * @returns the pairs, as `"a,b"` strings
 */
export function mergeList(merges: ReadonlyMap<string, number>): string[] {
  if (!(merges instanceof Map)) {
    throw new KataAssertionError(`merges: expected a Map, got ${typeof merges}`);
  }
  const out: string[] = [];
  for (const [k, idx] of merges) {
    if (idx !== 256 + out.length) {
      throw new KataAssertionError(
        `merges: the merge ${k} has id ${idx}, expected ${
          256 + out.length
        } (merge i gets id 256 + i)`,
      );
    }
    out.push(k);
  }
  return out;
}

/**
 * The sha256 (hex) of chunks joined by NUL, as testdata/gen_kata11.py hashes them.
 *
 * @param chunks the chunks
 * @returns the hex digest
 */
export async function chunksDigest(chunks: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(chunks.join("\0"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Asserts that `fn` throws an error `check` accepts. An unfinished step's
 * `KataTodo` is thrown on as it is, so it names the step to do.
 *
 * @param fn the call that must throw
 * @param check whether the error is the right one
 * @param message what was expected
 */
export function assertThrowsTyped(
  fn: () => unknown,
  check: (e: unknown) => boolean,
  message: string,
): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && e.name === "KataTodo") throw e;
    if (check(e)) return;
    throw new KataAssertionError(`${message}; it threw ${e instanceof Error ? e.name : e}: ${e}`);
  }
  throw new KataAssertionError(`${message}; it returned without throwing`);
}
