/**
 * The checks of `new Value(data, children, op, label)` and the wording of its
 * errors (user calls only: the operations build their nodes unchecked).
 *
 * @module
 */

import { Value } from "./value.ts";

/**
 * Throws a TypeError naming the first bad argument of `new Value(...)`.
 *
 * @param data must be a number
 * @param children must be an array of Values
 * @param op must be a string
 * @param label must be a string
 */
export function checkValueArgs(
  data: unknown,
  children: unknown,
  op: unknown,
  label: unknown,
): void {
  if (typeof data !== "number") {
    throw new TypeError(
      `Cannot create a Value from ${describe(data)}: expected a number`,
    );
  }
  if (!Array.isArray(children)) badChildren(children);
  for (let i = 0; i < (children as unknown[]).length; i++) {
    if (!((children as unknown[])[i] instanceof Value)) badChildren(children);
  }
  if (typeof op !== "string" || typeof label !== "string") {
    throw new TypeError(
      `Cannot create a Value: op and label must be strings, got ${describe(op)} and ${
        describe(label)
      }`,
    );
  }
}

function badChildren(children: unknown): never {
  throw new TypeError(
    `Cannot create a Value: children must be an array of Values, got ${describe(children)}`,
  );
}

/**
 * How an unexpected argument reads in an error message.
 *
 * @param x anything
 * @returns e.g. `the string "a"`, `an object (Map)`, `a boolean (true)`
 */
export function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "Object"})`;
  return `a ${typeof x} (${String(x)})`;
}
