/**
 * Containers: `Sequential` (chains modules; children named "0", "1", ...) and `ModuleList`
 * (holds modules so their parameters are registered; no forward of its own).
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { Module, type TensorModule } from "./module.ts";
import { IndexError } from "../errors.ts";
import { checkNumber, checkTensor, describe } from "../validate.ts";

function checkIndex(what: string, i: number, n: number): number {
  checkNumber(`${what}.at`, "index", i, { integer: true });
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) {
    throw new IndexError(
      `${what}.at: index ${i} is out of range: it has ${n} modules (expected ${-n}..${n - 1})`,
    );
  }
  return j;
}

function checkModule(op: string, name: string, m: unknown, forward: boolean): void {
  if (!(m instanceof Module)) {
    throw new TypeError(`${op}: ${name} must be an nn.Module, got ${describe(m)}`);
  }
  if (forward && typeof (m as { forward?: unknown }).forward !== "function") {
    throw new TypeError(
      `${op}: ${name} (a ${m.constructor.name}) has no forward(x) method to chain`,
    );
  }
}

/**
 * Runs modules one after another (`nn.Sequential`), as the makemore part 3 lecture's `layers`.
 * Parameters are named by position: `0.weight`, `1.running_mean`, ...
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { Tanh } from "./activations.ts";
 * import { BatchNorm1d } from "./batch_norm.ts";
 * import { Sequential } from "./containers.ts";
 * import { Linear } from "./linear.ts";
 * const model = new Sequential(new Linear(30, 100, { bias: false }), new BatchNorm1d(100),
 *   new Tanh(), new Linear(100, 27));
 * deepEqual(model.forward(randn([32, 30])).shape, [32, 27]);
 * deepEqual(Object.keys(model.stateDict()).slice(0, 3),
 *   ["0.weight", "1.weight", "1.bias"]);
 * ```
 */
export class Sequential extends Module {
  #layers: TensorModule[] = [];

  /**
   * Creates the chain.
   *
   * @param modules the modules, applied in order
   */
  constructor(...modules: TensorModule[]) {
    super();
    modules.forEach((m, i) => checkModule("Sequential", `module ${i}`, m, true));
    for (const m of modules) this.append(m);
  }

  /**
   * Adds a module at the end.
   *
   * @param m the module
   * @returns this
   */
  append(m: TensorModule): this {
    checkModule("Sequential.append", "module", m, true);
    this.#layers.push(this.registerModule(String(this.#layers.length), m));
    return this;
  }

  /** The number of modules. */
  get length(): number {
    return this.#layers.length;
  }

  /**
   * The module at position i (negative counts from the end).
   *
   * @param i the position
   * @returns the module
   * @throws {RangeError} when i is out of range
   */
  at(i: number): TensorModule {
    return this.#layers[checkIndex("Sequential", i, this.#layers.length)];
  }

  /**
   * The modules in order.
   *
   * @returns an iterator over the modules
   */
  [Symbol.iterator](): IterableIterator<TensorModule> {
    return this.#layers[Symbol.iterator]();
  }

  /**
   * Applies every module in turn.
   *
   * @param x the input of the first module
   * @returns the output of the last (x itself when empty)
   */
  forward(x: Tensor): Tensor {
    checkTensor("Sequential.forward", "input", x);
    for (const m of this.#layers) x = m.forward(x);
    return x;
  }
}

/**
 * A list of modules whose parameters are registered (`nn.ModuleList`), e.g. the transformer
 * blocks of a GPT, named `0`, `1`, ... under the list's own name.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ModuleList } from "./containers.ts";
 * import { Linear } from "./linear.ts";
 * const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * blocks.append(new Linear(4, 2));
 * equal(blocks.length, 3);
 * equal(blocks.parameters().length, 6);
 * equal(blocks.at(-1).outFeatures, 2);
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  #items: M[] = [];

  /**
   * Creates the list.
   *
   * @param modules the initial modules
   */
  constructor(modules: Iterable<M> = []) {
    super();
    if (typeof (modules as Partial<Iterable<M>>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(
        `ModuleList: modules must be an iterable of nn.Modules, got ${describe(modules)}`,
      );
    }
    for (const m of modules) this.append(m);
  }

  /**
   * Adds a module at the end.
   *
   * @param m the module
   * @returns this
   */
  append(m: M): this {
    checkModule("ModuleList.append", "module", m, false);
    this.#items.push(this.registerModule(String(this.#items.length), m));
    return this;
  }

  /** The number of modules. */
  get length(): number {
    return this.#items.length;
  }

  /**
   * The module at position i (negative counts from the end).
   *
   * @param i the position
   * @returns the module
   * @throws {RangeError} when i is out of range
   */
  at(i: number): M {
    return this.#items[checkIndex("ModuleList", i, this.#items.length)];
  }

  /**
   * The modules in order.
   *
   * @returns an iterator over the modules
   */
  [Symbol.iterator](): IterableIterator<M> {
    return this.#items[Symbol.iterator]();
  }
}
