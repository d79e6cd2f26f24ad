/**
 * Truth reductions and closeness: `all`/`any` over dims (bool results) and `isclose`
 * (elementwise, a bool tensor), all compositions of existing kernels that stay on the device;
 * and `allclose`, which answers a JavaScript boolean and so reads one value back.
 *
 * Sync and async, by the library's readback rule (`item()` is async on every device,
 * `itemSync()` a CPU convenience that throws `SyncReadError` on the GPU): {@link allclose}
 * returns `Promise<boolean>` and works on every device; {@link allcloseSync} returns a boolean
 * for CPU tensors. A boolean rather than a 0-d tensor, because a tensor is always truthy and
 * `if (allclose(a, b))` would silently pass; TypeScript flags an un-awaited Promise in a
 * condition. `isclose(a, b).all()` is the 0-d bool tensor, for code that stays on the device.
 *
 * @module
 */

import { SyncReadError } from "../errors.ts";
import { broadcastShapes } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkBoolean,
  checkNumber,
  checkOptions,
  checkSameDevice,
  checkTensor,
} from "../validate.ts";
import { keepdimOption, reductionDims } from "./amax.ts";
import { full } from "./creation.ts";
import { cast, compare, logicalAnd, unaryRaw } from "./elementwise.ts";
import type { ReduceOptions } from "./reduce.ts";

/** Options of {@link isclose} and {@link allclose} (PyTorch's defaults). */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

function truthReduce(
  op: "all" | "any",
  x: Tensor,
  dim: number | readonly number[] | undefined,
  opts: ReduceOptions | undefined,
): Tensor {
  checkTensor(op, "input", x);
  const dims = reductionDims(op, x, dim);
  const keepdim = keepdimOption(op, opts);
  const truth = cast(x, "bool");
  // all: no false element; any: some true element (over no elements: true and false)
  const counted = op === "all" ? compare("eq", truth, false) : truth;
  const hits = counted.sum(dims, { keepdim });
  return op === "all" ? compare("eq", hits, 0) : compare("gt", hits, 0);
}

/**
 * Whether every element is non-zero, over one or several dims (all by default).
 *
 * @param x input (any dtype; NaN counts as true)
 * @param dim a dim or dims (undefined or [] for all)
 * @param opts keepdim
 * @returns a bool tensor (true over no elements)
 * @throws {TypeError} on a non-tensor, a non-number dim or an unknown option
 * @throws {IndexError} on a bad dim
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { all } from "./logical.ts";
 * deepEqual(all(tensor([[1, 0], [2, 3]]), 1).toArraySync(), [false, true]);
 * equal(all(tensor([[1, 0], [2, 3]])).itemSync(), 0);
 * ```
 */
export function all(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return truthReduce("all", x, dim, opts);
}

/**
 * Whether some element is non-zero, over one or several dims (all by default).
 *
 * @param x input (any dtype; NaN counts as true)
 * @param dim a dim or dims (undefined or [] for all)
 * @param opts keepdim
 * @returns a bool tensor (false over no elements)
 * @throws {TypeError} on a non-tensor, a non-number dim or an unknown option
 * @throws {IndexError} on a bad dim
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { any } from "./logical.ts";
 * deepEqual(any(tensor([[0, 0], [0, 3]]), -1).toArraySync(), [false, true]);
 * ```
 */
export function any(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return truthReduce("any", x, dim, opts);
}

function closeOptions(op: string, opts: IscloseOptions | undefined): Required<IscloseOptions> {
  const o = checkOptions(op, opts, ["rtol", "atol", "equalNan"]);
  const rtol = o.rtol === undefined ? 1e-5 : checkNumber(op, "rtol", o.rtol, { min: 0 });
  const atol = o.atol === undefined ? 1e-8 : checkNumber(op, "atol", o.atol, { min: 0 });
  if (o.equalNan !== undefined) checkBoolean(op, "equalNan", o.equalNan);
  return { rtol, atol, equalNan: o.equalNan === true };
}

function closeness(op: string, a: Tensor, b: Tensor | number, opts?: IscloseOptions): Tensor {
  checkTensor(op, "input", a);
  if (typeof b !== "number") checkTensor(op, "other", b);
  checkSameDevice(op, a, b);
  if (typeof b !== "number") broadcastShapes(op, a.shape, b.shape);
  const { rtol, atol, equalNan } = closeOptions(op, opts);
  const x = cast(a, "float32");
  const y = typeof b === "number" ? full([], b, { device: a.device }) : cast(b, "float32");
  // PyTorch: a == b, or |a − b| finite and <= atol + rtol·|b|; NaN == NaN when equalNan
  const diff = x.sub(y).abs();
  const finite = compare("eq", unaryRaw("isInf", diff), false);
  const within = logicalAnd(finite, compare("le", diff, y.abs().mul(rtol).add(atol)));
  const close = compare("eq", x, y).maximum(within);
  if (!equalNan) return close;
  return close.maximum(logicalAnd(compare("ne", x, x), compare("ne", y, y)));
}

/**
 * Elementwise closeness, as torch.isclose: `a == b`, or `|a − b| <= atol + rtol·|b|` with a
 * finite difference; NaN equals NaN only with `equalNan`. Computed in float32.
 *
 * @param a a tensor
 * @param b a tensor broadcastable with a, or a number
 * @param opts rtol (1e-5), atol (1e-8), equalNan (false)
 * @returns a bool tensor of the broadcast shape
 * @throws {TypeError} on a non-tensor, an unknown option or a bad tolerance type
 * @throws {RangeError} on a negative tolerance
 * @throws {ShapeError} when the shapes do not broadcast
 * @throws {DeviceMismatchError} when a and b live on different devices
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { isclose } from "./logical.ts";
 * deepEqual(isclose(tensor([1, 1.001, NaN]), tensor([1, 1, NaN])).toArraySync(), [true, false, false]);
 * ```
 */
export function isclose(a: Tensor, b: Tensor | number, opts?: IscloseOptions): Tensor {
  return closeness("isclose", a, b, opts);
}

/**
 * Whether every element of a is close to b (torch.allclose): `isclose(a, b, opts).all()`,
 * read back as a boolean. Works on every device (one readback).
 *
 * @param a a tensor
 * @param b a tensor broadcastable with a, or a number
 * @param opts rtol (1e-5), atol (1e-8), equalNan (false)
 * @returns a promise of the answer
 * @throws {TypeError} on a non-tensor, an unknown option or a bad tolerance type
 * @throws {RangeError} on a negative tolerance
 * @throws {ShapeError} when the shapes do not broadcast
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { allclose } from "./logical.ts";
 * equal(await allclose(tensor([1, 2]), tensor([1, 2.000001])), true);
 * equal(await allclose(tensor([1, 2]), tensor([1, 2.1])), false);
 * ```
 */
export async function allclose(
  a: Tensor,
  b: Tensor | number,
  opts?: IscloseOptions,
): Promise<boolean> {
  return (await all(closeness("allclose", a, b, opts)).item()) !== 0;
}

/**
 * {@link allclose} for CPU tensors, answered synchronously.
 *
 * @param a a tensor
 * @param b a tensor broadcastable with a, or a number
 * @param opts rtol (1e-5), atol (1e-8), equalNan (false)
 * @returns whether every element is close
 * @throws {SyncReadError} on a device without synchronous reads: use `await allclose(a, b)`
 * @throws {TypeError} on a non-tensor, an unknown option or a bad tolerance type
 * @throws {ShapeError} when the shapes do not broadcast
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { allcloseSync } from "./logical.ts";
 * equal(allcloseSync(tensor([1e-9]), tensor([0])), true); // within atol 1e-8
 * ```
 */
export function allcloseSync(a: Tensor, b: Tensor | number, opts?: IscloseOptions): boolean {
  const result = all(closeness("allcloseSync", a, b, opts));
  try {
    return result.itemSync() !== 0;
  } catch (e) {
    if (!(e instanceof SyncReadError)) throw e;
    throw new SyncReadError(
      `allcloseSync: the answer cannot be read synchronously on ${result.device}; ` +
        "`await allclose(a, b)` reads it back",
    );
  }
}
