/**
 * Kata 11, step 11.1: code points and UTF-8 bytes. Run `deno test katas/11`.
 *
 * The expected bytes come from the runtime's own `TextEncoder`, the code
 * points from Python's `ord`.
 *
 * @module
 */

import { assertSameList, assertThrowsTyped } from "./_checks.ts";
import { codePoints, utf8Bytes, utf8Encode } from "./bytes.ts";

const HELLO = "hello world!!!? (안녕하세요!) lol123 😉";

Deno.test("11.1 codePoints: one number per code point, so an emoji is one and not two", () => {
  assertSameList('codePoints("😉")', codePoints("😉"), [128521]);
  assertSameList(`codePoints(${JSON.stringify(HELLO)})`, codePoints(HELLO), [
    104,
    101,
    108,
    108,
    111,
    32,
    119,
    111,
    114,
    108,
    100,
    33,
    33,
    33,
    63,
    32,
    40,
    50504,
    45397,
    54616,
    49464,
    50836,
    33,
    41,
    32,
    108,
    111,
    108,
    49,
    50,
    51,
    32,
    128521,
  ]);
  assertSameList('codePoints("")', codePoints(""), []);
});

Deno.test("11.1 utf8Encode: 1, 2, 3 or 4 bytes, on both sides of every boundary", () => {
  const cps = [
    0,
    0x41,
    0x7f,
    0x80,
    0xe9,
    0x7ff,
    0x800,
    0x20ac,
    0xc548,
    0xd7ff,
    0xe000,
    0xfffd,
    0xffff,
    0x10000,
    0x1f609,
    0x10ffff,
  ];
  for (const cp of cps) {
    const expected = [...new TextEncoder().encode(String.fromCodePoint(cp))];
    assertSameList(`utf8Encode(0x${cp.toString(16)})`, utf8Encode(cp), expected);
  }
});

Deno.test("11.1 utf8Encode: a surrogate or a number past U+10FFFF is a RangeError", () => {
  for (const cp of [0xd800, 0xdfff, 0x110000, -1]) {
    assertThrowsTyped(
      () => utf8Encode(cp),
      (e) => e instanceof RangeError,
      `utf8Encode(${cp}) must throw a RangeError`,
    );
  }
});

Deno.test("11.1 utf8Bytes: a string's UTF-8, as Python's list(text.encode('utf-8'))", () => {
  assertSameList('utf8Bytes("안녕")', utf8Bytes("안녕"), [236, 149, 136, 235, 133, 149]);
  for (const s of ["", "hi", HELLO, "naïve café — 👋🏽 🇺🇸"]) {
    assertSameList(`utf8Bytes(${JSON.stringify(s)})`, utf8Bytes(s), [
      ...new TextEncoder().encode(s),
    ]);
  }
});
