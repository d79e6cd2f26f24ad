/**
 * The op suite on the CPU backend: every PyTorch fixture case (forward, gradients against the
 * fixture, gradients against finite differences). The WebGPU backend runs the same table with
 * `runOpFamily(family, { device: "webgpu" })`.
 */

import { deepEqual, ok } from "node:assert/strict";
import { loadFixture } from "./testing/fixture.ts";
import { opCases } from "./testing/op_cases.ts";
import { FAMILIES, runOpFamily } from "./testing/op_suite.ts";
import { openBlas } from "./cpu/blas.ts";
import { cpuInfo, type CpuMatmulKernel, setCpuOptions } from "./cpu/cpu_options.ts";

// The fewest checks a family may run (the sorting family is small: argsort has no gradient).
const MIN_GRAD_CHECKS: Partial<Record<string, number>> = { creation: 0, sorting: 12 };
const MIN_FD_CHECKS: Partial<Record<string, number>> = { creation: 0, sorting: 10 };

// Every family on each CPU matmul kernel: the WebAssembly one always, OpenBLAS where FFI and the
// library allow (CI installs it).
const kernels: CpuMatmulKernel[] = openBlas() ? ["wasm", "blas"] : ["wasm"];

for (const family of FAMILIES) {
  for (const kernel of kernels) {
    Deno.test(`op suite (cpu, ${kernel} matmul): ${family} matches the PyTorch fixtures`, async () => {
      const before = cpuInfo().requested;
      setCpuOptions({ matmul: kernel });
      try {
        await checkFamily(family);
      } finally {
        setCpuOptions({ matmul: before });
      }
    });
  }
}

async function checkFamily(family: typeof FAMILIES[number]): Promise<void> {
  const report = await runOpFamily(family, { device: "cpu" });
  deepEqual(report.failures, []);
  ok(report.cases >= 19, `${family}: only ${report.cases} cases ran`);
  const grads = MIN_GRAD_CHECKS[family] ?? 29, fds = MIN_FD_CHECKS[family] ?? 16;
  ok(report.gradChecks >= grads, `${family}: only ${report.gradChecks} gradient checks`);
  ok(report.fdChecks >= fds, `${family}: only ${report.fdChecks} finite-difference checks`);
}

Deno.test("op suite: the table and the fixtures name the same ops", async () => {
  const fixtureOps = new Set<string>();
  for (const family of FAMILIES) {
    for (const c of (await loadFixture(family)).cases) fixtureOps.add(c.op);
  }
  deepEqual([...fixtureOps].sort(), Object.keys(opCases).sort());
});
