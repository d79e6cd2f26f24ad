/**
 * tiktoken's encodings by name: GPT-2's `r50k_base` and GPT-4's
 * `cl100k_base`. The rank files come through the data-set loader (explicit
 * path → `$KATAGRAD_DATA` → the user cache → a verified download), pinned by
 * their sha256.
 *
 * @module
 */

import { type DatasetOptions, DATASETS, loadDataset } from "../data/datasets.ts";
import { parseRankFile } from "./rank_file.ts";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
import { Tokenizer } from "./tokenizer.ts";

/** The names of the encodings {@link loadEncoding} knows. */
export type EncodingName = "cl100k_base" | "r50k_base";

/** What an encoding is made of besides its ranks. */
export interface EncodingSpec {
  /** The encoding's name (also its rank file's data-set name). */
  readonly name: EncodingName;
  /** The split pattern (JavaScript source, `gu` flags). */
  readonly pattern: string;
  /** The special tokens, text → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /** How many regular tokens the rank file holds. */
  readonly ranks: number;
}

/**
 * The known encodings: split pattern, special tokens, number of ranks.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ENCODINGS } from "./encodings.ts";
 * equal(ENCODINGS.r50k_base.specialTokens["<|endoftext|>"], 50256);
 * equal(ENCODINGS.cl100k_base.ranks, 100256);
 * ```
 */
export const ENCODINGS: Readonly<Record<EncodingName, EncodingSpec>> = Object.freeze({
  cl100k_base: {
    name: "cl100k_base",
    pattern: GPT4_SPLIT_PATTERN,
    specialTokens: Object.freeze({
      "<|endoftext|>": 100257,
      "<|fim_prefix|>": 100258,
      "<|fim_middle|>": 100259,
      "<|fim_suffix|>": 100260,
      "<|endofprompt|>": 100276,
    }),
    ranks: 100256,
  },
  r50k_base: {
    name: "r50k_base",
    pattern: GPT2_SPLIT_PATTERN,
    specialTokens: Object.freeze({ "<|endoftext|>": 50256 }),
    ranks: 50256,
  },
});

/**
 * Loads an encoding's rank file (verified by sha256) and parses it.
 *
 * @param name `"cl100k_base"` or `"r50k_base"`
 * @param options where to look (as for `loadDataset`: `path`, `dataDir`, `cacheDir`, `download`, …)
 * @returns `tokens[rank]` = the token's bytes
 * @throws {TypeError} for an unknown name
 * @throws {DatasetNotFoundError} when the file is nowhere and cannot be downloaded
 * @throws {DatasetChecksumError} when the file found has another sha256
 */
export async function loadRanks(
  name: EncodingName,
  options: DatasetOptions = {},
): Promise<Uint8Array[]> {
  const spec = specOf(name);
  const text = await loadDataset(spec.name, options);
  return parseRankFile(text, DATASETS[spec.name].file);
}

/**
 * Loads GPT-2's (`"r50k_base"`) or GPT-4's (`"cl100k_base"`) tokenizer.
 * Encodings equal tiktoken's.
 *
 * @param name `"cl100k_base"` or `"r50k_base"`
 * @param options where to look for the rank file (as for `loadDataset`)
 * @returns the tokenizer, with the encoding's split pattern and special tokens
 * @throws {TypeError} for an unknown name
 * @throws {DatasetNotFoundError} when the rank file is nowhere and cannot be downloaded
 * @throws {DatasetChecksumError} when the file found has another sha256
 * @example Nowhere to be found (no download): the error says where to put it
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { DatasetNotFoundError, loadEncoding } from "../../mod.ts";
 * const empty = await Deno.makeTempDir();
 * await rejects(
 *   loadEncoding("r50k_base", { dataDir: empty, cacheDir: empty, download: false }),
 *   DatasetNotFoundError,
 * );
 * await Deno.remove(empty);
 * ```
 */
export async function loadEncoding(
  name: EncodingName,
  options: DatasetOptions = {},
): Promise<Tokenizer> {
  const spec = specOf(name);
  return encodingFromRanks(spec.name, await loadRanks(spec.name, options));
}

/**
 * Builds a known encoding from its ranks (already loaded).
 *
 * @param name `"cl100k_base"` or `"r50k_base"`
 * @param tokens the ranks, `tokens[rank]` = bytes
 * @returns the tokenizer
 * @throws {RangeError} when the number of ranks is not the encoding's
 */
export function encodingFromRanks(name: EncodingName, tokens: readonly Uint8Array[]): Tokenizer {
  const spec = specOf(name);
  if (tokens.length !== spec.ranks) {
    throw new RangeError(
      `Cannot build ${name}: expected ${spec.ranks} ranks, got ${tokens.length}`,
    );
  }
  return Tokenizer.fromRanks(tokens, {
    name,
    pattern: spec.pattern,
    specialTokens: spec.specialTokens,
  });
}

function specOf(name: EncodingName): EncodingSpec {
  if (!Object.hasOwn(ENCODINGS, name)) {
    throw new TypeError(
      `Cannot load encoding ${JSON.stringify(name)}: unknown name; known: ${
        Object.keys(ENCODINGS).join(", ")
      }`,
    );
  }
  return ENCODINGS[name];
}
