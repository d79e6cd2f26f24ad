import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { defaultGenerator, manualSeed } from "./default_generator.ts";
import { DEFAULT_SEED, Generator } from "./generator.ts";

const toBits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer));

Deno.test("manualSeed() drops the cached normal sample like torch's manual_seed", () => {
  const g = new Generator(5);
  const a = g.normal(1); // draws a pair, caches the second
  const b = g.manualSeed(5).normal(1);
  deepEqual(b, a); // would be the cached sample if the cache survived reseeding
  const c = g.normal(1); // now the cached second sample
  const d = new Generator(5);
  d.normal(1);
  deepEqual(d.normal(1), c);
});

Deno.test("seeds: only the low 32 bits reach the engine; negatives wrap like uint64", () => {
  deepEqual(new Generator(2n ** 40n + 5n).uniform(8), new Generator(5).uniform(8));
  equal(new Generator(2n ** 40n + 5n).initialSeed(), 2n ** 40n + 5n);
  equal(new Generator(-1).initialSeed(), 2n ** 64n - 1n);
  equal(new Generator().initialSeed(), DEFAULT_SEED);
  deepEqual(
    new Generator().uniform(5),
    new Generator(67280421310721).uniform(5),
  );
});

Deno.test("manualSeed() reseeds defaultGenerator(), like torch.manual_seed", () => {
  const g = manualSeed(2147483647);
  equal(g, defaultGenerator());
  // torch.manual_seed(2147483647); torch.rand(3): the lecture's numbers, exact bits
  deepEqual(toBits(defaultGenerator().uniform(3)), [1060456431, 1052073684, 1037561064]);
  manualSeed(42);
  deepEqual(defaultGenerator().normal(20), new Generator(42).normal(20));
});

Deno.test("getState()/setState() restore the engine and the cached normal sample", () => {
  const g = new Generator(9);
  g.normal(5); // odd count: leaves a cached sample
  g.uniform(700); // crosses a 624-word block
  const s = g.getState();
  const a = [g.normal(3), g.uniform(4), g.normal(33)];
  g.setState(s);
  deepEqual([g.normal(3), g.uniform(4), g.normal(33)], a);
  throws(
    () => g.setState({ ...s, engine: { words: new Uint32Array(3), index: 0 } }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === "Cannot restore MT19937 state: expected 624 words and an index in 0..624, " +
          "got 3 words and index 0",
  );
});

Deno.test("uniform(n, low, high) scales like torch's uniform_(low, high)", () => {
  const g = new Generator(4);
  const u = new Generator(4).uniform(1000);
  const v = g.uniform(1000, -3, 5);
  for (let i = 0; i < u.length; i++) {
    ok(Math.abs(v[i] - (u[i] * 8 - 3)) <= 1e-6);
    ok(v[i] >= -3 && v[i] < 5);
  }
  deepEqual(g.uniform(0), new Float32Array(0));
});

Deno.test("Generator methods reject bad arguments with RangeError/TypeError and clear messages", () => {
  const g = new Generator(1);
  const err = (cls: typeof RangeError | typeof TypeError, message: string) => (e: Error) =>
    e instanceof cls && e.message === message;
  throws(
    () => g.uniform(-1),
    err(RangeError, "Generator.uniform: n must be an integer in [0, 536870912], got -1"),
  );
  throws(
    () => g.normal(2.5),
    err(RangeError, "Generator.normal: n must be an integer in [0, 536870912], got 2.5"),
  );
  throws(
    () => g.integers(5, 5, 3),
    err(RangeError, "Generator.integers: low must be less than high, got low 5 and high 5"),
  );
  throws(
    () => g.integers(0, 2 ** 33, 3),
    err(
      RangeError,
      "Generator.integers: high must be an integer in [-2147483648, 2147483648], got 8589934592",
    ),
  );
  throws(
    () => g.exponential(3, 0),
    err(RangeError, "Generator.exponential: lambda must be a number > 0, got 0"),
  );
  throws(
    () => new Generator(0.5),
    err(RangeError, "Cannot seed generator: seed must be a safe integer, got 0.5"),
  );
  throws(
    () => new Generator("1" as unknown as number),
    err(TypeError, 'Cannot seed generator: seed must be a number or bigint, got "1" (a string)'),
  );
  throws(
    () => new Generator(1, { cpuCapability: "avx512" as "avx2" }),
    err(TypeError, 'Generator: cpuCapability must be "avx2" or "default", got "avx512"'),
  );
  const p = new Float32Array([0.2, 0.3, 0.5, 0, 0, 0]);
  throws(
    () => g.multinomial(p, 2, 3, 1, true),
    err(RangeError, "Cannot sample multinomial: row 1 sums to 0"),
  );
  throws(
    () => g.multinomial(new Float32Array([0.2, -0.1, 0.5]), 1, 3, 1, true),
    err(
      RangeError,
      "Cannot sample multinomial: row 0 has the entry -0.10000000149011612 at column 1; entries must be finite and >= 0",
    ),
  );
  throws(
    () => g.multinomial(new Float32Array([0.2, NaN, 0.5]), 1, 3, 1, false),
    err(
      RangeError,
      "Cannot sample multinomial: row 0 has the entry NaN at column 1; entries must be finite and >= 0",
    ),
  );
  throws(
    () => g.multinomial(new Float32Array([0.2, 0.3, 0.5]), 1, 3, 4, false),
    err(
      RangeError,
      "Cannot sample multinomial: cannot draw 4 samples without replacement from 3 categories",
    ),
  );
  throws(
    () => g.multinomial(new Float32Array([0.2, 0.3, 0.5]), 2, 3, 1, true),
    err(RangeError, "Cannot sample multinomial: probs has 3 values, expected 2x3 = 6"),
  );
  throws(
    () => g.multinomial(new Float32Array([0.2, 0.3, 0.5]), 1, 3, 0, true),
    err(RangeError, "Generator.multinomial: numSamples must be an integer >= 1, got 0"),
  );
  // nothing was drawn by the failed calls
  deepEqual(g.uniform(4), new Generator(1).uniform(4));
});

Deno.test("multinomial() without replacement never repeats and respects zero weights", () => {
  const g = new Generator(123);
  const p = new Float32Array([0.1, 0, 0.4, 0.2, 0.3, 0, 0.05, 0.6, 0.15, 0.2]); // 2 x 5
  for (let t = 0; t < 50; t++) {
    const ix = g.multinomial(p, 2, 5, 3, false);
    for (let r = 0; r < 2; r++) {
      const row = Array.from(ix.subarray(r * 3, r * 3 + 3));
      equal(new Set(row).size, 3);
      ok(!row.includes(r === 0 ? 1 : 0), `zero-weight category drawn: ${row}`);
    }
  }
});
