/**
 * The tensor bad-input tables (core/testing/bad_inputs_tensor.ts, bad_inputs_lecture_ops.ts)
 * with WebGPU tensors: the same calls, the same error classes and messages as on the CPU.
 *
 * @module
 */

import { runBadInputs } from "../testing/bad_inputs.ts";
import { tensorBadInputs } from "../testing/bad_inputs_tensor.ts";
import { lectureOpBadInputs } from "../testing/bad_inputs_lecture_ops.ts";
import { gpuTensorTest } from "./test_util.ts";

gpuTensorTest(
  "bad inputs to tensors, ops and F on webgpu throw the CPU's typed errors",
  async () => {
    await runBadInputs([...tensorBadInputs("webgpu"), ...lectureOpBadInputs("webgpu")]);
  },
);
