/**
 * Kata 11, steps 11.5–11.7 (reference): the GPT-2 and GPT-4 split patterns,
 * minbpe's `RegexTokenizer` (BPE inside the chunks of a split, never across
 * them) and special tokens.
 *
 * @module
 */

import { applyMerges, pairKey, trainMerges } from "./merges.ts";
import { Tokenizer } from "./tokenizer.ts";

/**
 * GPT-2's split (OpenAI's `encoder.py`, as minbpe writes it): contractions,
 * optional space + letters, optional space + numbers, optional space +
 * other symbols, whitespace not followed by non-space, whitespace. JavaScript
 * runs it as it stands (with the `u` flag for `\p{…}`).
 *
 * @returns a new global, Unicode RegExp
 * @example
 * ```ts
 * import { gpt2Pattern, splitChunks } from "./regex.ts";
 * splitChunks("Hello've world123", gpt2Pattern()); // ["Hello", "'ve", " world", "123"]
 * ```
 */
export function gpt2Pattern(): RegExp {
  return /'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
}

/**
 * GPT-4's split (tiktoken's `cl100k_base`, as minbpe writes it):
 *
 *     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
 *
 * rewritten for JavaScript: the contractions spelled out in both cases (the
 * inline `(?i:…)` is new in JavaScript, not in older engines), and the
 * possessive `?+` and `++` made ordinary. Neither possessive changes a match
 * here: after `[^\r\n\p{L}\p{N}]?` fails, giving the character back leaves a
 * non-letter where `\p{L}+` must start, and `[\r\n]*` after `++` may match
 * nothing, so there is nothing to backtrack into.
 *
 * @returns a new global, Unicode RegExp
 * @example
 * ```ts
 * import { gpt4Pattern, splitChunks } from "./regex.ts";
 * splitChunks("YOU'LL lol123", gpt4Pattern()); // ["YOU", "'LL", " lol", "123"]
 * ```
 */
export function gpt4Pattern(): RegExp {
  return new RegExp(
    "'(?:[sdmtSDMT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" +
      "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+",
    "gu",
  );
}

/**
 * Every match of `pattern` in `text`, in order (Python's `re.findall`).
 *
 * @param text the text
 * @param pattern the split pattern (its flags are ignored: matched with `gu`)
 * @returns the chunks
 */
export function splitChunks(text: string, pattern: RegExp): string[] {
  return text.match(new RegExp(pattern.source, "gu")) ?? [];
}

/** Which special tokens `encode` may produce. */
export type AllowedSpecial = "all" | "none" | "none_raise" | ReadonlySet<string>;

/** `encode(text, "none_raise")` met a special token in the text. */
export class DisallowedSpecialTokenError extends Error {
  /** The special token found. */
  readonly token: string;
  /** @param token the special token found */
  constructor(token: string) {
    super(
      `the text contains the special token ${JSON.stringify(token)}; pass allowedSpecial ` +
        `"all" (or a set naming it) to encode it as one token, or "none" to encode it as text`,
    );
    this.name = "DisallowedSpecialTokenError";
    this.token = token;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Byte-level BPE inside the chunks of a split pattern, with special tokens.
 *
 * @example
 * ```ts
 * import { RegexTokenizer } from "./regex.ts";
 * const tok = new RegexTokenizer();
 * tok.train("aaabdaaabac", 256 + 3);
 * tok.encode("aaabdaaabac"); // [258, 100, 258, 97, 99]
 * ```
 */
export class RegexTokenizer extends Tokenizer {
  /** Special token id → string. */
  inverseSpecialTokens: Map<number, string> = new Map();

  /** @param pattern the split pattern (default {@link gpt4Pattern}) */
  constructor(pattern: RegExp = gpt4Pattern()) {
    super();
    this.pattern = pattern.source;
  }

  /**
   * Learns `vocabSize - 256` merges from the chunks of `text`: pairs are
   * counted inside each chunk and summed, never across two chunks.
   *
   * @param text the training text
   * @param vocabSize at least 256
   * @param verbose print each merge
   * @throws {RangeError} when vocabSize < 256
   */
  override train(text: string, vocabSize: number, verbose = false): void {
    if (!(vocabSize >= 256)) throw new RangeError(`vocabSize must be >= 256, got ${vocabSize}`);
    const utf8 = new TextEncoder();
    const chunks = splitChunks(text, new RegExp(this.pattern, "gu")).map((c) => [
      ...utf8.encode(c),
    ]);
    const pairs = trainMerges(chunks, vocabSize - 256, { verbose });
    this.merges = new Map(pairs.map(([a, b], i) => [pairKey(a, b), 256 + i]));
    this.buildVocab();
  }

  /**
   * One chunk's bytes to token ids (the merges applied).
   *
   * @param bytes the chunk's UTF-8 bytes
   * @returns the ids
   */
  encodeChunk(bytes: readonly number[]): number[] {
    return applyMerges(bytes, this.merges);
  }

  /**
   * Text to ids, special tokens treated as ordinary text.
   *
   * @param text the text
   * @returns the ids
   */
  encodeOrdinary(text: string): number[] {
    const utf8 = new TextEncoder();
    const ids: number[] = [];
    for (const chunk of splitChunks(text, new RegExp(this.pattern, "gu"))) {
      for (const id of this.encodeChunk([...utf8.encode(chunk)])) ids.push(id);
    }
    return ids;
  }

  /**
   * Adds special tokens (string → id) and rebuilds the vocabulary.
   *
   * @param specials e.g. `{ "<|endoftext|>": 100257 }`
   */
  registerSpecialTokens(specials: Record<string, number>): void {
    for (const [s, id] of Object.entries(specials)) {
      this.specialTokens.set(s, id);
      this.inverseSpecialTokens.set(id, s);
    }
    this.buildVocab();
  }

  /**
   * Text to ids. `allowedSpecial` says which special tokens in the text become
   * their one id: `"all"`, a set of them, `"none"` (all encoded as ordinary
   * text), or `"none_raise"` (the default, tiktoken's): none, and an error if
   * the text holds any.
   *
   * @param text the text
   * @param allowedSpecial `"all"`, `"none"`, `"none_raise"` or a set of special tokens
   * @returns the ids
   * @throws {DisallowedSpecialTokenError} under `"none_raise"` when the text holds a special token
   */
  override encode(text: string, allowedSpecial: AllowedSpecial = "none_raise"): number[] {
    let special: string[];
    if (allowedSpecial === "all") special = [...this.specialTokens.keys()];
    else if (allowedSpecial === "none") special = [];
    else if (allowedSpecial === "none_raise") {
      for (const s of this.specialTokens.keys()) {
        if (text.includes(s)) throw new DisallowedSpecialTokenError(s);
      }
      special = [];
    } else special = [...this.specialTokens.keys()].filter((s) => allowedSpecial.has(s));
    if (special.length === 0) return this.encodeOrdinary(text);
    // A capturing split keeps the special tokens: ordinary text at even indices, specials at odd.
    const parts = text.split(new RegExp(`(${special.map(escape).join("|")})`, "u"));
    const ids: number[] = [];
    parts.forEach((part, i) => {
      if (i % 2 === 1) ids.push(this.specialTokens.get(part)!);
      else for (const id of this.encodeOrdinary(part)) ids.push(id);
    });
    return ids;
  }

  /**
   * Replaces pattern, special tokens and merges from a model file.
   *
   * @param model the file's text
   */
  override load(model: string): void {
    super.load(model);
    this.inverseSpecialTokens = new Map([...this.specialTokens].map(([s, id]) => [id, s]));
  }
}
