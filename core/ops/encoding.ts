/**
 * Encodings of class indices: {@link oneHot} (F.one_hot) and {@link embedding} (F.embedding).
 *
 * @module
 */

import { backendFor } from "../device.ts";
import { DTypeError, formatShape, ShapeError, SyncReadError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkSameDevice, checkTensor } from "../validate.ts";
import { arange, empty } from "./creation.ts";
import { index } from "./indexing.ts";

/**
 * One-hot encoding of int32 class indices (F.one_hot): an int32 tensor of shape
 * `[...idx.shape, numClasses]`. Convert with `.to("float32")` to feed a matmul.
 *
 * @param idx int32 class indices, each in `[0, numClasses)`
 * @param numClasses the number of classes; -1 (default) uses `max(idx) + 1`
 * @returns the one-hot int32 tensor
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} when a class is negative or not below numClasses
 * @throws {SyncReadError} on WebGPU without numClasses (the result's shape would need a
 *   synchronous readback): use {@link oneHotAsync}
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { oneHot } from "./encoding.ts";
 * deepEqual(oneHot(tensor([2, 0], { dtype: "int32" }), 3).toArraySync(), [[0, 0, 1], [1, 0, 0]]);
 * ```
 */
export function oneHot(idx: Tensor, numClasses = -1): Tensor {
  checkClasses(idx, numClasses);
  let c = numClasses;
  if (c === -1) {
    try {
      c = idx.size === 0 ? 0 : idx.max().itemSync() + 1;
    } catch (e) {
      if (!(e instanceof SyncReadError)) throw e;
      throw new SyncReadError(
        `oneHot: without numClasses the class count is read from the indices, which cannot be ` +
          `read synchronously on ${idx.device}; pass numClasses, or \`await oneHotAsync(idx)\``,
      );
    }
  }
  return encode(idx, c);
}

function checkClasses(idx: Tensor, numClasses: number): void {
  checkTensor("oneHot", "input", idx);
  checkNumber("oneHot", "numClasses", numClasses, { integer: true, min: -1 });
  if (idx.dtype !== "int32") {
    throw new DTypeError(`oneHot: class indices must be int32, got ${idx.dtype}`);
  }
}

/** The encoding for a known class count: the classes checked, then compared with a range. */
function encode(idx: Tensor, classes: number): Tensor {
  const checked = empty(idx.shape, "int32", idx.device);
  backendFor(idx.device).flatIndex([idx], [classes], checked, {
    op: "oneHot",
    dims: [0],
    negative: false,
    message: (v, bound) => `oneHot: class ${v} is out of bounds for ${bound} classes`,
  });
  const range = arange(classes, undefined, 1, { dtype: "int32", device: idx.device });
  const hot = checked.unsqueeze(-1).eq(range);
  const out = hot.to("int32");
  for (const t of [checked, range, hot]) t.dispose();
  return out;
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
  checkClasses(idx, numClasses);
  const c = numClasses >= 0 ? numClasses : idx.size === 0 ? 0 : (await idx.max().item()) + 1;
  return encode(idx, c);
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
  checkTensor("embedding", "input", idx);
  checkTensor("embedding", "weight", weight);
  checkSameDevice("embedding", idx, weight);
  if (weight.ndim !== 2) {
    throw new ShapeError(`embedding: weight must be 2-d, got shape ${formatShape(weight.shape)}`);
  }
  if (idx.dtype !== "int32") {
    throw new DTypeError(`embedding: indices must be int32, got ${idx.dtype}`);
  }
  return index(weight, idx);
}
