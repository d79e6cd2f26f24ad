import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { formatTick, makeScale, niceStep } from "./scale.ts";

Deno.test("niceStep() rounds up to 1, 2 or 5 × 10^k", () => {
  deepEqual([0.0007, 0.13, 0.2, 0.21, 3, 5.1, 700].map(niceStep), [
    0.001,
    0.2,
    0.2,
    0.5,
    5,
    10,
    1000,
  ]);
});

Deno.test("formatTick() writes ticks without float noise, with as many decimals as the step", () => {
  equal(formatTick(0.1 + 0.2, 0.1), "0.3");
  equal(formatTick(0.30000000000000004, 0.05), "0.30");
  equal(formatTick(2.5, 0.5), "2.5");
  equal(formatTick(-1, 0.5), "-1.0");
  equal(formatTick(150000, 50000), "150000");
  equal(formatTick(3e6, 1e6), "3e6");
  equal(formatTick(2.5e6, 5e5), "2.5e6");
  equal(formatTick(2e-5, 1e-5), "2e-5");
  equal(formatTick(0, 1e-5), "0");
});

Deno.test("linear scales: nice domain around the data, ticks at multiples of a 1-2-5 step", () => {
  // deterministic pseudo-random ranges over many magnitudes
  let s = 7;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  for (let k = 0; k < 400; k++) {
    const mag = 10 ** Math.floor(rnd() * 16 - 8);
    const a = (rnd() - 0.5) * 10 * mag, b = a + rnd() * 10 * mag + mag * 1e-3;
    const maxTicks = 2 + Math.floor(rnd() * 9);
    const sc = makeScale({ min: a, max: b, range: [0, 500], maxTicks });
    const where = `[${a}, ${b}] maxTicks ${maxTicks}`;
    ok(sc.domain[0] <= a && sc.domain[1] >= b, `domain ${sc.domain} covers ${where}`);
    ok(
      sc.ticks.length >= 2 && sc.ticks.length <= Math.max(3, maxTicks),
      `${sc.ticks.length} ticks for ${where}`,
    );
    const step = sc.ticks[1].value - sc.ticks[0].value;
    const mant = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    ok([1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-6), `step ${step} for ${where}`);
    equal(sc.ticks[0].value, sc.domain[0], `first tick at the domain's start for ${where}`);
    equal(sc.ticks.at(-1)!.value, sc.domain[1], `last tick at the domain's end for ${where}`);
    const labels = sc.ticks.map((t) => t.label);
    equal(new Set(labels).size, labels.length, `distinct labels ${labels} for ${where}`);
    for (const l of labels) ok(!/\d{8,}/.test(l.replace(/e.*/, "")), `no float noise in ${l}`);
  }
});

Deno.test("linear scales map the domain onto the range, y growing upwards", () => {
  const y = makeScale({ min: 0, max: 10, range: [300, 100] });
  equal(y.map(0), 300);
  equal(y.map(10), 100);
  equal(y.map(5), 200);
});

Deno.test("a degenerate range (all values equal) still gets a domain and ticks", () => {
  const sc = makeScale({ min: 3, max: 3, range: [0, 100] });
  ok(sc.domain[0] < 3 && sc.domain[1] > 3);
  ok(sc.ticks.length >= 2);
  const zero = makeScale({ min: 0, max: 0, range: [0, 100] });
  ok(zero.domain[0] < 0 && zero.domain[1] > 0);
});

Deno.test("nice: false keeps the domain; integer: true puts ticks on whole numbers", () => {
  const sc = makeScale({ min: -0.5, max: 199.5, range: [0, 600], nice: false, integer: true });
  deepEqual(sc.domain, [-0.5, 199.5]);
  deepEqual(sc.ticks.map((t) => t.value), [0, 50, 100, 150]);
  const small = makeScale({ min: -0.5, max: 2.5, range: [0, 600], nice: false, integer: true });
  deepEqual(small.ticks.map((t) => t.value), [0, 1, 2]);
});

Deno.test("log scales: labelled ticks at powers of ten covering the data", () => {
  const sc = makeScale({ min: 0.0023, max: 47, range: [0, 600], log: true });
  deepEqual(sc.domain, [0.001, 100]);
  const major = sc.ticks.filter((t) => t.label);
  deepEqual(major.map((t) => t.value), [0.001, 0.01, 0.1, 1, 10, 100]);
  deepEqual(major.map((t) => t.exponent), [-3, -2, -1, 0, 1, 2]);
  // equal spacing per decade
  equal(sc.map(0.01) - sc.map(0.001), 120);
  ok(Math.abs(sc.map(10) - sc.map(1) - 120) < 1e-9);
  // minor ticks at 2..9 × 10^k, unlabelled
  ok(sc.ticks.some((t) => t.value === 0.002 && t.label === ""));
});

Deno.test("log scales over many decades label every n-th power", () => {
  const sc = makeScale({ min: 1e-12, max: 1e12, range: [0, 600], log: true, maxTicks: 7 });
  const exps = sc.ticks.filter((t) => t.label).map((t) => t.exponent!);
  ok(exps.length <= 7);
  deepEqual(exps, [-12, -8, -4, 0, 4, 8, 12]);
  equal(sc.ticks.filter((t) => !t.label).length, 0, "no minor ticks over 24 decades");
});

Deno.test("a log scale within one decade also labels 2 and 5", () => {
  const sc = makeScale({ min: 2.1, max: 4.8, range: [0, 300], log: true });
  deepEqual(sc.domain, [1, 10]);
  deepEqual(sc.ticks.filter((t) => t.label).map((t) => t.label), ["10^0", "10^1", "2", "5"]);
});

Deno.test("log scales refuse a non-positive minimum", () => {
  throws(() => makeScale({ min: 0, max: 1, range: [0, 1], log: true }), {
    name: "RangeError",
    message: "Cannot build a log scale from min 0: expected a value > 0",
  });
});
