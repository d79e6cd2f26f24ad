/**
 * Prints matmul GFLOPS on the WebGPU adapter: naive WGSL, our tiled WGSL and
 * tfjs's WebGPU backend (the peer), square sizes.
 *
 *   deno run -A --lock=bench/deno.lock bench/matmul_webgpu_gflops.ts [sizes...]   (default 256 512)
 *
 * (`--lock=bench/deno.lock`: tfjs stays out of the repository's deno.lock; see tfjs_peer.ts.)
 *
 * @module
 */

import { WebGPUExecutor } from "../core/webgpu/executor.ts";
import { matmulLaunch, matmulNaiveLaunch } from "../kernels/matmul.ts";
import { dispatchMs, slopeMs } from "./webgpu_timing.ts";
import { loadTfjs, type TfTensor } from "./tfjs_peer.ts";

const sizes = Deno.args.length > 0 ? Deno.args.map(Number) : [256, 512];
const exec = await WebGPUExecutor.create({ maxPendingDispatches: 1 << 20 });
const info = exec.ctx.info;
console.log(`adapter: ${info.description} (fallback: ${info.isFallbackAdapter})`);
const tf = await loadTfjs();
await tf.setBackend("webgpu");
await tf.ready();

const limits = { ...info.limits, isFallbackAdapter: info.isFallbackAdapter };
const rows: string[][] = [["n", "naive", "ours", "tfjs", "ours/naive", "ours/tfjs"]];
for (const n of sizes) {
  const flop = 2 * n ** 3;
  const reps = Math.max(2, Math.round(2e8 / flop));
  const [a, b, c] = [exec.alloc(n * n * 4), exec.alloc(n * n * 4), exec.alloc(n * n * 4)];
  const p = { m: n, n, k: n };
  const naiveMs = await dispatchMs(exec, matmulNaiveLaunch(p), [a, b, c], Math.max(1, reps >> 2));
  const oursMs = await dispatchMs(exec, matmulLaunch(p, limits), [a, b, c], reps);
  [a, b, c].forEach((x) => exec.release(x));
  const ta = tf.randomUniform([n, n]);
  const tb = tf.randomUniform([n, n]);
  let last: TfTensor | null = null;
  const tfjsMs = await slopeMs(
    () => {
      last?.dispose();
      last = tf.matMul(ta, tb);
    },
    async () => void await last!.data(),
    reps,
  );
  const g = (ms: number) => flop / ms / 1e6;
  rows.push([
    String(n),
    g(naiveMs).toFixed(2),
    g(oursMs).toFixed(2),
    g(tfjsMs).toFixed(2),
    (naiveMs / oursMs).toFixed(1) + "x",
    (tfjsMs / oursMs).toFixed(1) + "x",
  ]);
}
console.log("GFLOPS (time per matmul = slope between K and 2K in one submit)");
for (const r of rows) console.log(r.map((x) => x.padStart(11)).join(""));
