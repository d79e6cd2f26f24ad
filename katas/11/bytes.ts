/**
 * Kata 11, step 11.1: Unicode code points and their UTF-8 bytes — what a
 * byte-level tokenizer starts from. Replace every `todo(...)` with your code;
 * `deno test katas/11` tells you what to do next. Read katas/11/README.md first.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/**
 * The code points of a string (Python's `[ord(c) for c in text]`). A JS
 * string is UTF-16: iterate it with `for…of`, not by index, so an emoji is one
 * code point and not two surrogate halves.
 *
 * @param text the text
 * @returns one number per code point
 * @example
 * ```ts ignore
 * codePoints("hi 😉"); // [104, 105, 32, 128521]
 * ```
 */
export function codePoints(text: string): number[] {
  return todo("11.1", "codePoints: one codePointAt(0) per character of for…of");
}

/**
 * The UTF-8 bytes of one code point: 1 byte below U+0080, 2 below U+0800, 3
 * below U+10000, else 4; the lead byte says how many follow (`110xxxxx`,
 * `1110xxxx`, `11110xxx`) and each continuation byte carries 6 bits
 * (`10xxxxxx`).
 *
 * @param cp a Unicode scalar value: 0..0x10FFFF, not a surrogate (0xD800..0xDFFF)
 * @returns 1 to 4 bytes
 * @throws {RangeError} for anything else
 * @example
 * ```ts ignore
 * utf8Encode(0x20ac); // [226, 130, 172]  (€)
 * ```
 */
export function utf8Encode(cp: number): number[] {
  return todo(
    "11.1",
    "utf8Encode: 1 to 4 bytes by hand (RangeError for a surrogate or > 0x10FFFF)",
  );
}

/**
 * The UTF-8 bytes of a string (Python's `list(text.encode("utf-8"))`).
 *
 * @param text the text (without lone surrogates)
 * @returns the bytes
 * @example
 * ```ts ignore
 * utf8Bytes("안녕"); // [236, 149, 136, 235, 133, 149]
 * ```
 */
export function utf8Bytes(text: string): number[] {
  return todo("11.1", "utf8Bytes: utf8Encode of every code point, concatenated");
}
