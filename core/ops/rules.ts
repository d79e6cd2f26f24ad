/**
 * The backward rule table: every op name maps to its rule. Typed over
 * `OpName`, so adding an op without a rule does not compile. Built on first
 * use (the family modules import the engine, which imports this file).
 *
 * @module
 */

import type { BackwardRule } from "../autograd.ts";
import { amaxRules } from "./amax.ts";
import { elementwiseRules } from "./elementwise.ts";
import { functionalRules } from "./functional.ts";
import { indexingRules } from "./indexing.ts";
import { matmulRules } from "./matmul.ts";
import { joinRules } from "./join.ts";
import { movementRules } from "./movement.ts";
import { normalizationRules } from "./normalization.ts";
import { normRules } from "./norm.ts";
import type { OpName } from "./op_names.ts";
import { reduceRules } from "./reduce.ts";
import { scanRules } from "./scan.ts";
import { sortingRules } from "./sorting.ts";
import { unaryRules } from "./unary.ts";
import { unaryMathRules } from "./unary_math.ts";

let table: { [K in OpName]: BackwardRule } | null = null;

/**
 * The backward rule of an op.
 *
 * @param op the op name
 * @returns its rule
 */
export function backwardRule(op: OpName): BackwardRule {
  if (table === null) {
    table = {
      ...elementwiseRules,
      ...unaryRules,
      ...reduceRules,
      ...movementRules,
      ...joinRules,
      ...matmulRules,
      ...indexingRules,
      ...functionalRules,
      ...normalizationRules,
      ...unaryMathRules,
      ...amaxRules,
      ...normRules,
      ...scanRules,
      ...sortingRules,
    };
  }
  return table[op];
}
