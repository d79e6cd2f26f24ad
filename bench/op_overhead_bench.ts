/**
 * Per-op overhead: small elementwise ops with and without autograd recording,
 * and a 1-element op (almost pure overhead). Run with `deno bench -A
 * bench/op_overhead_bench.ts`, or directly (`deno run -A ...`) for a table of
 * µs per op.
 *
 * @module
 */

import { noGrad, randn, type Tensor } from "../mod.ts";

const a = randn([32, 200]), b = randn([32, 200]), bias = randn([200]);
const ag = randn([32, 200], { requiresGrad: true });
const s = randn([1]), sg = randn([1], { requiresGrad: true });

/** The measured cases: name and one op. */
export const cases: [string, () => Tensor][] = [
  ["add 32x200 (no grad)", () => noGrad(() => a.add(b))],
  ["add 32x200 (recording)", () => ag.add(b)],
  ["add 32x200 + bias 200 (recording)", () => ag.add(bias)],
  ["mul 32x200 by scalar (recording)", () => ag.mul(0.5)],
  ["tanh 32x200 (recording)", () => ag.tanh()],
  ["sum over dim 0 of 32x200 (recording)", () => ag.sum(0)],
  ["view 32x200 as 6400 (recording)", () => ag.view(-1)],
  ["add 1 element (no grad)", () => noGrad(() => s.add(s))],
  ["add 1 element (recording)", () => sg.add(s)],
];

for (const [name, fn] of cases) {
  Deno.bench({ name, group: name.includes("1 element") ? "tiny" : "32x200", fn: () => void fn() });
}

if (import.meta.main && !Deno.args.includes("--bench")) {
  for (const [name, fn] of cases) {
    for (let i = 0; i < 2000; i++) fn();
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const n = 20000, t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      best = Math.min(best, ((performance.now() - t0) * 1000) / n);
    }
    console.log(`${name.padEnd(40)} ${best.toFixed(2)} µs/op (best of 5 x 20000)`);
  }
}
