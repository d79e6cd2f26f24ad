/**
 * The state-dict types of `Module.loadStateDict`: its options, its result and the
 * error a strict load throws for keys that do not match.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import { Tensor } from "../tensor.ts";
import { checkBoolean, checkOptions, checkTensor, describe } from "../validate.ts";

/**
 * Keys of a state dict that did not match the model's: thrown by a strict
 * `Module.loadStateDict`.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { StateDictError } from "./state_dict.ts";
 * ok(new StateDictError("Cannot load state dict: missing keys \"bias\"") instanceof TypeError);
 * ```
 */
export class StateDictError extends TypeError {
  /** Always `"StateDictError"`. */
  override name = "StateDictError";
}

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected keys (default true, as PyTorch). */
  strict?: boolean;
}

/** What `Module.loadStateDict` did not match (both empty after a strict load). */
export interface LoadStateDictResult {
  /** Model keys the state dict lacked (left unchanged). */
  missingKeys: string[];
  /** State-dict keys the model does not have (ignored). */
  unexpectedKeys: string[];
}

/**
 * Copies `sd` into the model's tensors `own` (what `Module.loadStateDict` does): checks keys
 * (strict) and every shape first, then copies in place without recording.
 *
 * @param own the model's state dict (tensors sharing the model's storage)
 * @param sd the tensors to load
 * @param opts strict (default true)
 * @returns the keys that did not match
 * @throws {StateDictError} when strict and keys are missing or unexpected
 * @throws {ShapeError} when a shape differs (nothing is copied)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor, zeros } from "../ops/creation.ts";
 * import { copyStateDict } from "./state_dict.ts";
 * const own = { w: zeros([2]) };
 * deepEqual(copyStateDict(own, { w: tensor([1, 2]) }), { missingKeys: [], unexpectedKeys: [] });
 * deepEqual([...own.w.dataSync()], [1, 2]);
 * ```
 */
export function copyStateDict(
  own: Record<string, Tensor>,
  sd: Record<string, Tensor>,
  opts: LoadStateDictOptions = {},
): LoadStateDictResult {
  const o = checkOptions("loadStateDict", opts, ["strict"]);
  const strict = o.strict === undefined ? true : checkBoolean("loadStateDict", "strict", o.strict);
  const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(sd, k));
  const unexpectedKeys = Object.keys(sd).filter((k) => !Object.hasOwn(own, k));
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const parts = [];
    if (missingKeys.length > 0) parts.push(`missing keys ${quote(missingKeys)}`);
    if (unexpectedKeys.length > 0) parts.push(`unexpected keys ${quote(unexpectedKeys)}`);
    throw new StateDictError(`Cannot load state dict: ${parts.join("; ")}`);
  }
  const pairs = Object.keys(own).filter((k) => Object.hasOwn(sd, k)).map((k) => {
    const [dst, src] = [own[k], sd[k]];
    if (dst.shape.length !== src.shape.length || dst.shape.some((d, i) => d !== src.shape[i])) {
      throw new ShapeError(
        `Cannot load state dict: "${k}" has shape ${formatShape(src.shape)} in the state ` +
          `dict but ${formatShape(dst.shape)} in the model`,
      );
    }
    return [dst, src] as const;
  });
  noGrad(() => {
    for (const [dst, src] of pairs) dst.copy_(src);
  });
  return { missingKeys, unexpectedKeys };
}

/**
 * Throws unless `sd` is a plain object of tensors.
 *
 * @param op the function, for the message
 * @param sd the state dict
 * @throws {TypeError} naming the first entry that is not a Tensor
 */
export function checkStateDict(op: string, sd: unknown): asserts sd is Record<string, Tensor> {
  if (typeof sd !== "object" || sd === null || Array.isArray(sd) || sd instanceof Tensor) {
    throw new TypeError(`${op}: the state dict must be an object of Tensors, got ${describe(sd)}`);
  }
  for (const [k, v] of Object.entries(sd)) {
    checkTensor(op, `state dict entry ${JSON.stringify(k)}`, v);
  }
}

function quote(keys: string[]): string {
  return keys.map((k) => JSON.stringify(k)).join(", ");
}
