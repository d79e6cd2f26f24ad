/**
 * The stub marker of every kata: `todo(step, what)` throws a {@link KataTodo}
 * that names the step, the file to edit and the hint command.
 *
 * @module
 */

/** The error a kata stub throws where the learner has work to do. */
export class KataTodo extends Error {
  /** The step id, e.g. `"01.3"`. */
  readonly step: string;
  /** The file the learner edits, relative to the repository root. */
  readonly file: string;

  /**
   * @param step the step id, `"NN.S"`
   * @param what what to implement, in a few words
   * @param file the file to edit
   */
  constructor(step: string, what: string, file: string) {
    super(
      `Kata step ${step} is not done yet: ${what}.\n` +
        `  edit:  ${file}\n` +
        `  hint:  deno task hint ${step}`,
    );
    this.name = "KataTodo";
    this.step = step;
    this.file = file;
  }
}

/**
 * Marks unfinished kata code. Throws a {@link KataTodo}; typed `never` so a stub
 * body `return todo(...)` type-checks whatever the function returns.
 *
 * @param step the step id, `"NN.S"` (its kata folder is `katas/NN/`)
 * @param what what to implement, in a few words
 * @returns never
 * @throws {KataTodo} always
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { KataTodo, todo } from "./todo.ts";
 * throws(() => todo("01.2", "Value.add"), KataTodo);
 * ```
 */
export function todo(step: string, what: string): never {
  throw new KataTodo(step, what, callerFile(step));
}

/** The file that called `todo`, relative to the repo root, read from the stack. */
function callerFile(step: string): string {
  const stack = new Error().stack?.split("\n") ?? [];
  for (const line of stack) {
    const m = line.match(/(katas\/\d\d\/[^:)\s]+\.ts)/);
    if (m) return m[1];
  }
  return `katas/${step.slice(0, 2)}/`;
}
