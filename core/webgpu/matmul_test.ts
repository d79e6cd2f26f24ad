import {
  chooseMatmulKernel,
  matmulCPU,
  matmulLaunch,
  matmulNaiveLaunch,
  type MatmulProblem,
} from "../../kernels/matmul.ts";
import type { KernelLaunch } from "../../kernels/launch.ts";
import type { WebGPUExecutor } from "./executor.ts";
import { assertClose, gpuTest, randomFloats, readFloats } from "./test_util.ts";

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

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [17, 5, 33],
  [7, 9, 3],
  [33, 40, 20],
  [
    64,
    64,
    64,
  ],
  [130, 132, 24],
  [4, 8, 12],
];

for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
  const form = `${transA ? "T" : "N"}${transB ? "T" : "N"}`;
  gpuTest(
    `matmul ${form}: tiled kernel matches the CPU twin on shapes that do not divide tiles`,
    async (exec) => {
      let seed = 10;
      for (const [m, n, k] of SHAPES) {
        await checkMatmul(exec, { m, n, k, transA, transB }, (p) => matmulLaunch(p), seed++);
      }
    },
  );
}

gpuTest("matmul: naive kernel matches the CPU twin (NN, NT, TN)", async (exec) => {
  for (const [transA, transB] of [[false, false], [false, true], [true, false]]) {
    await checkMatmul(exec, { m: 17, n: 5, k: 33, transA, transB }, matmulNaiveLaunch, 3);
  }
});

gpuTest(
  "matmul: batched 3x(7x9)·(9x5), with offsets, a broadcast B, and accumulate",
  async (exec) => {
    await checkMatmul(exec, { m: 7, n: 5, k: 9, batch: 3 }, (p) => matmulLaunch(p), 20);
    await checkMatmul(exec, { m: 7, n: 5, k: 9, batch: 3 }, matmulNaiveLaunch, 21);
    // odd offsets force the scalar path; bBatchStride 0 shares one B across the batch
    const p: MatmulProblem = {
      m: 7,
      n: 5,
      k: 9,
      batch: 3,
      aOffset: 3,
      bOffset: 1,
      cOffset: 2,
      bBatchStride: 0,
      accumulate: true,
    };
    await checkMatmul(exec, p, (q) => matmulLaunch(q), 22);
    // attention-like: heads of (T x hs)·(T x hs)^T with vec4 loads
    await checkMatmul(
      exec,
      { m: 12, n: 12, k: 8, batch: 4, transB: true },
      (q) => matmulLaunch(q),
      23,
    );
  },
);

gpuTest("matmul: every tile choice and vec4 combination agrees with the CPU twin", async (exec) => {
  const limits = exec.ctx.info.limits;
  let seed = 40;
  for (const [m, n, k] of [[130, 136, 20], [20, 24, 36]]) {
    for (const [transA, transB] of [[false, false], [true, true]]) {
      const p = { m, n, k, transA, transB };
      const chosen = chooseMatmulKernel(p, limits);
      for (const vec of [false, true]) {
        const o = { ...chosen, vecA: vec && chosen.vecA, vecB: vec && chosen.vecB, vecC: vec };
        await checkMatmul(
          exec,
          p,
          (q) => matmulLaunch(q, { ...o, vecC: vec && n % 4 === 0 }),
          seed++,
        );
        const small = { ...o, tileM: 32, tileN: 32, threadM: 4, vecC: vec && n % 4 === 0 };
        await checkMatmul(exec, p, (q) => matmulLaunch(q, small), seed++);
      }
    }
  }
});
