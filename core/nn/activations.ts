/**
 * Activation modules: `Tanh`, `ReLU`, `GELU` (stateless wrappers of the tensor methods).
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";
import { checkOneOf, checkOptions, checkTensor } from "../validate.ts";

/**
 * `tanh(x)` elementwise (`nn.Tanh`).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { Tanh } from "./activations.ts";
 * equal(new Tanh().forward(tensor([0])).itemSync(), 0);
 * ```
 */
export class Tanh extends Module {
  /**
   * Applies tanh.
   *
   * @param x any float tensor
   * @returns tanh(x)
   */
  forward(x: Tensor): Tensor {
    checkTensor("Tanh.forward", "input", x);
    return x.tanh();
  }
}

/**
 * `max(x, 0)` elementwise (`nn.ReLU`).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { ReLU } from "./activations.ts";
 * deepEqual(new ReLU().forward(tensor([-1, 2])).toArraySync(), [0, 2]);
 * ```
 */
export class ReLU extends Module {
  /**
   * Applies relu.
   *
   * @param x any float tensor
   * @returns relu(x)
   */
  forward(x: Tensor): Tensor {
    checkTensor("ReLU.forward", "input", x);
    return x.relu();
  }
}

/** Options of {@linkcode GELU}. */
export interface GELUOptions {
  /** "none" (exact, erf; default) or "tanh" (GPT-2's approximation). */
  approximate?: "none" | "tanh";
}

/**
 * The Gaussian error linear unit (`nn.GELU`), exact or with GPT-2's tanh approximation.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { GELU } from "./activations.ts";
 * const y = new GELU({ approximate: "tanh" }).forward(tensor([1])).itemSync();
 * ok(Math.abs(y - 0.8412) < 1e-4);
 * ```
 */
export class GELU extends Module {
  /** "none" or "tanh". */
  readonly approximate: "none" | "tanh";

  /**
   * Creates the activation.
   *
   * @param opts approximate
   * @throws {RangeError} for an unknown approximation
   */
  constructor(opts: GELUOptions = {}) {
    super();
    const o = checkOptions("GELU", opts, ["approximate"]);
    this.approximate = checkOneOf(
      "GELU",
      "approximate",
      o.approximate ?? "none",
      [
        "none",
        "tanh",
      ] as const,
    );
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return this.approximate === "none" ? "" : `approximate="${this.approximate}"`;
  }

  /**
   * Applies gelu.
   *
   * @param x any float tensor
   * @returns gelu(x)
   */
  forward(x: Tensor): Tensor {
    checkTensor("GELU.forward", "input", x);
    return x.gelu({ approximate: this.approximate });
  }
}
