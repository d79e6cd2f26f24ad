/**
 * The registration check of `Module`: fields that hold modules or trainable tensors which were
 * never registered are an error, not a silent omission.
 *
 * @module
 */

import { Tensor } from "../tensor.ts";

/**
 * Throws when a field of `m` holds a module, or a leaf tensor that requires grad, that is not
 * registered anywhere in the model: without the check, `fc1 = new Linear(...)` as a plain
 * field would silently drop out of `parameters()` and the optimizer.
 *
 * @param m the module whose own enumerable fields are checked (#private fields are not)
 * @param known every module, parameter and buffer registered in the model
 * @param isModule tells modules apart (passed in to keep this file free of module.ts)
 * @throws {TypeError} naming the class, the field and the registration call to use
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { checkRegistered } from "./registration.ts";
 * const m = { w: tensor([1], { requiresGrad: true }) };
 * throws(() => checkRegistered(m, new Set(), () => false), { name: "TypeError" });
 * ```
 */
export function checkRegistered(
  m: object,
  known: ReadonlySet<unknown>,
  isModule: (x: unknown) => boolean,
): void {
  for (const [field, v] of Object.entries(m)) {
    const items: [string, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [`${field}[${i}]`, x])
      : [[field, v]];
    for (const [name, x] of items) {
      if (known.has(x)) continue;
      const fix = name === field
        ? `this.${field} = this.register%("${field}", ...)`
        : "a ModuleList";
      const where = `Cannot collect the modules of ${m.constructor.name}: field "${name}" holds`;
      if (isModule(x)) {
        throw new TypeError(
          `${where} a ${(x as object).constructor.name} that is not registered; use ${
            fix.replace("%", "Module")
          }`,
        );
      }
      if (x instanceof Tensor && x.requiresGrad && x.isLeaf) {
        throw new TypeError(
          `${where} a tensor that requires grad but is not registered; use ${
            fix.replace("%", "Parameter")
          }`,
        );
      }
    }
  }
}
