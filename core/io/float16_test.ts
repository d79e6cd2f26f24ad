import { equal, ok } from "node:assert/strict";
import {
  float16ArrayToFloat32,
  float16BitsToNumber,
  float32ArrayToFloat16,
  float32ToFloat16Bits,
} from "./float16.ts";
import cases from "../../testdata/safetensors/float16_cases.json" with { type: "json" };

const hex = (n: number) => "0x" + n.toString(16).padStart(4, "0");

Deno.test("float32ArrayToFloat16() matches torch .half() bit for bit on 5,246 cases", () => {
  const input = new Float32Array(Uint32Array.from(cases.f32_bits).buffer);
  const ours = float32ArrayToFloat16(input);
  equal(ours.length, cases.f16_bits.length);
  let bad = 0;
  const first: string[] = [];
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] !== cases.f16_bits[i]) {
      if (bad++ < 5) first.push(`${input[i]}: ${hex(ours[i])} vs torch ${hex(cases.f16_bits[i])}`);
    }
  }
  equal(bad, 0, first.join("\n"));
  equal(cases.versions.torch, "1.13.0a0");
});

Deno.test("float16 edge cases: ties to even, subnormals, overflow, NaN", () => {
  const table: [number, number][] = [
    [1 + 2 ** -11, 0x3c00], // tie, even is down
    [1 + 3 * 2 ** -11, 0x3c02], // tie, even is up
    [65504, 0x7bff],
    [65519.99, 0x7bff], // below the tie with 65536
    [65520, 0x7c00], // the tie rounds to even: Inf
    [-1e10, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -14 - 2 ** -25, 0x0400], // tie between the largest subnormal and 2^-14: even
    [2 ** -24, 0x0001], // smallest subnormal
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal ulps: even
    [2 ** -25, 0x0000], // tie with zero: even
    [-(2 ** -25) * 1.0000001, 0x8001],
    [-0, 0x8000],
    [Infinity, 0x7c00],
    [NaN, 0x7e00],
  ];
  for (const [x, h] of table) equal(hex(float32ToFloat16Bits(x)), hex(h), `${x}`);
  // NaNs keep their sign and lose their payload, as in torch (-nan -> 0xfe00)
  const nans = new Float32Array(Uint32Array.of(0xffc00000, 0x7f800001, 0xffbfffff).buffer);
  equal([...float32ArrayToFloat16(nans)].map(hex).join(), "0xfe00,0x7e00,0xfe00");
  ok(Number.isNaN(float16BitsToNumber(0x7c01)));
  equal(float16BitsToNumber(0x8000), -0);
  ok(Object.is(float16BitsToNumber(0x8000), -0));
  equal(float16BitsToNumber(0x03ff), 1023 * 2 ** -24); // largest subnormal
  equal(float16BitsToNumber(0x7bff), 65504);
});

Deno.test("every float16 survives float16 -> float32 -> float16", () => {
  const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const f = float16ArrayToFloat32(all);
  const back = float32ArrayToFloat16(f);
  for (let i = 0; i < 65536; i++) {
    const isNaN = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
    if (isNaN) ok(Number.isNaN(f[i]), hex(i));
    else if (back[i] !== i) equal(hex(back[i]), hex(i));
  }
});

Deno.test("float32ArrayToFloat16() agrees with the built-in Float16Array over the f16 range", () => {
  // every 61st float32 from 2^-27 to 2^17 (both signs): all rounding regimes, ~12M values
  const chunk = new Uint32Array(1 << 18);
  let checked = 0;
  for (let start = 100 << 23; start < 144 << 23; start += chunk.length * 61) {
    for (let j = 0; j < chunk.length; j++) chunk[j] = (start + j * 61) | (j & 1 ? 0x80000000 : 0);
    const f = new Float32Array(chunk.buffer);
    const ours = float32ArrayToFloat16(f);
    const ref = new Uint16Array(new Float16Array(f).buffer);
    for (let j = 0; j < chunk.length; j++) {
      if (ours[j] !== ref[j]) equal(hex(ours[j]), hex(ref[j]), `${f[j]}`);
    }
    checked += chunk.length;
  }
  ok(checked > 5_000_000, `${checked}`);
});
