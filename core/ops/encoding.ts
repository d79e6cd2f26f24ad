/**
 * Encodings of class indices: {@link oneHot} (F.one_hot) and {@link embedding} (F.embedding).
 *
 * @module
 */

import { DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { DeviceKernelError } from "./device_paths.ts";
import type { Tensor } from "../tensor.ts";
import { fromTyped } from "./creation.ts";
import { hostData, index } from "./indexing.ts";
import { oneHotDevice } from "./device_functional.ts";

/**
 * One-hot encoding of int32 class indices (F.one_hot): an int32 tensor of shape
 * `[...idx.shape, numClasses]`. Convert with `.to("float32")` to feed a matmul.
 *
 * @param idx int32 class indices, each in `[0, numClasses)`
 * @param numClasses the number of classes; -1 (default) uses `max(idx) + 1`
 * @returns the one-hot int32 tensor
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} when a class is negative or not below numClasses
 * @throws {DeviceKernelError} on a non-cpu device without numClasses (the result's shape would
 *   need a synchronous readback): use {@link oneHotAsync}
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { oneHot } from "./encoding.ts";
 * deepEqual(oneHot(tensor([2, 0], { dtype: "int32" }), 3).toArraySync(), [[0, 0, 1], [1, 0, 0]]);
 * ```
 */
export function oneHot(idx: Tensor, numClasses = -1): Tensor {
  if (idx.dtype !== "int32") {
    throw new DTypeError(`oneHot: class indices must be int32, got ${idx.dtype}`);
  }
  if (idx.device !== "cpu") {
    if (numClasses < 0) {
      const e = new DeviceKernelError("oneHot without numClasses", idx.device);
      e.message += "; or `await oneHotAsync(idx)`, which reads the classes back";
      throw e;
    }
    return oneHotDevice(idx, numClasses);
  }
  const v = hostData("oneHot", idx) as Int32Array;
  let c = numClasses;
  if (c === -1) {
    c = 0;
    for (let i = 0; i < v.length; i++) if (v[i] + 1 > c) c = v[i] + 1;
  }
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= c) {
      throw new IndexError(`oneHot: class ${v[i]} is out of bounds for ${c} classes`);
    }
  }
  const out = new Int32Array(v.length * c);
  for (let i = 0; i < v.length; i++) out[i * c + v[i]] = 1;
  return fromTyped(out, [...idx.shape, c], idx.device);
}

/**
 * {@link oneHot} on any device. Without numClasses on a non-cpu device, the class count decides
 * the result's shape, so the indices are read back once (async: one GPU→host transfer) to find
 * `max(idx) + 1`; the encoding itself runs on the device. With numClasses, or on cpu, it is
 * `oneHot` itself.
 *
 * @param idx int32 class indices, each in `[0, numClasses)`
 * @param numClasses the number of classes; -1 (default) uses `max(idx) + 1`
 * @returns the one-hot int32 tensor, on idx's device
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} when a class is negative or not below numClasses
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { oneHotAsync } from "./encoding.ts";
 * const h = await oneHotAsync(tensor([1, 0], { dtype: "int32" }));
 * deepEqual(await h.toArray(), [[0, 1], [1, 0]]);
 * ```
 */
export async function oneHotAsync(idx: Tensor, numClasses = -1): Promise<Tensor> {
  if (idx.device === "cpu" || numClasses >= 0 || idx.dtype !== "int32") {
    return oneHot(idx, numClasses);
  }
  const v = await idx.data();
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw new IndexError(`oneHot: class ${v[i]} is out of bounds for ${c} classes`);
    if (v[i] + 1 > c) c = v[i] + 1;
  }
  return oneHotDevice(idx, c);
}

/**
 * Looks up rows of an embedding table (F.embedding): `weight[idx]`, shape
 * `[...idx.shape, weight.shape[1]]`. Differentiable in the weight (repeated rows accumulate).
 *
 * @param idx int32 row indices of any shape
 * @param weight the (numEmbeddings, dim) table
 * @returns the embeddings
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} when an index is out of range
 * @throws {ShapeError} when weight is not 2-d
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { embedding } from "./encoding.ts";
 * const W = tensor([[0, 1], [2, 3], [4, 5]]);
 * deepEqual(embedding(tensor([2, 0], { dtype: "int32" }), W).toArraySync(), [[4, 5], [0, 1]]);
 * ```
 */
export function embedding(idx: Tensor, weight: Tensor): Tensor {
  if (weight.ndim !== 2) {
    throw new ShapeError(`embedding: weight must be 2-d, got shape ${formatShape(weight.shape)}`);
  }
  if (idx.dtype !== "int32") {
    throw new DTypeError(`embedding: indices must be int32, got ${idx.dtype}`);
  }
  return index(weight, idx);
}
