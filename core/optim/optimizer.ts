/**
 * The `Optimizer` base: parameter groups with per-group hyper-parameters, per-parameter state,
 * `zeroGrad()`. Subclasses implement `step()` with in-place updates under `noGrad`.
 *
 * @module
 */

import { zerosLike } from "../ops/creation.ts";
import { Tensor } from "../tensor.ts";
import {
  exportOptimizerState,
  importOptimizerState,
  type OptimizerStateDict,
} from "./optimizer_state.ts";
import { checkBoolean, checkNumber, checkOptions, checkTensor, describe } from "../validate.ts";

/** A parameter group as given: its tensors, and hyper-parameters that override the defaults. */
export type ParamGroupInput<O> = { params: Iterable<Tensor> } & Partial<O>;

/** A parameter group as stored: its tensors and every hyper-parameter (mutable, e.g. `lr`). */
export type ParamGroup<O> = { params: Tensor[] } & O;

/** Options of {@linkcode Optimizer.zeroGrad}. */
export interface ZeroGradOptions {
  /** Set `grad = null` (default true, as PyTorch 2) rather than filling it with zeros. */
  setToNone?: boolean;
}

/** The hyper-parameters every optimizer has. */
export interface BaseOptions {
  /** The learning rate. */
  lr: number;
}

function isGroup(x: unknown): boolean {
  return typeof x === "object" && x !== null && !(x instanceof Tensor) && "params" in x;
}

/** The items of an iterable argument, or a TypeError naming it. */
function iterate(op: string, name: string, v: unknown): unknown[] {
  if (
    typeof (v as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== "function" ||
    typeof v === "string"
  ) {
    throw new TypeError(`${op}: ${name} must be an iterable of Tensors, got ${describe(v)}`);
  }
  return [...(v as Iterable<unknown>)];
}

/**
 * The base of SGD, Adam and AdamW: holds parameter groups (`paramGroups[i].lr` may be changed
 * between steps, as schedules do) and a state record per parameter.
 *
 * @example A custom optimizer
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { noGrad } from "../autograd.ts";
 * import { tensor } from "../ops/creation.ts";
 * import { Optimizer } from "./optimizer.ts";
 * class SignSGD extends Optimizer<{ lr: number }, Record<string, never>> {
 *   constructor(params: Iterable<import("../tensor.ts").Tensor>, lr: number) {
 *     super("SignSGD", params, { lr });
 *   }
 *   step(): void {
 *     noGrad(() => {
 *       for (const g of this.paramGroups) {
 *         for (const p of g.params) if (p.grad) p.sub_(p.grad.abs().div(p.grad), { alpha: g.lr });
 *       }
 *     });
 *   }
 * }
 * const w = tensor([1, 1], { requiresGrad: true });
 * w.mul(tensor([3, -2])).sum().backward();
 * new SignSGD([w], 0.5).step();
 * equal([...w.dataSync()].join(), "0.5,1.5");
 * ```
 */
export abstract class Optimizer<O extends BaseOptions, S = Record<string, Tensor>> {
  /** The parameter groups, each with its full set of hyper-parameters. */
  readonly paramGroups: ParamGroup<O>[];
  /** The optimizer's name in error messages. */
  readonly name: string;
  /** Per-parameter state (momentum buffers, moments, step counts). */
  protected readonly state: Map<Tensor, S> = new Map();

  /**
   * Builds the groups from tensors or group records, filling in the defaults.
   *
   * @param name the optimizer's name (error messages)
   * @param params tensors, or groups `{ params, ...overrides }`
   * @param defaults the hyper-parameters of groups that do not override them
   * @throws {TypeError} when a tensor does not require grad or appears twice
   * @throws {RangeError} when there are no parameters or a hyper-parameter is invalid
   */
  constructor(
    name: string,
    params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>,
    defaults: O,
  ) {
    this.name = name;
    const list = iterate(name, "params", params) as (Tensor | ParamGroupInput<O>)[];
    const groups = isGroup(list[0])
      ? (list as ParamGroupInput<O>[])
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    if (list.length === 0) {
      throw new RangeError(`${name}: the parameter list is empty`);
    }
    const seen = new Set<Tensor>();
    const keys = ["params", ...Object.keys(defaults)];
    this.paramGroups = groups.map((g, i) => {
      if (!isGroup(g)) {
        throw new TypeError(
          `${name}: params must be all Tensors or all groups ({ params, ... }), got ` +
            `${describe(g)} at position ${i}`,
        );
      }
      checkOptions(`${name} (group ${i})`, g, keys);
      const ps = iterate(name, `group ${i} params`, g.params);
      const group = { ...defaults, ...g, params: ps } as ParamGroup<O>;
      for (const [j, p] of group.params.entries()) {
        checkTensor(name, `parameter ${j} of group ${i}`, p);
        if (!p.requiresGrad) {
          throw new TypeError(
            `${name}: parameter ${j} of group ${i} (shape (${p.shape.join(", ")})) ` +
              `does not require grad`,
          );
        }
        if (seen.has(p)) {
          throw new TypeError(`${name}: a parameter appears more than once`);
        }
        seen.add(p);
      }
      this.validate(group);
      return group;
    });
  }

  /**
   * Checks one group's hyper-parameters (subclasses add theirs; the base checks `lr >= 0`).
   *
   * @param group the group with defaults filled in
   * @throws {RangeError} for an invalid value
   */
  protected validate(group: ParamGroup<O>): void {
    checkNumber(this.name, "lr", group.lr, { min: 0 });
  }

  /**
   * Throws `Cannot create <name>: <what> must be ..., got <value>` unless ok.
   *
   * @param what the hyper-parameter
   * @param value its value
   * @param ok whether it is valid
   * @param rule the rule, e.g. ">= 0"
   * @throws {RangeError} when not ok
   */
  protected check(what: string, value: unknown, ok: boolean, rule = ">= 0"): void {
    if (!ok) throw new RangeError(`${this.name}: ${what} must be ${rule}, got ${describe(value)}`);
  }

  /**
   * Clears the gradients of every parameter.
   *
   * @param opts setToNone (default true)
   */
  zeroGrad(opts: ZeroGradOptions = {}): void {
    const o = checkOptions(`${this.name}.zeroGrad`, opts, ["setToNone"]);
    const setToNone = o.setToNone === undefined
      ? true
      : checkBoolean(`${this.name}.zeroGrad`, "setToNone", o.setToNone);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone) p.grad = null;
        else if (p.grad) p.grad = zerosLike(p.grad);
      }
    }
  }

  /**
   * A snapshot of the per-parameter state (copies) and the groups' hyper-parameters, keyed by
   * parameter position as PyTorch's `optimizer.state_dict()`.
   *
   * @returns the state dict
   */
  stateDict(): OptimizerStateDict {
    return exportOptimizerState(this.paramGroups, this.state);
  }

  /**
   * Restores hyper-parameters and per-parameter state (e.g. to resume training).
   *
   * @param sd a state dict of an optimizer of the same kind over parameters of the same shapes
   * @throws {StateDictError} when group or parameter counts differ
   * @throws {ShapeError} when a state tensor's shape differs from its parameter's
   */
  loadStateDict(sd: OptimizerStateDict): void {
    importOptimizerState(this.name, this.paramGroups, this.state as Map<Tensor, unknown>, sd);
  }

  /** Updates every parameter that has a gradient, in place. */
  abstract step(): void;
}
