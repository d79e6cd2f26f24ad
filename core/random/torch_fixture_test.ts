import { deepEqual, equal, ok } from "node:assert/strict";
import { manualSeed } from "./default_generator.ts";
import { Generator, type GeneratorOptions } from "./generator.ts";

// deno-lint-ignore no-explicit-any
type Call = any;
interface Case {
  seed: number;
  calls: Call[];
}
const readFixture = (file: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../../testdata/random/${file}`, import.meta.url)));
const fixture: {
  torch_version: string;
  torch_cpu_capability: string[];
  cases: Record<string, Case>;
  bigram_names: string[] | null;
  dropout: { seed: number; p: number; n: number; kept: number[] }[];
} = readFixture("torch_random.json");
/** The same torch run with ATEN_CPU_CAPABILITY=default (portable kernels). */
const fixtureDefault: typeof fixture = readFixture("torch_random_default.json");

const toBits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer));
const fromBits = (b: number[]): Float32Array => new Float32Array(new Uint32Array(b).buffer);
const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Distance in float32 units in the last place (0 when bit-identical; ±0 count as equal). */
function ulps(a: number, b: number): number {
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  const key = (v: number) => (v < 0 ? -(v & 0x7fffffff) : v);
  return Math.abs(key(i[0]) - key(i[1]));
}

interface Replay {
  /** float outputs of the given ops as [got, expected] bit lists */
  floats: Map<string, [number[], number[]]>;
  /** integer outputs of the given ops as [got, expected] */
  ints: Map<string, [number[], number[]]>;
}

/** Replays a fixture case on one Generator, in order, collecting outputs per op. */
function replay(c: Case, options: GeneratorOptions = {}): Replay {
  const g = new Generator(BigInt(c.seed), options);
  const floats = new Map<string, [number[], number[]]>();
  const ints = new Map<string, [number[], number[]]>();
  const push = (m: Map<string, [number[], number[]]>, op: string, got: number[], exp: number[]) => {
    const e = m.get(op) ?? [[], []];
    e[0].push(...got);
    e[1].push(...exp);
    m.set(op, e);
  };
  for (const call of c.calls) {
    switch (call.op) {
      case "rand":
        push(floats, "rand", toBits(g.uniform(numel(call.shape))), call.bits);
        break;
      case "uniform":
        push(
          floats,
          "uniform",
          toBits(g.uniform(numel(call.shape), call.low, call.high)),
          call.bits,
        );
        break;
      case "randn":
        push(floats, "randn", toBits(g.normal(numel(call.shape))), call.bits);
        break;
      case "normal":
        push(floats, "normal", toBits(g.normal(numel(call.shape), call.mean, call.std)), call.bits);
        break;
      case "exponential":
        push(floats, "exponential", toBits(g.exponential(numel(call.shape))), call.bits);
        break;
      case "randint":
        push(
          ints,
          "randint",
          Array.from(g.integers(call.low, call.high, numel(call.shape))),
          call.values,
        );
        break;
      case "bernoulli":
        push(floats, "bernoulli", toBits(g.bernoulli(numel(call.shape), call.p)), call.bits);
        break;
      case "randperm":
        push(ints, "randperm", Array.from(g.randperm(call.n)), call.values);
        break;
      case "multinomial": {
        const shape: number[] = call.probs_shape;
        const rows = shape.length === 2 ? shape[0] : 1;
        const cols = shape[shape.length - 1];
        const probs = fromBits(call.probs_bits);
        if (call.probs_from_rand) g.uniform(numel(call.probs_from_rand)); // torch drew p from g first
        const got = g.multinomial(probs, rows, cols, call.num_samples, call.replacement);
        push(ints, `multinomial replacement=${call.replacement}`, Array.from(got), call.values);
        break;
      }
      default:
        throw new Error(`unknown fixture op ${call.op}`);
    }
  }
  return { floats, ints };
}

function casesMatching(prefix: string): [string, Case][] {
  return Object.entries(fixture.cases).filter(([k]) => k.startsWith(prefix));
}

Deno.test("fixtures were made with torch 1.13, AVX2 and default CPU kernels", () => {
  ok(fixture.torch_version.startsWith("1.13"), fixture.torch_version);
  ok(fixture.torch_cpu_capability.join().includes("AVX2"));
  ok(fixtureDefault.torch_cpu_capability.join().includes("NO AVX"));
});

/** Largest float32 ulp distance between got and expected randn bits over some cases. */
function randnUlps(
  cases: [string, Case][],
  options: GeneratorOptions = {},
): [maxUlps: number, count: number, differing: number] {
  let maxUlps = 0;
  let count = 0;
  let differing = 0;
  for (const [name, c] of cases) {
    const [got, exp] = replay(c, options).floats.get("randn")!;
    equal(got.length, exp.length, name);
    const g = fromBits(got);
    const e = fromBits(exp);
    for (let i = 0; i < e.length; i++) {
      ok(Number.isFinite(g[i]), `${name}[${i}] is ${g[i]}`);
      const u = ulps(g[i], e[i]);
      maxUlps = Math.max(maxUlps, u);
      if (u > 0) differing++;
    }
    count += e.length;
  }
  return [maxUlps, count, differing];
}

Deno.test("Generator(2147483647).uniform(3) is the bigram lecture's 0.7081, 0.3542, 0.1054", () => {
  const g = new Generator(2147483647);
  const p = g.uniform(3);
  deepEqual(Array.from(p, (v) => v.toFixed(4)), ["0.7081", "0.3542", "0.1054"]);
  deepEqual(toBits(p), fixture.cases.lecture_rand3.calls[0].bits);
});

Deno.test("uniform() matches torch.rand bit for bit (sizes 1..2053, six seeds incl. > 2^32)", () => {
  const cases = casesMatching("rand_sizes_");
  equal(cases.length, 6);
  for (const [name, c] of cases) {
    const [got, exp] = replay(c).floats.get("rand")!;
    equal(got.length, 3205, name);
    deepEqual(got, exp, name);
  }
});

Deno.test("normal() matches torch.randn (AVX2 kernels) to 0 float32 ulps around 16 elements", () => {
  const cases = [...casesMatching("randn_"), ...casesMatching("mlp_init")];
  const [maxUlps, count] = randnUlps(cases);
  ok(count > 40000, `compared ${count} values`);
  equal(maxUlps, 0, `largest difference ${maxUlps} ulps over ${count} values`);
});

Deno.test("normal() with cpuCapability 'default' matches torch's portable kernels to 2 ulps", () => {
  // torch's portable kernel calls glibc's logf/sinf/cosf, which are not correctly rounded
  // (about 1.4% of values end 1-2 ulps away from the correctly rounded emulation)
  const cases = Object.entries(fixtureDefault.cases).filter(([k]) => k.startsWith("randn_"));
  const [maxUlps, count, differing] = randnUlps(cases, { cpuCapability: "default" });
  ok(count > 19000, `compared ${count} values`);
  ok(maxUlps <= 2, `largest difference ${maxUlps} ulps over ${count} values`);
  ok(differing < 0.03 * count, `${differing} of ${count} values differ`);
  // and the AVX2 emulation is really different from the portable kernel
  const [avxUlps] = randnUlps(cases);
  ok(avxUlps > 1, `AVX2 vs default kernels differ by ${avxUlps} ulps`);
});

Deno.test("uniform(n, low, high) matches uniform_(low, high) for both CPU kernels", () => {
  deepEqual(...replay(fixture.cases.uniform).floats.get("uniform")!);
  deepEqual(
    ...replay(fixtureDefault.cases.uniform, { cpuCapability: "default" }).floats.get("uniform")!,
  );
});

Deno.test("normal(n, mean, std) matches torch's normal_(mean, std) below and above 16", () => {
  const [got, exp] = replay(fixture.cases.normal_mean_std).floats.get("normal")!;
  equal(got.length, 3 * (5 + 16 + 37 + 1000));
  deepEqual(got, exp);
});

Deno.test("normal() of the makemore MLP init (27x2, 6x100, 100, 100x27, 27) is torch's", () => {
  const c = fixture.cases.mlp_init;
  const g = new Generator(2147483647);
  const C = g.normal(27 * 2);
  equal(C[0].toFixed(4), "1.5674");
  equal(C[1].toFixed(4), "-0.2373");
  deepEqual(toBits(C), c.calls[0].bits);
  for (let k = 1; k < c.calls.length; k++) {
    deepEqual(toBits(g.normal(numel(c.calls[k].shape))), c.calls[k].bits, `call ${k}`);
  }
});

Deno.test("the cached Box–Muller sample survives rand, randint and randn(>=16) calls", () => {
  const r = replay(fixture.cases.interleaved);
  for (const [op, [got, exp]] of [...r.floats, ...r.ints]) deepEqual(got, exp, op);
  // randn(1); rand(5); randn(1) gives the pair randn(2) would give
  const pair = new Generator(7).normal(2);
  const g = new Generator(7);
  const a = g.normal(1)[0];
  g.uniform(5);
  deepEqual([a, g.normal(1)[0]], Array.from(pair));
});

Deno.test("integers() matches torch.randint over ranges below and above 2^32", () => {
  for (const name of ["randint", "randint_42"]) {
    const [got, exp] = replay(fixture.cases[name]).ints.get("randint")!;
    ok(got.length > 600);
    deepEqual(got, exp, name);
  }
  // the range [-2^31, 2^31) is 2^32 wide: torch switches to a 64-bit draw there
  const ranges = fixture.cases.randint.calls.map((c: Call) => c.high - c.low);
  ok(ranges.includes(2 ** 32));
});

Deno.test("multinomial() matches torch.multinomial with and without replacement", () => {
  for (const name of ["multinomial_lecture", "multinomial_mixed"]) {
    const r = replay(fixture.cases[name]);
    for (const [op, [got, exp]] of r.ints) deepEqual(got, exp, `${name} ${op}`);
  }
  const mixed = replay(fixture.cases.multinomial_mixed).ints;
  ok(mixed.get("multinomial replacement=true")![0].length > 200);
  ok(mixed.get("multinomial replacement=false")![0].length > 60);
});

Deno.test("multinomial() of the lecture's p = rand(3)/sum gives its 100 samples", () => {
  const g = new Generator(2147483647);
  const p = g.uniform(3);
  const s = Math.fround(Math.fround(p[0] + p[1]) + p[2]);
  const q = p.map((v) => v / s);
  deepEqual(Array.from(q, (v) => v.toFixed(4)), ["0.6064", "0.3033", "0.0903"]);
  const ix = g.multinomial(q, 1, 3, 100, true);
  deepEqual(Array.from(ix), fixture.cases.multinomial_lecture.calls[0].values);
});

Deno.test("exponential(), bernoulli() and randperm() match exponential_, bernoulli_, randperm", () => {
  deepEqual(...replay(fixture.cases.exponential).floats.get("exponential")!);
  deepEqual(...replay(fixture.cases.bernoulli).floats.get("bernoulli")!);
  deepEqual(...replay(fixture.cases.randperm).ints.get("randperm")!);
});

Deno.test("bernoulli(n, 1 - p) on manualSeed(s)'s generator is F.dropout's mask", () => {
  equal(fixture.dropout.length, 3);
  for (const { seed, p, n, kept } of fixture.dropout) {
    const mask = manualSeed(seed).bernoulli(n, 1 - p);
    deepEqual(Array.from(mask), kept, `seed ${seed}, p ${p}`);
  }
});
