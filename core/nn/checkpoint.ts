/**
 * Saving and loading a module's state dict as a safetensors checkpoint (float32 as F32,
 * int32 as I32; F16 files load as float32).
 *
 * @module
 */

import { DTypeError } from "../errors.ts";
import { float16ArrayToFloat32 } from "../io/float16.ts";
import {
  loadSafetensors,
  type SafetensorsInput,
  type SafetensorsTensor,
  saveSafetensors,
} from "../io/safetensors.ts";
import { fromTyped } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { type LoadStateDictOptions, type LoadStateDictResult, Module } from "./module.ts";
import { checkStateDict } from "./state_dict.ts";
import { checkInstance, checkOptions, checkString, describe } from "../validate.ts";

/**
 * Converts tensors to safetensors records (contiguous copies of their data),
 * reading them back from whatever device they live on (`await t.data()`), so
 * a model on the GPU saves as one on the CPU does.
 *
 * @param sd name → tensor
 * @returns name → {dtype, shape, data}
 * @throws {DTypeError} for a bool tensor (safetensors here stores F32, F16 and I32); nothing is read then
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { toSafetensors } from "./checkpoint.ts";
 * const rec = await toSafetensors({ w: tensor([[1, 2]]) });
 * deepEqual(rec.w.dtype, "F32");
 * deepEqual(rec.w.shape, [1, 2]);
 * ```
 */
export async function toSafetensors(
  sd: Record<string, Tensor>,
): Promise<Record<string, SafetensorsInput>> {
  checkStateDict("toSafetensors", sd);
  const entries = Object.entries(sd);
  for (const [name, t] of entries) {
    if (t.dtype !== "float32" && t.dtype !== "int32") {
      throw new DTypeError(
        `Cannot save ${JSON.stringify(name)}: ${t.dtype} tensors are not supported`,
      );
    }
  }
  // One readback per tensor, all issued before any is awaited.
  const data = await Promise.all(entries.map(([, t]) => t.data()));
  const out: Record<string, SafetensorsInput> = {};
  entries.forEach(([name, t], i) => {
    const shape = t.shape.slice(), d = data[i];
    // A backend may hand back another array type (e.g. int32 held as float32 on a GPU).
    out[name] = t.dtype === "float32"
      ? { dtype: "F32", shape, data: d instanceof Float32Array ? d : Float32Array.from(d) }
      : { dtype: "I32", shape, data: d instanceof Int32Array ? d : Int32Array.from(d) };
  });
  return out;
}

/**
 * Converts safetensors records to tensors (F16 widened to float32).
 *
 * @param tensors name → {dtype, shape, data}
 * @returns name → tensor
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { fromSafetensors } from "./checkpoint.ts";
 * const sd = fromSafetensors({ n: { dtype: "I32", shape: [], data: Int32Array.of(7) } });
 * deepEqual([sd.n.dtype, sd.n.itemSync()], ["int32", 7]);
 * ```
 */
export function fromSafetensors(
  tensors: Record<string, SafetensorsTensor>,
): Record<string, Tensor> {
  if (typeof tensors !== "object" || tensors === null || Array.isArray(tensors)) {
    throw new TypeError(
      `fromSafetensors: tensors must be an object of safetensors entries, got ${describe(tensors)}`,
    );
  }
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const data = t.dtype === "F16" ? float16ArrayToFloat32(t.data) : t.data;
    out[name] = fromTyped(data, t.shape.slice());
  }
  return out;
}

/**
 * Writes `module.stateDict()` to a safetensors file, from any device, keeping
 * what is already there: atomically (a temporary file beside it, then a
 * rename, so a crash never leaves half a checkpoint), through a symlink
 * (the link stays), with the old file's mode, and never over a
 * write-protected file. Errors name `path`; a temporary file left by a killed
 * save of the same path is removed by the next save.
 *
 * @param path the file
 * @param module the model (on the CPU or the GPU)
 * @param metadata optional string pairs stored in the header
 * @returns when written
 * @throws {DTypeError} for a bool parameter or buffer
 * @throws {TypeError} for an empty path
 * @throws {Deno.errors.PermissionDenied} for a write-protected file
 * @throws {Deno.errors.NotFound} when the directory does not exist
 * @throws {Error} (with `code`, e.g. `"EROFS"`, `"ENOSPC"`) for other file-system failures
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { loadModule, saveModule } from "./checkpoint.ts";
 * import { Linear } from "./linear.ts";
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * const a = new Linear(3, 2, { generator: new Generator(1) });
 * await saveModule(path, a, { step: "100" });
 * const b = new Linear(3, 2, { generator: new Generator(2) });
 * await loadModule(path, b);
 * deepEqual(b.weight.dataSync(), a.weight.dataSync());
 * await Deno.remove(path);
 * ```
 */
export async function saveModule(
  path: string,
  module: Module,
  metadata?: Record<string, string>,
): Promise<void> {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `Cannot save module: path is ${JSON.stringify(path) ?? String(path)}: expected a file path`,
    );
  }
  checkInstance("saveModule", "module", module, Module, "an nn.Module");
  await saveSafetensors(path, await toSafetensors(module.stateDict()), metadata);
}

/**
 * Loads a safetensors file into a module's parameters and buffers (`loadStateDict`).
 *
 * @param path the file
 * @param module the model (its shapes must match the file's)
 * @param opts strict (default true)
 * @returns the keys that did not match, and the file's metadata
 * @throws {StateDictError} when strict and keys are missing or unexpected
 * @throws {ShapeError} when a shape differs
 * @throws {SafetensorsError} for an invalid file
 * @example A checkpoint of another architecture is refused
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { loadModule, saveModule } from "./checkpoint.ts";
 * import { Linear } from "./linear.ts";
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveModule(path, new Linear(4, 3));
 * await rejects(loadModule(path, new Linear(4, 2)), { name: "ShapeError" });
 * await Deno.remove(path);
 * ```
 */
export async function loadModule(
  path: string,
  module: Module,
  opts: LoadStateDictOptions = {},
): Promise<LoadStateDictResult & { metadata: Record<string, string> }> {
  checkString("loadModule", "path", path);
  checkInstance("loadModule", "module", module, Module, "an nn.Module");
  checkOptions("loadModule", opts, ["strict"]);
  const file = await loadSafetensors(path);
  const result = module.loadStateDict(fromSafetensors(file.tensors), opts);
  return { ...result, metadata: file.metadata };
}
