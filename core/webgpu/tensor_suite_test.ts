/**
 * The op-case table on the WebGPU Tensor device (llvmpipe in CI): forward and
 * backward against the PyTorch fixtures, plus finite differences, with the
 * table's float32 tolerances unchanged (every op passes them on llvmpipe; see
 * core/testing/op_cases.ts for the per-op values). Ops without a WebGPU kernel
 * must fail with a DeviceKernelError naming the op and the device.
 */

import { deepEqual, ok } from "node:assert/strict";
import { FAMILIES, runOpFamily } from "../testing/op_suite.ts";
import { gpuTensorTest } from "./test_util.ts";

/** Cases whose op has no WebGPU kernel yet, and the op the error must name. */
const UNSUPPORTED: Record<string, string> = {
  "oneHot/inferred": "oneHot without numClasses", // the class count would need a readback
};
const unsupported = (name: string) =>
  Object.entries(UNSUPPORTED).find(([prefix]) => name.startsWith(prefix))?.[1];

for (const family of FAMILIES) {
  gpuTensorTest(`op suite (webgpu): ${family} matches the PyTorch fixtures`, async () => {
    const report = await runOpFamily(family, { device: "webgpu" });
    const unexpected = report.failures.filter((f) => {
      const op = unsupported(f);
      if (op === undefined) return true;
      return !f.includes(`threw DeviceKernelError: Cannot run ${op} on webgpu: no webgpu kernel`);
    });
    deepEqual(unexpected, []);
    ok(report.cases >= 19, `${family}: only ${report.cases} cases ran`);
    if (family !== "creation") {
      ok(report.gradChecks >= 23, `${family}: only ${report.gradChecks} gradient checks`);
      ok(report.fdChecks >= 16, `${family}: only ${report.fdChecks} finite-difference checks`);
    }
  });
}
