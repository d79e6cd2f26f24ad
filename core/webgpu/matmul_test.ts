import {
  chooseMatmulKernel,
  matmulLaunch,
  matmulNaiveLaunch,
  type MatmulProblem,
} from "../../kernels/matmul.ts";
import { checkMatmul } from "./matmul_check.ts";
import { gpuTest } from "./test_util.ts";

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [17, 5, 33],
  [7, 9, 3],
  [33, 40, 20],
  [64, 64, 64],
  [130, 132, 24],
  [4, 8, 12],
];

/** The register-blocked kernel as chosen for a fallback adapter (compiles in ~0.1 s there). */
const register = (p: MatmulProblem) =>
  matmulLaunch(p, {
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeInvocationsPerWorkgroup: 256,
    isFallbackAdapter: true,
  });

for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
  const form = `${transA ? "T" : "N"}${transB ? "T" : "N"}`;
  gpuTest(
    `matmul ${form}: register-blocked kernel matches the CPU twin, shapes not dividing tiles`,
    async (exec) => {
      let seed = 10;
      for (const [m, n, k] of SHAPES) {
        await checkMatmul(exec, { m, n, k, transA, transB }, register, seed++);
      }
    },
  );
}

// llvmpipe needs 4-20 s to compile each staged kernel (once; Mesa caches it on disk), so
// the staged kernel is checked on two layouts: NN with every vec4 path, TT with none.
gpuTest(
  "matmul: staged (workgroup memory) kernel matches the CPU twin, vec4 NN and scalar TT",
  async (exec) => {
    const small = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 };
    // tileK 8 keeps llvmpipe's compile near 4 s per kernel
    const o = { ...chooseMatmulKernel({ m: 33, n: 40, k: 20 }, small), tileK: 8 };
    await checkMatmul(exec, { m: 33, n: 40, k: 20 }, (p) => matmulLaunch(p, o), 30);
    await checkMatmul(exec, { m: 50, n: 40, k: 36 }, (p) => matmulLaunch(p, o), 31);
    const t = {
      ...chooseMatmulKernel({ m: 17, n: 5, k: 33, transA: true, transB: true }, small),
      tileK: 8,
    };
    await checkMatmul(
      exec,
      { m: 17, n: 5, k: 33, transA: true, transB: true },
      (p) => matmulLaunch(p, t),
      32,
    );
  },
);

gpuTest("matmul: naive kernel matches the CPU twin (NN, NT, TN)", async (exec) => {
  for (const [transA, transB] of [[false, false], [false, true], [true, false]]) {
    await checkMatmul(exec, { m: 17, n: 5, k: 33, transA, transB }, matmulNaiveLaunch, 3);
  }
});

gpuTest(
  "matmul: batched 3x(7x9)·(9x5), with offsets, a broadcast B, and accumulate",
  async (exec) => {
    await checkMatmul(exec, { m: 7, n: 5, k: 9, batch: 3 }, register, 20);
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
    await checkMatmul(exec, p, register, 22);
    // attention-like: heads of (T x hs)·(T x hs)^T with vec4 loads
    await checkMatmul(exec, { m: 12, n: 12, k: 8, batch: 4, transB: true }, register, 23);
    await checkMatmul(
      exec,
      { m: 12, n: 12, k: 8, batch: 4, transA: true, accumulate: true },
      register,
      24,
    );
  },
);

gpuTest(
  "matmul: register kernel with vec4 paths off and 8-row blocks agrees with the CPU twin",
  async (exec) => {
    let seed = 40;
    for (const [m, n, k] of [[130, 136, 20], [20, 24, 36]]) {
      for (const [transA, transB] of [[false, false], [true, true], [true, false]]) {
        const p = { m, n, k, transA, transB };
        const chosen = chooseMatmulKernel(p, { ...exec.ctx.info.limits, isFallbackAdapter: true });
        const scalar = { ...chosen, vecA: false, vecB: false, vecC: false };
        await checkMatmul(exec, p, (q) => matmulLaunch(q, scalar), seed++);
        const tall = { ...chosen, tileM: 64, tileN: 32, threadM: 8 };
        await checkMatmul(exec, p, (q) => matmulLaunch(q, tall), seed++);
      }
    }
  },
);

gpuTest("matmul: the default launch on this adapter matches the CPU twin", async (exec) => {
  const limits = { ...exec.ctx.info.limits, isFallbackAdapter: exec.ctx.info.isFallbackAdapter };
  await checkMatmul(exec, { m: 19, n: 21, k: 23 }, (p) => matmulLaunch(p, limits), 50);
});
