/**
 * The state-dict types of `Module.loadStateDict`: its options, its result and the
 * error a strict load throws for keys that do not match.
 *
 * @module
 */

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
