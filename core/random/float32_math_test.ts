import { equal, ok } from "node:assert/strict";
import { fma32, logAvx2, sincosAvx2 } from "./float32_math.ts";
import { Generator } from "./generator.ts";

const f = Math.fround;

/** A finite double as mantissa·2^exponent with an integer (BigInt) mantissa. */
function split(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  let e = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    e--;
  }
  return [BigInt(x), e];
}

/** Rounds m·2^e (exact) to the nearest float32, ties to even (normal range only). */
function roundToFloat32(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  if (neg) m = -m;
  const bits = m.toString(2).length;
  const drop = bits - 24;
  if (drop > 0) {
    const q = m >> BigInt(drop);
    const rem = m - (q << BigInt(drop));
    const half = 1n << BigInt(drop - 1);
    let r = q;
    if (rem > half || (rem === half && (q & 1n) === 1n)) r = q + 1n;
    m = r;
    e += drop;
  }
  const v = Number(m) * 2 ** e;
  return neg ? -v : v;
}

/** The exactly rounded float32 of a·b + c, by integer arithmetic. */
function fmaReference(a: number, b: number, c: number): number {
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  let mp = ma * mb;
  let ep = ea + eb;
  let m2 = mc;
  let e2 = ec;
  if (mp === 0n) ep = e2;
  if (m2 === 0n) e2 = ep;
  const e = Math.min(ep, e2);
  mp <<= BigInt(ep - e);
  m2 <<= BigInt(e2 - e);
  return roundToFloat32(mp + m2, e);
}

Deno.test("fma32() rounds a·b + c once, like vfmadd, on random float32 inputs", () => {
  const g = new Generator(17);
  const u = g.uniform(3 * 3000);
  const s = g.integers(-8, 8, 3 * 3000);
  for (let i = 0; i < 3000; i++) {
    const a = f((u[3 * i] - 0.5) * 2 ** s[3 * i]);
    const b = f((u[3 * i + 1] - 0.5) * 2 ** s[3 * i + 1]);
    const c = f((u[3 * i + 2] - 0.5) * 2 ** s[3 * i + 2]);
    equal(fma32(a, b, c), fmaReference(a, b, c), `fma32(${a}, ${b}, ${c})`);
  }
});

Deno.test("fma32() gets the halfway cases right that fround(a*b + c) gets wrong", () => {
  // odd 13-bit times odd 12-bit integers: a 25-bit odd product lies exactly halfway
  // between two floats; the double sum with a tiny c rounds back onto that halfway point
  const g = new Generator(3);
  const xs = g.integers(2048, 4096, 300);
  const ys = g.integers(1024, 2048, 300);
  let doubleRoundingWrong = 0;
  let halfway = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = 2 * xs[i] + 1;
    const y = 2 * ys[i] + 1;
    if (x * y < 2 ** 24) continue;
    halfway++;
    for (const c of [2 ** -60, -(2 ** -60), 0]) {
      const want = fmaReference(x, y, c);
      equal(fma32(x, y, c), want, `fma32(${x}, ${y}, ${c})`);
      if (f(x * y + c) !== want) doubleRoundingWrong++;
    }
  }
  ok(halfway > 100, `halfway products: ${halfway}`);
  ok(doubleRoundingWrong > 50, `double rounding was wrong ${doubleRoundingWrong} times`);
});

Deno.test("logAvx2() is within 2 float32 ulps of log on (0, 1] and exact at 1", () => {
  equal(logAvx2(1), 0);
  equal(logAvx2(0.5), f(Math.log(0.5)));
  ok(Number.isNaN(logAvx2(0)) && Number.isNaN(logAvx2(-1)));
  const u = new Generator(8).uniform(20000);
  for (let i = 0; i < u.length; i++) {
    const x = f(1 - u[i]);
    const want = Math.log(x);
    const got = logAvx2(x);
    const ulp = 2 ** (Math.floor(Math.log2(Math.abs(want) || 1)) - 23);
    ok(
      Math.abs(got - want) <= 2 * ulp || Math.abs(want) < 1e-30,
      `log(${x}) = ${got}, want ${want}`,
    );
  }
  // the smallest uniforms normal_fill can feed it: 2^-24
  ok(Math.abs(logAvx2(2 ** -24) - Math.log(2 ** -24)) < 1e-5);
});

Deno.test("sincosAvx2() is within 2e-7 of sin/cos over [-2π, 2π] in all octants", () => {
  const u = new Generator(9).uniform(20000, -2 * Math.PI, 2 * Math.PI);
  const r = { sin: 0, cos: 0 };
  const octants = new Set<number>();
  for (const t of [...u, 0, f(Math.PI / 2), f(Math.PI), f(1.5 * Math.PI)]) {
    sincosAvx2(t, r);
    ok(Math.abs(r.sin - Math.sin(t)) < 2e-7, `sin(${t}) = ${r.sin}, want ${Math.sin(t)}`);
    ok(Math.abs(r.cos - Math.cos(t)) < 2e-7, `cos(${t}) = ${r.cos}, want ${Math.cos(t)}`);
    equal(f(r.sin), r.sin);
    equal(f(r.cos), r.cos);
    octants.add(Math.floor(t / (Math.PI / 4)));
  }
  equal(octants.size, 16);
  sincosAvx2(0, r);
  equal(r.sin, 0);
  equal(r.cos, 1);
});
