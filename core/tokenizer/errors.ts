/**
 * The typed errors of the tokenizer: an unknown token id in `decode`, a
 * special token in text that does not allow it, and a corrupt rank or model
 * file (with the line number).
 *
 * @module
 */

/**
 * A token id that the tokenizer does not know, met by `decode`.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { UnknownTokenIdError } from "./errors.ts";
 * const e = new UnknownTokenIdError(70000, 3, 512);
 * ok(e instanceof RangeError);
 * equal(e.id, 70000);
 * ```
 */
export class UnknownTokenIdError extends RangeError {
  /** Always `"UnknownTokenIdError"`. */
  override name = "UnknownTokenIdError";
  /** The unknown id. */
  readonly id: number;
  /** Its index in the ids passed to `decode`. */
  readonly index: number;

  /**
   * Creates the error.
   *
   * @param id the unknown id
   * @param index where it stands in the input
   * @param vocabSize the tokenizer's vocabulary size (for the message)
   */
  constructor(id: unknown, index: number, vocabSize: number) {
    super(
      `Cannot decode: token id ${String(id)} at index ${index} is not in the vocabulary ` +
        `(${vocabSize} ids: regular tokens and the registered special tokens)`,
    );
    this.id = typeof id === "number" ? id : NaN;
    this.index = index;
  }
}

/**
 * A special token (such as `<|endoftext|>`) found in text encoded with
 * `allowedSpecial: "none_raise"` (the default), or outside the allowed set.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DisallowedSpecialTokenError } from "./errors.ts";
 * equal(new DisallowedSpecialTokenError("<|endoftext|>", 5).token, "<|endoftext|>");
 * ```
 */
export class DisallowedSpecialTokenError extends Error {
  /** Always `"DisallowedSpecialTokenError"`. */
  override name = "DisallowedSpecialTokenError";
  /** The special token's text. */
  readonly token: string;
  /** Its UTF-16 offset in the text. */
  readonly offset: number;

  /**
   * Creates the error.
   *
   * @param token the special token's text
   * @param offset where it starts in the text (UTF-16 code units)
   */
  constructor(token: string, offset: number) {
    super(
      `Cannot encode: the text contains the special token ${JSON.stringify(token)} at offset ` +
        `${offset}, which is not allowed; pass { allowedSpecial: "all" } (or a set naming it) to ` +
        `encode it as a special token, or { allowedSpecial: "none" } to encode it as plain text`,
    );
    this.token = token;
    this.offset = offset;
  }
}

/**
 * A rank file (tiktoken's `.tiktoken`) or model file (minbpe's `.model`) that
 * cannot be parsed. The message names the file and the 1-based line.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { TokenizerFileError } from "./errors.ts";
 * const e = new TokenizerFileError("cl100k_base.tiktoken", 7, "rank 9 is not 6");
 * ok(e instanceof SyntaxError);
 * equal(e.line, 7);
 * ```
 */
export class TokenizerFileError extends SyntaxError {
  /** Always `"TokenizerFileError"`. */
  override name = "TokenizerFileError";
  /** The file's name (or a description of the source). */
  readonly source: string;
  /** The 1-based line number. */
  readonly line: number;

  /**
   * Creates the error.
   *
   * @param source the file name or a description
   * @param line the 1-based line number
   * @param why what is wrong on that line
   */
  constructor(source: string, line: number, why: string) {
    super(`Cannot parse ${source}: line ${line}: ${why}`);
    this.source = source;
    this.line = line;
  }
}
