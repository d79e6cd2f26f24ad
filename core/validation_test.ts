/**
 * Every public argument is checked: the bad-input tables (core/testing/bad_inputs_*.ts) on the
 * CPU, each case by error class and message. core/webgpu/validation_test.ts runs the tensor
 * table with WebGPU tensors.
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { runBadInputs } from "./testing/bad_inputs.ts";
import { cpuOnlyTensorBadInputs, tensorBadInputs } from "./testing/bad_inputs_tensor.ts";
import { libraryBadInputs } from "./testing/bad_inputs_library.ts";
import { lectureOpBadInputs } from "./testing/bad_inputs_lecture_ops.ts";

Deno.test("bad inputs to tensors, ops and F on the cpu throw typed errors naming the argument", async () => {
  await runBadInputs([
    ...tensorBadInputs("cpu"),
    ...cpuOnlyTensorBadInputs(),
    ...lectureOpBadInputs("cpu"),
  ]);
});

Deno.test("bad inputs to nn, optim, random, data, io, memory and Value throw typed errors", async () => {
  await runBadInputs(libraryBadInputs());
});

Deno.test("the bad-input tables hold at least 150 cases", () => {
  const n = tensorBadInputs("cpu").length + cpuOnlyTensorBadInputs().length +
    libraryBadInputs().length + lectureOpBadInputs("cpu").length;
  ok(n >= 150, `${n} cases`);
});
