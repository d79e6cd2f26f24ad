/**
 * Kata 11, steps 11.3, 11.4 and 11.8: what every tokenizer of
 * this kata shares — the vocabulary built from the merges, `decode`, and the
 * model file (`save` / `load`, minbpe's `.model` format).
 *
 * Replace every `todo(...)` with your code; `deno test katas/11` tells you
 * what to do next.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/** `decode` met an id that is neither a byte, a merge nor a special token. */
export class UnknownTokenIdError extends Error {
  /** The id. */
  readonly id: number;
  /** @param id the unknown id */
  constructor(id: number) {
    super(`invalid token id ${id}: not in the vocabulary (bytes 0-255, merges, special tokens)`);
    this.name = "UnknownTokenIdError";
    this.id = id;
  }
}

/** `load` met a line it cannot read. */
export class ModelFileError extends Error {
  /** The 1-based line number. */
  readonly line: number;
  /**
   * @param line the 1-based line number
   * @param message what is wrong there
   */
  constructor(line: number, message: string) {
    super(`model file line ${line}: ${message}`);
    this.name = "ModelFileError";
    this.line = line;
  }
}

/** The first line of a model file. */
export const MODEL_VERSION = "minbpe v1";

/**
 * The base of the tokenizers: merges, split pattern, special tokens and the
 * vocabulary they give; decode, save and load. Subclasses train and encode.
 */
export class Tokenizer {
  /** `pairKey(a, b) → new id`, in the order the merges were learned. */
  merges: Map<string, number> = new Map();
  /** The split pattern's source ("" for none). */
  pattern = "";
  /** Special token string → id. */
  specialTokens: Map<string, number> = new Map();
  /** Id → its bytes: 0–255 the bytes themselves, then each merge, then the special tokens. */
  vocab: Map<number, Uint8Array> = new Map();

  /** Starts with no merges: the vocabulary is the 256 bytes. */
  constructor() {
    this.buildVocab();
  }

  /**
   * Learns merges from `text` until the vocabulary has `vocabSize` tokens.
   *
   * @param _text the training text
   * @param _vocabSize 256 + the number of merges
   * @param _verbose print each merge
   */
  train(_text: string, _vocabSize: number, _verbose = false): void {
    throw new Error(`${this.constructor.name} cannot be trained`);
  }

  /**
   * Text to token ids.
   *
   * @param _text the text
   * @returns the ids
   */
  encode(_text: string): number[] {
    throw new Error(`${this.constructor.name} does not encode`);
  }

  /**
   * Builds `vocab` from the merges and special tokens (call it after
   * changing them): id `i < 256` is the byte `i`, a merge's id is the
   * concatenation of its pair's bytes, a special token is its UTF-8.
   *
   * @returns the vocabulary, also stored in `this.vocab`
   */
  buildVocab(): Map<number, Uint8Array> {
    return todo(
      "11.3",
      "buildVocab: bytes 0-255, then each merge as its pair's bytes joined, then specials",
    );
  }

  /**
   * Token ids to the bytes they stand for, concatenated.
   *
   * @param ids the token ids
   * @returns the bytes
   * @throws {UnknownTokenIdError} for an id not in `vocab`
   */
  decodeBytes(ids: readonly number[]): Uint8Array {
    return todo(
      "11.3",
      "decodeBytes: every id's bytes from vocab, concatenated (UnknownTokenIdError)",
    );
  }

  /**
   * Token ids to text: all their bytes joined first, then decoded as UTF-8,
   * each invalid sequence becoming U+FFFD (Python's `errors="replace"`).
   *
   * @param ids the token ids
   * @returns the text
   * @throws {UnknownTokenIdError} for an id not in `vocab`
   */
  decode(ids: readonly number[]): string {
    return todo(
      "11.3",
      "decode: decodeBytes, then one UTF-8 decode with replacement (11.4 tests it)",
    );
  }

  /**
   * The model file (minbpe's `.model`): `minbpe v1`, the pattern, the number
   * of special tokens, one `<token> <id>` line each, then one `<a> <b>` line
   * per merge in order (their ids are implied: 256, 257, …).
   *
   * @returns the file's text
   */
  save(): string {
    return todo(
      "11.8",
      'save: minbpe v1, pattern, specials count and lines, one "a b" line per merge',
    );
  }

  /**
   * Reads a model file written by {@link Tokenizer.save}: replaces the
   * pattern, special tokens and merges, and rebuilds `vocab`.
   *
   * @param model the file's text
   * @throws {ModelFileError} naming the line that is wrong
   */
  load(model: string): void {
    todo("11.8", "load: read save()'s format, ModelFileError(line, …) on a bad line");
  }
}
