import { deepEqual, equal, notDeepEqual, ok, throws } from "node:assert/strict";
import { mulberry32, seededUniform } from "./seeded.ts";

function take(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, rng);
}

Deno.test("mulberry32() matches an independent Python implementation", () => {
  // Computed once with a 20-line Python port (unbounded ints masked to 32 bits).
  deepEqual(take(mulberry32(0), 4), [
    0.26642920868471265,
    0.0003297457005828619,
    0.2232720274478197,
    0.1462021479383111,
  ]);
  deepEqual(take(mulberry32(1), 4), [
    0.6270739405881613,
    0.002735721180215478,
    0.5274470399599522,
    0.9810509674716741,
  ]);
  deepEqual(take(mulberry32(42), 2), [0.6011037519201636, 0.44829055899754167]);
});

Deno.test("mulberry32() reduces the seed to 32 bits", () => {
  deepEqual(take(mulberry32(-1), 3), take(mulberry32(0xffffffff), 3));
  deepEqual(take(mulberry32(2 ** 32 + 5), 3), take(mulberry32(5), 3));
});

Deno.test("mulberry32() draws look uniform in [0, 1)", () => {
  const xs = take(mulberry32(7), 20000);
  ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
  const buckets = new Array(10).fill(0);
  for (const x of xs) buckets[Math.floor(x * 10)]++;
  ok(buckets.every((c) => Math.abs(c - 2000) < 150), `buckets ${buckets}`);
});

Deno.test("mulberry32() throws on a non-integer seed", () => {
  throws(() => mulberry32(1.5), {
    name: "RangeError",
    message: "mulberry32: seed must be an integer, got 1.5",
  });
  throws(() => mulberry32(NaN), RangeError);
});

Deno.test("seededUniform() scales mulberry32 to [low, high)", () => {
  const u = take(mulberry32(3), 5);
  const v = take(seededUniform(3), 5);
  for (let i = 0; i < 5; i++) equal(v[i], -1 + 2 * u[i]);
  const w = take(seededUniform(3, 10, 12), 5);
  for (let i = 0; i < 5; i++) equal(w[i], 10 + 2 * u[i]);
  notDeepEqual(take(seededUniform(4), 5), v);
});

Deno.test("seededUniform() throws on empty or non-finite bounds", () => {
  throws(() => seededUniform(1, 1, 1), {
    name: "RangeError",
    message: "seededUniform: high must be more than low 1, got 1",
  });
  throws(() => seededUniform(1, 0, Infinity), RangeError);
  throws(() => seededUniform(0.5), RangeError);
});
