/**
 * Kata 11, step 11.1 (reference): Unicode code points and their UTF-8 bytes.
 *
 * @module
 */

/**
 * The code points of a string (Python's `[ord(c) for c in text]`). A JS
 * string is UTF-16: iterate it with `for…of`, not by index, so an emoji is one
 * code point and not two surrogate halves.
 *
 * @param text the text
 * @returns one number per code point
 * @example
 * ```ts
 * import { codePoints } from "./bytes.ts";
 * codePoints("hi 😉"); // [104, 105, 32, 128521]
 * ```
 */
export function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
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
 * ```ts
 * import { utf8Encode } from "./bytes.ts";
 * utf8Encode(0x20ac); // [226, 130, 172]  (€)
 * ```
 */
export function utf8Encode(cp: number): number[] {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    throw new RangeError(`utf8Encode: ${cp} is not a Unicode scalar value`);
  }
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/**
 * The UTF-8 bytes of a string (Python's `list(text.encode("utf-8"))`).
 *
 * @param text the text (without lone surrogates)
 * @returns the bytes
 * @example
 * ```ts
 * import { utf8Bytes } from "./bytes.ts";
 * utf8Bytes("안녕"); // [236, 149, 136, 235, 133, 149]
 * ```
 */
export function utf8Bytes(text: string): number[] {
  return codePoints(text).flatMap(utf8Encode);
}
