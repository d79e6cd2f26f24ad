/**
 * The state-dict types of `Module.loadStateDict`: its options, its result and the
 * error a strict load throws for keys that do not match.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";

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
  const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(sd, k));
  const unexpectedKeys = Object.keys(sd).filter((k) => !Object.hasOwn(own, k));
  if ((opts.strict ?? true) && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
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

function quote(keys: string[]): string {
  return keys.map((k) => JSON.stringify(k)).join(", ");
}
