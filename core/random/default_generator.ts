/**
 * The process-wide generator used when no `generator` option is given, like
 * `torch.default_generator`, and `manualSeed` to seed it.
 *
 * @module
 */

import { Generator } from "./generator.ts";

let defaultGen: Generator | undefined;

/**
 * The process-wide generator used when no generator is passed, like
 * `torch.default_generator` (seeded with 67280421310721 until
 * {@linkcode manualSeed} is called).
 *
 * @returns the default generator
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { defaultGenerator, manualSeed } from "./default_generator.ts";
 * manualSeed(3);
 * equal(defaultGenerator().initialSeed(), 3n);
 * ```
 */
export function defaultGenerator(): Generator {
  return defaultGen ??= new Generator();
}

/**
 * Seeds the default generator, like `torch.manual_seed(seed)`.
 *
 * @param seed an integer
 * @returns the default generator
 * @throws {RangeError} when the seed is not a safe integer
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { manualSeed } from "./default_generator.ts";
 * deepEqual(manualSeed(42).uniform(4), new Generator(42).uniform(4));
 * ```
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator().manualSeed(seed);
}
