/**
 * Throughput of the PyTorch-compatible generator: `deno bench -A bench/random_bench.ts`.
 * Each iteration draws 1,000,000 values.
 */
import { Generator } from "../core/random/generator.ts";
import { MT19937 } from "../core/random/mt19937.ts";
import { PyRandom } from "../core/random/py_random.ts";

const N = 1_000_000;
const mt = new MT19937(1);
const buf = new Uint32Array(N);
const g = new Generator(2147483647);
const py = new PyRandom(42);
const probs = new Float32Array(27).map((_, i) => i + 1);

Deno.bench("MT19937.fill (1M uint32)", { group: "engine", baseline: true }, () => {
  mt.fill(buf);
});
Deno.bench("MT19937.nextUint32 x 1M", { group: "engine" }, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s ^= mt.nextUint32();
  if (s === 0.5) throw new Error("unreachable");
});
Deno.bench("Generator.uniform(1M)", { group: "distributions", baseline: true }, () => {
  g.uniform(N);
});
Deno.bench("Generator.normal(1M) (AVX2 normal_fill emulation)", { group: "distributions" }, () => {
  g.normal(N);
});
Deno.bench("Generator.integers(0, 182625, 1M)", { group: "distributions" }, () => {
  g.integers(0, 182625, N);
});
Deno.bench("Generator.multinomial(27 cats, 1M samples, replacement)", {
  group: "distributions",
}, () => {
  g.multinomial(probs, 1, 27, N, true);
});
Deno.bench("PyRandom.random() x 1M", { group: "python" }, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += py.random();
  if (s < 0) throw new Error("unreachable");
});
