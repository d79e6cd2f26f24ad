/**
 * `Module`, the base of every layer and model: named parameters, buffers and child modules
 * (registered explicitly, in order), train/eval mode, and state dicts named as PyTorch names
 * them (`0.weight`, `layers.1.bias`, `bn.running_mean`).
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { checkRegistered } from "./registration.ts";
import {
  checkStateDict,
  copyStateDict,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  StateDictError,
} from "./state_dict.ts";
import {
  checkBoolean,
  checkFunction,
  checkInstance,
  checkOptions,
  checkString,
  checkTensor,
} from "../validate.ts";

export { type LoadStateDictOptions, type LoadStateDictResult, StateDictError };

/** Options of {@linkcode Module.registerBuffer}. */
export interface RegisterBufferOptions {
  /** Whether `stateDict()` includes the buffer (default true). */
  persistent?: boolean;
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
 * The base class of layers and models. A subclass registers its parameters, buffers and
 * children (`this.registerParameter(name, t)`, `registerBuffer`, `registerModule`, usually as
 * field initialisers) and defines `forward(...)`, which is also how a module is called:
 * `model.forward(x)` is PyTorch's `model(x)`. A public field that holds a module or a trainable
 * tensor that was never registered makes `parameters()`, `stateDict()` etc. throw, so nothing
 * silently escapes the optimizer; keep unregistered helpers in `#private` fields.
 *
 * @example A two-layer MLP
 * ```ts
 * import { equal, deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import type { Tensor } from "../tensor.ts";
 * import { Linear } from "./linear.ts";
 * import { Module } from "./module.ts";
 * const g = new Generator(42);
 * class MLP extends Module {
 *   fc1 = this.registerModule("fc1", new Linear(4, 8, { generator: g }));
 *   fc2 = this.registerModule("fc2", new Linear(8, 2, { generator: g }));
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).tanh());
 *   }
 * }
 * const model = new MLP();
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
  #transient = new Set<string>();

  /**
   * Registers a trainable tensor under `name` and marks it `requiresGrad`.
   *
   * @param name the key in the state dict (an identifier or an index)
   * @param t a float32 tensor
   * @returns t
   * @throws {TypeError} when the name is invalid or already taken
   */
  registerParameter(name: string, t: Tensor): Tensor {
    this.#checkName("registerParameter", name);
    checkTensor("registerParameter", "tensor", t);
    t.requiresGrad = true;
    this.#params.set(name, t);
    return t;
  }

  /**
   * Registers a non-trainable tensor: running statistics that the state dict saves, or (with
   * `persistent: false`, as PyTorch's) a constant the model builds itself, such as a causal
   * mask, that `buffers()` lists but the state dict leaves out.
   *
   * @param name the key in the state dict
   * @param t the tensor
   * @param opts persistent (default true): whether `stateDict()` includes it
   * @returns t
   * @throws {TypeError} when the name is invalid or already taken
   */
  registerBuffer(name: string, t: Tensor, opts: RegisterBufferOptions = {}): Tensor {
    this.#checkName("registerBuffer", name);
    checkTensor("registerBuffer", "tensor", t);
    const o = checkOptions("registerBuffer", opts, ["persistent"]);
    if (o.persistent !== undefined && !checkBoolean("registerBuffer", "persistent", o.persistent)) {
      this.#transient.add(name);
    }
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
    this.#checkName("registerModule", name);
    checkInstance("registerModule", "module", m, Module, "an nn.Module");
    this.#children.set(name, m);
    return m;
  }

  #checkName(op: string, name: string): void {
    checkString(op, "name", name);
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
    checkString("namedModules", "prefix", prefix);
    const out = this.#walk(prefix);
    const known = new Set<unknown>();
    for (const [, m] of out) {
      [m, ...m.#params.values(), ...m.#buffers.values()].forEach((v) => known.add(v));
    }
    for (const [, m] of out) checkRegistered(m, known, (x) => x instanceof Module);
    return out;
  }

  #walk(prefix: string): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [n, m] of this.#children) out.push(...m.#walk(join(prefix, n)));
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
   * Every buffer, in `namedBuffers()` order.
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
   * Calls `fn` on every descendant, children first, then on this module (`model.apply(init)`,
   * as nanoGPT's `_init_weights`).
   *
   * @param fn called once per module
   * @returns this
   */
  apply(fn: (m: Module) => void): this {
    checkFunction("apply", "fn", fn);
    for (const m of this.#children.values()) m.apply(fn);
    fn(this);
    return this;
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
    checkBoolean("train", "mode", mode);
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
   * Parameters and persistent buffers by dotted name, per module: own parameters, own buffers,
   * then children, as PyTorch orders `state_dict()`. The tensors are detached views that share
   * storage with the model.
   *
   * @returns name → tensor
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, t] of [...m.#params, ...m.#buffers]) {
        if (!m.#transient.has(n)) out[join(prefix, n)] = t.detach();
      }
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
    checkStateDict("loadStateDict", sd);
    return copyStateDict(this.stateDict(), sd, opts);
  }

  /**
   * The text after the class name in `toString()` (hyper-parameters); empty by default.
   *
   * @returns e.g. `inFeatures=30, outFeatures=200, bias=true`
   */
  protected extraRepr(): string {
    return "";
  }

  /**
   * The module tree as PyTorch prints a model: one line per module, children indented.
   *
   * @returns e.g. `Sequential(\n  (0): Linear(inFeatures=30, ...)\n  (1): Tanh()\n)`
   */
  toString(): string {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (this.#children.size === 0) return `${head})`;
    const lines = [...this.#children].map(([n, m]) =>
      `  (${n}): ${m.toString().replaceAll("\n", "\n  ")}`
    );
    return `${head}\n${lines.join("\n")}\n)`;
  }
}

function join(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}
