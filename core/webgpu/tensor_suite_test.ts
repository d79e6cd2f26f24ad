/**
 * The op-case table on the WebGPU Tensor device (llvmpipe in CI): forward and
 * backward against the PyTorch fixtures, plus finite differences, with the
 * table's float32 tolerances unchanged (every op passes them on llvmpipe; see
 * core/testing/op_cases.ts for the per-op values). The one case that needs a
 * synchronous readback (oneHot inferring its class count) must fail with a
 * SyncReadError that names the async form.
 */

import { deepEqual, ok } from "node:assert/strict";
import { FAMILIES, runOpFamily } from "../testing/op_suite.ts";
import { gpuTensorTest } from "./test_util.ts";

/** Cases that need a synchronous readback, and the async form the error must name. */
const UNSUPPORTED: Record<string, string> = {
  "oneHot/inferred": "oneHotAsync", // the class count is read from the indices
};
// The fewest checks a family may run (the sorting family is small: argsort has no gradient).
const MIN_GRAD_CHECKS: Partial<Record<string, number>> = { creation: 0, sorting: 12 };
const MIN_FD_CHECKS: Partial<Record<string, number>> = { creation: 0, sorting: 10 };
const unsupported = (name: string) =>
  Object.entries(UNSUPPORTED).find(([prefix]) => name.startsWith(prefix))?.[1];

for (const family of FAMILIES) {
  gpuTensorTest(`op suite (webgpu): ${family} matches the PyTorch fixtures`, async () => {
    const report = await runOpFamily(family, { device: "webgpu" });
    const unexpected = report.failures.filter((f) => {
      const op = unsupported(f);
      if (op === undefined) return true;
      return !(f.includes("threw SyncReadError") && f.includes(op));
    });
    deepEqual(unexpected, []);
    ok(report.cases >= 19, `${family}: only ${report.cases} cases ran`);
    const grads = MIN_GRAD_CHECKS[family] ?? 23, fds = MIN_FD_CHECKS[family] ?? 16;
    ok(report.gradChecks >= grads, `${family}: only ${report.gradChecks} gradient checks`);
    ok(report.fdChecks >= fds, `${family}: only ${report.fdChecks} finite-difference checks`);
  });
}
