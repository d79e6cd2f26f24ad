/**
 * Deterministic freeing of tensor memory: `dispose()` (and `using`), and
 * `tidy(fn)`, which frees every tensor created inside `fn` except what `fn`
 * returns, parameters (leaves that require grad), gradients held as `.grad`
 * and tensors passed to `keep()`. A storage is freed when the last tensor
 * viewing it is disposed: its buffer (WebGPU) or array (CPU) goes back to the
 * backend's pool at once, and using the tensor afterwards throws. A `.grad`
 * replaced by another (or by `zeroGrad()`) is disposed too, but on the CPU its
 * array stays readable, as in PyTorch, and is left to the garbage collector.
 *
 * @module
 */

import type { Storage } from "./backend.ts";
import { describe } from "./describe.ts";

/** What memory.ts needs of a tensor. */
export interface MemoryTracked {
  /** The storage viewed. */
  readonly storage: Storage;
  /** Whether gradients are collected (parameters survive `tidy`). */
  readonly requiresGrad: boolean;
  /** True for tensors not made by a recorded op. */
  readonly isLeaf: boolean;
}

/** A storage that counts the tensors viewing it and can be freed. */
interface Counted extends Storage {
  refs: number;
  free(): void;
  /** False where a replaced `.grad` stays readable (the CPU's arrays, as PyTorch's). */
  readonly freesReplacedGrad?: boolean;
}

const scopes: Set<MemoryTracked>[] = [];
const disposed = new WeakSet<MemoryTracked>();
const kept = new WeakSet<MemoryTracked>();
const grads = new WeakSet<MemoryTracked>();

const internal = new WeakSet<MemoryTracked>();

/**
 * Marks a tensor an op made only to save for its backward rule (never seen by
 * the user), so backward frees it once the rule ran.
 *
 * @param t the saved tensor
 * @returns t
 */
export function markInternal<T extends MemoryTracked>(t: T): T {
  internal.add(t);
  return t;
}

/**
 * Disposes the internal tensors among a node's saved tensors (autograd calls
 * this after running the rule, unless the graph is retained).
 *
 * @param saved the node's saved tensors
 */
export function disposeInternal(saved: readonly MemoryTracked[]): void {
  for (const t of saved) if (internal.has(t)) disposeTensor(t);
}

/**
 * Marks a tensor as some tensor's `.grad` (TensorBase's setter calls this), so `tidy` keeps it.
 *
 * @param t the gradient
 */
export function markGrad(t: MemoryTracked): void {
  grads.add(t);
}

function counted(s: Storage): s is Counted {
  return typeof (s as Partial<Counted>).refs === "number";
}

/**
 * Registers a new tensor (TensorBase's constructor calls this).
 *
 * @param t the tensor
 */
export function trackTensor(t: MemoryTracked): void {
  if (counted(t.storage)) t.storage.refs++;
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

/**
 * Frees a tensor: its storage goes back to the pool once no other tensor views
 * it. Idempotent.
 *
 * @param t the tensor
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { disposeTensor, isDisposed } from "./memory.ts";
 * import { tensor } from "./ops/creation.ts";
 * const t = tensor([1, 2]);
 * disposeTensor(t);
 * equal(isDisposed(t), true);
 * ```
 */
export function disposeTensor(t: MemoryTracked): void {
  if (disposed.has(t)) return;
  disposed.add(t);
  const s = t.storage;
  if (counted(s) && --s.refs <= 0) s.free();
}

/**
 * Disposes a gradient that `.grad` no longer holds (TensorBase's setter calls this): freed
 * as {@link disposeTensor} does, except where the storage keeps replaced gradients readable.
 *
 * @param t the replaced gradient
 */
export function disposeReplacedGrad(t: MemoryTracked): void {
  if (disposed.has(t)) return;
  disposed.add(t);
  const s = t.storage;
  if (counted(s) && --s.refs <= 0 && s.freesReplacedGrad !== false) s.free();
}

/**
 * Whether `dispose()` was called on a tensor.
 *
 * @param t the tensor
 * @returns true once disposed
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isDisposed } from "./memory.ts";
 * import { tensor } from "./ops/creation.ts";
 * equal(isDisposed(tensor([1])), false);
 * ```
 */
export function isDisposed(t: MemoryTracked): boolean {
  return disposed.has(t);
}

/**
 * Keeps a tensor created inside `tidy` alive after the scope (optimizer state,
 * running statistics, caches).
 *
 * @param t the tensor
 * @returns t
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isDisposed, keep, tidy } from "./memory.ts";
 * import { tensor } from "./ops/creation.ts";
 * let saved = tensor([0]);
 * tidy(() => {
 *   saved = keep(tensor([1, 2]));
 * });
 * equal(isDisposed(saved), false);
 * ```
 */
export function keep<T extends MemoryTracked>(t: T): T {
  if (typeof t !== "object" || t === null || !("storage" in t)) {
    throw new TypeError(`keep: t must be a Tensor, got ${describe(t)}`);
  }
  kept.add(t);
  return t;
}

/** Adds every tensor reachable from `x` through arrays, Maps, Sets and objects to `out`. */
function collect(x: unknown, out: Set<unknown>, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== "object" || seen.has(x)) return;
  seen.add(x);
  if ("storage" in x && "shape" in x) {
    out.add(x);
    return;
  }
  const values = Array.isArray(x)
    ? x
    : x instanceof Map
    ? [...x.keys(), ...x.values()]
    : x instanceof Set
    ? [...x]
    : Object.values(x);
  for (const v of values) collect(v, out, seen);
}

/**
 * Runs `fn` and frees every tensor it created that does not escape: what it
 * returns (tensors in the result, at any depth of arrays, Maps, Sets and
 * objects), parameters (leaves with `requiresGrad`), tensors that became some
 * `.grad`, and `keep()`-ed tensors survive. When `fn` throws, its tensors are
 * freed the same way (nothing is returned) and the error is rethrown. Scopes
 * nest; survivors move to the outer scope. `fn` must be synchronous (await
 * readbacks outside the scope).
 *
 * @param fn the code to run, e.g. one training step
 * @returns what `fn` returns
 * @throws whatever `fn` throws, after freeing its tensors
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { isDisposed, tidy } from "./memory.ts";
 * import { tensor } from "./ops/creation.ts";
 * const x = tensor([1, 2, 3]);
 * let tmp = x;
 * const y = tidy(() => {
 *   tmp = x.mul(2);
 *   return tmp.add(1);
 * });
 * equal(isDisposed(tmp), true);
 * equal(isDisposed(y), false);
 * equal(isDisposed(x), false);
 * throws(() => tidy(() => { tmp = x.mul(3); throw new Error("boom"); }), { message: "boom" });
 * equal(isDisposed(tmp), true);
 * ```
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") {
    throw new TypeError(`tidy: fn must be a function, got ${describe(fn)}`);
  }
  const scope = new Set<MemoryTracked>();
  scopes.push(scope);
  const keepSet = new Set<unknown>();
  try {
    const result = fn();
    collect(result, keepSet);
    return result;
  } finally {
    scopes.pop();
    const outer = scopes.length > 0 ? scopes[scopes.length - 1] : null;
    for (const t of scope) {
      const survives = keepSet.has(t) || kept.has(t) || (t.isLeaf && t.requiresGrad) ||
        grads.has(t);
      if (survives) outer?.add(t);
      else disposeTensor(t);
    }
  }
}

/**
 * Runs a backend call that writes into freshly allocated outputs, and frees those outputs if
 * it throws (a device that refuses a size, an index error), so a failed op leaks nothing even
 * outside `tidy`.
 *
 * @param outputs the tensors allocated for the call
 * @param fn the call
 * @returns what `fn` returns
 * @example
 * ```ts
 * import { ok, throws } from "node:assert/strict";
 * import { disposeOnThrow, isDisposed } from "./memory.ts";
 * import { zeros } from "./ops/creation.ts";
 * const out = zeros([2]);
 * throws(() => disposeOnThrow([out], () => { throw new RangeError("refused"); }));
 * ok(isDisposed(out));
 * ```
 */
export function disposeOnThrow<T>(outputs: readonly MemoryTracked[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    for (const t of outputs) disposeTensor(t);
    throw e;
  }
}
