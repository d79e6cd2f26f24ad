/**
 * Kata 13 benchmark, steps 13.9–13.11: your matmul kernels beside the reference solution's and
 * the library's matmul (kernels/matmul.ts, with the variant and tiles it picks for this
 * adapter), in GFLOPS (2·m·n·k per product). Run `deno bench -A katas/13/matmul_bench.ts`.
 *
 * @module
 */

import { webgpuInfo } from "../../core/webgpu/device.ts";
import { matmulLaunch } from "../../kernels/matmul.ts";
import { benchKernels, isFallback, type KernelBench } from "./_timing.ts";
import { matmulCase, type MatmulLaunch, Rng } from "./_steps.ts";
import * as yours from "./matmul.ts";
import * as reference from "../../solutions/13/matmul.ts";

const S = isFallback ? 256 : 2048; // m = n = k
const info = await webgpuInfo().catch(() => null);
const limits = {
  maxComputeWorkgroupStorageSize: info?.limits.maxComputeWorkgroupStorageSize ?? 16384,
  maxComputeInvocationsPerWorkgroup: info?.limits.maxComputeInvocationsPerWorkgroup ?? 256,
  isFallbackAdapter: info?.isFallbackAdapter ?? true,
};
const library = matmulLaunch({ m: S, n: S, k: S }, limits);
const rng = new Rng(13);
const buffers = [rng.floats(S * S), rng.floats(S * S), new Float32Array(S * S)];
const variant = library.source.includes("var<workgroup>")
  ? "staged in workgroup memory"
  : "register-blocked";

/** A bench of one matmul step: the same product, your kernel and the reference's. */
function step(
  name: string,
  launch: MatmulLaunch,
  mine: () => string,
  theirs: () => string,
): KernelBench {
  return {
    name: `${name}, ${S}×${S}×${S}`,
    unit: "GFLOPS",
    amount: 2 * S * S * S,
    yours: () => matmulCase(mine(), launch, S, S, S, new Rng(9)).run,
    reference: () => matmulCase(theirs(), launch, S, S, S, new Rng(9)).run,
    library: { what: `matmul, ${variant}`, launch: library, buffers },
  };
}

const GRID: [number, number] = [16, 16];
await benchKernels([
  step(
    "13.9 naive matmul",
    { step: "13.9 naive matmul", workgroupSize: GRID, perInvocation: 1 },
    () => yours.naiveMatmulWGSL(GRID),
    () => reference.naiveMatmulWGSL(GRID),
  ),
  step(
    "13.10 tiled matmul, tile 16",
    { step: "13.10 tiled matmul", workgroupSize: GRID, perInvocation: 1 },
    () => yours.tiledMatmulWGSL(16),
    () => reference.tiledMatmulWGSL(16),
  ),
  step(
    "13.11 register-blocked matmul, 4×4 per invocation",
    { step: "13.11 register-blocked matmul", workgroupSize: GRID, perInvocation: 4 },
    () => yours.registerMatmulWGSL(GRID),
    () => reference.registerMatmulWGSL(GRID),
  ),
]);
