/**
 * Test helper: runs a matmul launch on random inputs and compares it with the CPU twin.
 *
 * @module
 */

import { matmulCPU, type MatmulProblem } from "../../kernels/matmul.ts";
import type { KernelLaunch } from "../../kernels/launch.ts";
import type { WebGPUExecutor } from "./executor.ts";
import { assertClose, randomFloats, readFloats } from "./test_util.ts";

/** Elements each operand needs for a problem. */
function sizes(p: MatmulProblem): [number, number, number] {
  const batch = p.batch ?? 1;
  const last = (off = 0, stride: number | undefined, per: number) =>
    off + (batch - 1) * (stride ?? per) + per;
  return [
    last(p.aOffset, p.aBatchStride, p.m * p.k),
    last(p.bOffset, p.bBatchStride, p.k * p.n),
    last(p.cOffset, p.cBatchStride, p.m * p.n),
  ];
}

/**
 * Runs `launch` on random inputs and compares with the CPU twin. Float32
 * tolerance: |err| <= 1e-6·k + 1e-5·|c| (values in [-1, 1), sums of k products).
 */
export async function checkMatmul(
  exec: WebGPUExecutor,
  p: MatmulProblem,
  launch: (p: MatmulProblem) => KernelLaunch,
  seed: number,
): Promise<void> {
  const [na, nb, nc] = sizes(p);
  const a = randomFloats(na, seed);
  const b = randomFloats(nb, seed + 1);
  const c0 = randomFloats(nc, seed + 2);
  const expected = c0.slice();
  matmulCPU(a, b, expected, p);
  const [ga, gb, gc] = [exec.upload(a), exec.upload(b), exec.upload(c0)];
  exec.dispatch(launch(p), [ga, gb, gc]);
  const got = await readFloats(exec, gc, nc);
  [ga, gb, gc].forEach((x) => exec.release(x));
  assertClose(got, expected, 1e-6 * Math.max(p.k, 1), 1e-5, `matmul ${JSON.stringify(p)}`);
}
