/**
 * A byte-level BPE tokenizer: minbpe's `BasicTokenizer` / `RegexTokenizer`
 * (trained here, or loaded from a `.model` file) and tiktoken's encodings
 * (loaded from rank files) behind one class.
 *
 * @module
 */

import { bytePairMerge, MAX_TOKENS, type MergeRules } from "./byte_pair_merge.ts";
import { ChunkCache, hashRange } from "./chunk_cache.ts";
import { UnknownTokenIdError } from "./errors.ts";
import { mergeRulesFromMerges, mergeRulesFromRanks } from "./merge_rules.ts";
import { type AllowedSpecial, splitSpecial } from "./special_tokens.ts";
import { trainMerges } from "./train.ts";

/** Options shared by the ways to make a {@link Tokenizer}. */
export interface TokenizerOptions {
  /**
   * The split pattern (source of a `u` regular expression, e.g.
   * `GPT4_SPLIT_PATTERN`); without one the text is a single chunk.
   */
  pattern?: string;
  /** Special tokens, text → id (e.g. `{ "<|endoftext|>": 100257 }`). */
  specialTokens?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  /** A name for messages and `toString` (e.g. `"cl100k_base"`). */
  name?: string;
}

/** Options of {@link Tokenizer.train}. */
export interface TrainTokenizerOptions extends TokenizerOptions {
  /** The final vocabulary size (256 byte tokens plus the merges). */
  vocabSize: number;
}

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /**
   * Which special tokens become their ids: `"all"`, `"none"` (encoded as
   * plain text), `"none_raise"` (the default: text containing one is an
   * error) or a set of their texts.
   */
  allowedSpecial?: AllowedSpecial;
}

const CACHE_LIMIT = 1 << 17;
/** Keeps a leading U+FEFF (a BOM is text here, as in Python's `bytes.decode`). */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * A byte-level BPE tokenizer: text → UTF-8 bytes → chunks (split pattern) →
 * merged token ids, and back.
 *
 * @example Train, encode, decode (minbpe's example)
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { Tokenizer } from "./tokenizer.ts";
 * const tok = Tokenizer.train("aaabdaaabac", { vocabSize: 259 });
 * deepEqual(tok.encode("aaabdaaabac"), [258, 100, 258, 97, 99]);
 * equal(tok.decode([258, 100, 258, 97, 99]), "aaabdaaabac");
 * ```
 */
export class Tokenizer {
  /** The name given at construction, or `"bpe"`. */
  readonly name: string;
  /** The split pattern's source, or `undefined` (one chunk). */
  readonly pattern: string | undefined;
  readonly #tokens: readonly Uint8Array[];
  readonly #rules: MergeRules;
  readonly #merges: ReadonlyArray<readonly [number, number]> | undefined;
  readonly #regex: RegExp | undefined;
  readonly #specials = new Map<string, number>();
  readonly #specialIds = new Map<number, Uint8Array>();
  readonly #sticky: RegExp | undefined;
  readonly #cache = new ChunkCache(CACHE_LIMIT);
  readonly #encoder = new TextEncoder();
  #buffer = new Uint8Array(256);

  private constructor(
    tokens: readonly Uint8Array[],
    rules: MergeRules,
    merges: ReadonlyArray<readonly [number, number]> | undefined,
    options: TokenizerOptions,
  ) {
    if (tokens.length > MAX_TOKENS) {
      throw new RangeError(
        `Cannot build tokenizer: ${tokens.length} tokens; at most ${MAX_TOKENS} are supported`,
      );
    }
    this.#tokens = tokens;
    this.#rules = rules;
    this.#merges = merges;
    this.name = options.name ?? "bpe";
    this.pattern = options.pattern;
    this.#regex = options.pattern === undefined ? undefined : new RegExp(options.pattern, "gu");
    this.#sticky = options.pattern === undefined ? undefined : new RegExp(options.pattern, "uy");
    if (options.specialTokens) this.registerSpecialTokens(options.specialTokens);
  }

  /**
   * Learns merges from `text` (see `trainMerges`) and returns the tokenizer.
   *
   * @param text the training text
   * @param options `vocabSize`, and optionally `pattern`, `specialTokens`, `name`
   * @returns the trained tokenizer
   * @throws {RangeError} for a vocabulary size below 256
   * @example RegexTokenizer with the GPT-4 pattern
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { GPT4_SPLIT_PATTERN, Tokenizer } from "../../mod.ts";
   * const tok = Tokenizer.train("the cat, the hat", { vocabSize: 260, pattern: GPT4_SPLIT_PATTERN });
   * equal(tok.decode(tok.encode("the hat")), "the hat");
   * ```
   */
  static train(text: string, options: TrainTokenizerOptions): Tokenizer {
    const merges = trainMerges(text, { vocabSize: options.vocabSize, pattern: options.pattern });
    return Tokenizer.fromMerges(merges, options);
  }

  /**
   * A tokenizer from minbpe-style merges: merge `i` joins `[left, right]` into
   * token `256 + i`; tokens 0…255 are the bytes.
   *
   * @param merges the merges in order
   * @param options pattern, special tokens, name
   * @returns the tokenizer
   * @throws {RangeError} when a merge names a token that does not exist yet
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * const tok = Tokenizer.fromMerges([[104, 105]]); // "hi" → 256
   * deepEqual(tok.encode("hihi"), [256, 256]);
   * ```
   */
  static fromMerges(
    merges: ReadonlyArray<readonly [number, number]>,
    options: TokenizerOptions = {},
  ): Tokenizer {
    const { tokens, rules } = mergeRulesFromMerges(merges);
    return new Tokenizer(tokens, rules, merges.map(([a, b]) => [a, b]), options);
  }

  /**
   * A tokenizer from tiktoken-style ranks: `tokens[rank]` is a token's bytes
   * and its rank is its id (see `parseRankFile`). Every single byte must be a
   * token. Merges are derived: two adjacent tokens merge into the token
   * spelled by their bytes, lowest rank first.
   *
   * @param tokens the token bytes by rank
   * @param options pattern, special tokens, name
   * @returns the tokenizer
   * @throws {RangeError} when a byte has no token
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * const bytes = Array.from({ length: 256 }, (_, b) => new Uint8Array([b]));
   * const tok = Tokenizer.fromRanks([...bytes, new Uint8Array([104, 105])]);
   * deepEqual(tok.encode("hih"), [256, 104]);
   * ```
   */
  static fromRanks(tokens: readonly Uint8Array[], options: TokenizerOptions = {}): Tokenizer {
    return new Tokenizer(tokens, mergeRulesFromRanks(tokens), undefined, options);
  }

  /**
   * Adds special tokens (text → id); their ids must not be regular tokens.
   *
   * @param specialTokens text → id
   * @throws {RangeError} for an id that is a regular token or not an integer
   */
  registerSpecialTokens(
    specialTokens: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
  ): void {
    const entries = specialTokens instanceof Map
      ? [...specialTokens.entries()]
      : Object.entries(specialTokens);
    for (const [text, id] of entries) {
      if (!Number.isInteger(id) || id < this.#tokens.length || text.length === 0) {
        throw new RangeError(
          `Cannot register special token ${JSON.stringify(text)} as ${id}: its id must be an ` +
            `integer ≥ ${this.#tokens.length} (past the regular tokens) and its text non-empty`,
        );
      }
      this.#specials.set(text, id);
      this.#specialIds.set(id, this.#encoder.encode(text));
    }
  }

  /** The special tokens, text → id. */
  get specialTokens(): ReadonlyMap<string, number> {
    return this.#specials;
  }

  /** The merges (for tokenizers trained or made from merges), else `undefined`. */
  get merges(): ReadonlyArray<readonly [number, number]> | undefined {
    return this.#merges;
  }

  /** One past the largest id (regular or special). */
  get vocabSize(): number {
    let n = this.#tokens.length;
    for (const id of this.#specials.values()) n = Math.max(n, id + 1);
    return n;
  }

  /**
   * The bytes of a token (regular or special).
   *
   * @param id the token id
   * @returns its bytes (do not modify)
   * @throws {UnknownTokenIdError} for an id not in the vocabulary
   */
  tokenBytes(id: number): Uint8Array {
    const t = this.#tokens[id] ?? this.#specialIds.get(id);
    if (t === undefined) throw new UnknownTokenIdError(id, 0, this.vocabSize);
    return t;
  }

  /**
   * Encodes text, special tokens per `allowedSpecial` (default `"none_raise"`).
   *
   * @param text the text
   * @param options `allowedSpecial`
   * @returns the token ids
   * @throws {DisallowedSpecialTokenError} for a special token the mode does not allow
   * @example
   * ```ts
   * import { deepEqual, throws } from "node:assert/strict";
   * import { Tokenizer } from "./tokenizer.ts";
   * const tok = Tokenizer.fromMerges([], { specialTokens: { "<|eot|>": 256 } });
   * deepEqual(tok.encode("a<|eot|>", { allowedSpecial: "all" }), [97, 256]);
   * throws(() => tok.encode("a<|eot|>"), { name: "DisallowedSpecialTokenError" });
   * ```
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== "string") {
      throw new TypeError(`Cannot encode: text must be a string, got ${typeof text}`);
    }
    const pieces = splitSpecial(text, this.#specials, options.allowedSpecial ?? "none_raise");
    if (pieces.length === 1 && typeof pieces[0] === "string") return this.encodeOrdinary(text);
    const out: number[] = [];
    for (const p of pieces) {
      if (typeof p === "string") this.#encodeText(p, out);
      else out.push(p.special);
    }
    return out;
  }

  /**
   * Encodes text ignoring special tokens (their text is ordinary text).
   *
   * @param text the text
   * @returns the token ids
   */
  encodeOrdinary(text: string): number[] {
    if (typeof text !== "string") {
      throw new TypeError(`Cannot encode: text must be a string, got ${typeof text}`);
    }
    const out: number[] = [];
    this.#encodeText(text, out);
    return out;
  }

  /**
   * Decodes ids to bytes.
   *
   * @param ids token ids
   * @returns the concatenated token bytes
   * @throws {UnknownTokenIdError} naming the first id not in the vocabulary
   */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    let n = 0;
    const tokens = this.#tokens;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const t = tokens[id] ?? this.#specialIds.get(id);
      if (t === undefined) throw new UnknownTokenIdError(id, i, this.vocabSize);
      n += t.length;
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < ids.length; i++) {
      const t = tokens[ids[i]] ?? this.#specialIds.get(ids[i])!;
      out.set(t, o);
      o += t.length;
    }
    return out;
  }

  /**
   * Decodes ids to text; invalid UTF-8 becomes U+FFFD (as Python's
   * `errors="replace"`), and a leading U+FEFF stays.
   *
   * @param ids token ids
   * @returns the text
   * @throws {UnknownTokenIdError} naming the first id not in the vocabulary
   */
  decode(ids: ArrayLike<number>): string {
    return UTF8.decode(this.decodeBytes(ids));
  }

  /**
   * Empties the cache of chunk → ids that makes repeated words cheap (it
   * holds at most 131,072 chunks and empties itself when full).
   */
  clearCache(): void {
    this.#cache.clear();
  }

  /** A short description, e.g. `Tokenizer(cl100k_base, 100277 ids)`. */
  toString(): string {
    return `Tokenizer(${this.name}, ${this.vocabSize} ids)`;
  }

  #encodeText(text: string, out: number[]): void {
    const re = this.#regex;
    if (re === undefined) {
      const bytes = this.#encoder.encode(text);
      if (bytes.length > 0) bytePairMerge(this.#rules, bytes, 0, bytes.length, out);
      return;
    }
    // The sticky twin matches at a given position and only moves lastIndex: no match
    // object and no substring per chunk. Where the pattern skips text (never for
    // the GPT patterns), the global regex finds the next match.
    const sticky = this.#sticky!, cache = this.#cache, length = text.length;
    let pos = 0;
    while (pos < length) {
      let start = pos, end: number;
      sticky.lastIndex = pos;
      if (sticky.test(text)) end = sticky.lastIndex;
      else {
        re.lastIndex = pos;
        const m = re.exec(text);
        if (m === null) break;
        start = m.index;
        end = start + m[0].length;
      }
      if (end === start) {
        pos = start + 1;
        continue;
      }
      pos = end;
      const hash = hashRange(text, start, end);
      if (cache.appendTo(text, start, end, hash, out)) continue;
      if (this.#buffer.length < (end - start) * 3) this.#buffer = new Uint8Array((end - start) * 3);
      const chunk = text.slice(start, end);
      const n = this.#encoder.encodeInto(chunk, this.#buffer).written;
      const first = out.length;
      bytePairMerge(this.#rules, this.#buffer, 0, n, out);
      cache.set(chunk, hash, out, first);
    }
  }
}
