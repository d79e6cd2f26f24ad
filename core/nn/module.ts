/**
 * `Module`, the base of every layer and model: named parameters, buffers and child modules
 * (registered explicitly, in order), train/eval mode, and state dicts named as PyTorch names
 * them (`0.weight`, `layers.1.bias`, `bn.running_mean`).
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";

/**
 * Keys of a state dict that did not match the model's: thrown by a strict
 * {@linkcode Module.loadStateDict}.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { StateDictError } from "./module.ts";
 * ok(new StateDictError("Cannot load state dict: missing keys \"bias\"") instanceof TypeError);
 * ```
 */
export class StateDictError extends TypeError {
  /** Always `"StateDictError"`. */
  override name = "StateDictError";
}

/** Options of {@linkcode Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected keys (default true, as PyTorch). */
  strict?: boolean;
}

/** What {@linkcode Module.loadStateDict} did not match (both empty after a strict load). */
export interface LoadStateDictResult {
  /** Model keys the state dict lacked (left unchanged). */
  missingKeys: string[];
  /** State-dict keys the model does not have (ignored). */
  unexpectedKeys: string[];
}

/** A module whose `forward` maps one tensor to one tensor (what `Sequential` chains). */
export interface TensorModule extends Module {
  /**
   * Runs the module.
   *
   * @param x the input
   * @returns the output
   */
  forward(x: Tensor): Tensor;
}

const NAME = /^[A-Za-z_$][\w$]*$|^\d+$/;

/**
 * The base class of layers and models. A subclass registers its tensors and children in its
 * constructor, `this.w = this.registerParameter("w", ...)`, and defines `forward(...)`, which is
 * also how a module is called: `model.forward(x)` is PyTorch's `model(x)`.
 *
 * @example A two-layer MLP
 * ```ts
 * import { equal, deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import type { Tensor } from "../tensor.ts";
 * import { Linear } from "./linear.ts";
 * import { Module } from "./module.ts";
 * class MLP extends Module {
 *   fc1: Linear;
 *   fc2: Linear;
 *   constructor(g: Generator) {
 *     super();
 *     this.fc1 = this.registerModule("fc1", new Linear(4, 8, { generator: g }));
 *     this.fc2 = this.registerModule("fc2", new Linear(8, 2, { generator: g }));
 *   }
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).tanh());
 *   }
 * }
 * const model = new MLP(new Generator(42));
 * deepEqual(Object.keys(model.stateDict()), ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
 * equal(model.numParameters(), 4 * 8 + 8 + 8 * 2 + 2);
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`. */
  training = true;
  #params = new Map<string, Tensor>();
  #buffers = new Map<string, Tensor>();
  #children = new Map<string, Module>();

  /**
   * Registers a trainable tensor under `name` and marks it `requiresGrad`.
   *
   * @param name the key in the state dict (an identifier or an index)
   * @param t a float32 tensor
   * @returns t
   * @throws {TypeError} when the name is invalid or already taken
   */
  registerParameter(name: string, t: Tensor): Tensor {
    this.#checkName(name);
    t.requiresGrad = true;
    this.#params.set(name, t);
    return t;
  }

  /**
   * Registers a non-trainable tensor (running statistics) that the state dict saves.
   *
   * @param name the key in the state dict
   * @param t the tensor
   * @returns t
   * @throws {TypeError} when the name is invalid or already taken
   */
  registerBuffer(name: string, t: Tensor): Tensor {
    this.#checkName(name);
    this.#buffers.set(name, t);
    return t;
  }

  /**
   * Registers a child module; its parameters are named `<name>.<their name>`.
   *
   * @param name the child's name
   * @param m the child
   * @returns m
   * @throws {TypeError} when the name is invalid or already taken
   */
  registerModule<M extends Module>(name: string, m: M): M {
    this.#checkName(name);
    this.#children.set(name, m);
    return m;
  }

  #checkName(name: string): void {
    if (!NAME.test(name)) {
      throw new TypeError(`Cannot register ${JSON.stringify(name)}: names must be identifiers`);
    }
    if (this.#params.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new TypeError(`Cannot register ${JSON.stringify(name)}: the name is already taken`);
    }
  }

  /**
   * The direct children, in registration order.
   *
   * @returns [name, module] pairs
   */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /**
   * This module and all descendants, depth first (this one first, named "").
   *
   * @param prefix prepended to every name
   * @returns [dotted name, module] pairs
   */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [n, m] of this.#children) out.push(...m.namedModules(join(prefix, n)));
    return out;
  }

  /**
   * Every parameter with its dotted name: own parameters first, then each child's.
   *
   * @returns [name, tensor] pairs (a tensor shared by two modules is listed once)
   */
  namedParameters(): [string, Tensor][] {
    return this.#collect((m) => m.#params);
  }

  /**
   * Every parameter, in `namedParameters()` order (what an optimizer takes).
   *
   * @returns the tensors
   */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /**
   * Every buffer with its dotted name.
   *
   * @returns [name, tensor] pairs
   */
  namedBuffers(): [string, Tensor][] {
    return this.#collect((m) => m.#buffers);
  }

  /**
   * Every buffer.
   *
   * @returns the tensors
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  #collect(pick: (m: Module) => Map<string, Tensor>): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, t] of pick(m)) {
        if (!seen.has(t)) out.push([join(prefix, n), t]);
        seen.add(t);
      }
    }
    return out;
  }

  /**
   * The number of trainable scalars (`sum(p.nelement() for p in model.parameters())`).
   *
   * @returns the count
   */
  numParameters(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /**
   * Sets training mode on this module and every descendant.
   *
   * @param mode true for training (default), false for evaluation
   * @returns this
   */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)` (BatchNorm uses running statistics, Dropout is off).
   *
   * @returns this
   */
  eval(): this {
    return this.train(false);
  }

  /** Drops every parameter's gradient (`p.grad = null`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Parameters and buffers by dotted name, per module: own parameters, own buffers, then
   * children, as PyTorch orders `state_dict()`. The tensors are detached views that share
   * storage with the model.
   *
   * @returns name → tensor
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, t] of [...m.#params, ...m.#buffers]) out[join(prefix, n)] = t.detach();
    }
    return out;
  }

  /**
   * Copies tensors into the model's parameters and buffers (in place, without recording).
   *
   * @param sd name → tensor, as `stateDict()` returns
   * @param opts strict (default true): refuse missing and unexpected keys
   * @returns the keys that did not match (empty after a strict load)
   * @throws {StateDictError} when strict and keys are missing or unexpected
   * @throws {ShapeError} when a tensor's shape differs from the model's (nothing is copied)
   */
  loadStateDict(sd: Record<string, Tensor>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    const own = this.stateDict();
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
}

function join(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}

function quote(keys: string[]): string {
  return keys.map((k) => JSON.stringify(k)).join(", ");
}
