/**
 * Test helpers of verify's tests: verify a copy of the fixture after an edit, and list the
 * checks that failed.
 *
 * @module
 */

import { type Check, type KataReport, verify } from "../verify.ts";
import { commitAll, copyFixture } from "./copy_fixture.ts";

/** The fixture kata's stub, relative to the fixture's root. */
export const STUB = "katas/90/poly.ts";
/** Its solution, relative to the fixture's root. */
export const SOLUTION = "solutions/90/poly.ts";

/**
 * The checks that failed, as `[name, problems]`.
 *
 * @param checks a report's checks
 * @returns the failing ones
 */
export const failing = (checks: Check[]): [string, string[]][] =>
  checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]);

/**
 * Copies the fixture, lets `edit` change it, and verifies the copy (without the
 * mutants' `deno check`, which costs a second of CPU and has a test of its own).
 *
 * @param edit changes the copy, given its root
 * @param git commit the copy first (a git checkout)
 * @param typeCheck type-check the mutants
 * @returns the fixture kata's report
 */
export async function verifyCopy(
  edit: (root: string) => Promise<void>,
  git = false,
  typeCheck = false,
): Promise<KataReport> {
  const { root, cleanup } = await copyFixture();
  try {
    if (git) await commitAll(root);
    await edit(root);
    const [report] = await verify({ root, typeCheckMutants: typeCheck });
    return report;
  } finally {
    await cleanup();
  }
}

/**
 * Replaces the first `from` in a file with `to`.
 *
 * @param path the file
 * @param from the text to replace
 * @param to its replacement
 * @returns when written
 */
export async function replaceIn(path: string, from: string, to: string): Promise<void> {
  await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace(from, to));
}
