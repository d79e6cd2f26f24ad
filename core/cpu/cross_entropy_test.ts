import { ok } from "node:assert/strict";
import { crossEntropyKernel } from "./cross_entropy.ts";

Deno.test("crossEntropyKernel over many row blocks matches a float64 reference", () => {
  const n = 3001, c = 27; // 81,027 logits: three blocks of the SIMD exp
  let s = 5;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const logits = Float32Array.from({ length: n * c }, () => (rnd() - 0.5) * 12);
  const targets = Int32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? -100 : (rnd() * c) | 0));
  for (const labelSmoothing of [0, 0.1]) {
    const loss = new Float32Array(1), dlogits = new Float32Array(n * c);
    const opts = { ignoreIndex: -100, labelSmoothing, reduction: "mean" as const };
    crossEntropyKernel(logits, n, c, targets, opts, loss, dlogits);
    let total = 0, count = 0, worst = 0;
    const grads: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(logits.subarray(i * c, (i + 1) * c)), t = targets[i];
      if (t === -100) {
        grads.push(...row.map(() => 0));
        continue;
      }
      const max = Math.max(...row), sum = row.reduce((a, v) => a + Math.exp(v - max), 0);
      const lse = max + Math.log(sum);
      const nll = lse - row[t], smooth = row.reduce((a, v) => a + lse - v, 0) / c;
      total += (1 - labelSmoothing) * nll + labelSmoothing * smooth;
      count++;
      grads.push(
        ...row.map((v, j) =>
          Math.exp(v - max) / sum - labelSmoothing / c - (j === t ? 1 - labelSmoothing : 0)
        ),
      );
    }
    ok(Math.abs(loss[0] - total / count) < 1e-6 * Math.abs(total / count), `loss ${loss[0]}`);
    for (let k = 0; k < n * c; k++) {
      worst = Math.max(worst, Math.abs(dlogits[k] - grads[k] / count));
    }
    ok(worst < 1e-7 / count, `worst gradient error ${worst}`);
  }
});
