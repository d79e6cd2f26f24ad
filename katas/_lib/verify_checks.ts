/**
 * The checks of `deno task verify`, each turning a test run (or a kata's
 * files) into a list of problems; an empty list means the check holds.
 *
 * @module
 */

import { join } from "node:path";
import type { Kata } from "./kata_index.ts";
import { diffExports, type ExportShape } from "./exports.ts";
import { isKataTodo, realFailures, type TestRun, topLevel } from "./run_tests.ts";

/** One check of one kata. */
export interface Check {
  /** `"layout"`, `"stub"`, `"solution"`, `"exports"` or `"mutant <name>"`. */
  name: string;
  /** Whether it holds. */
  ok: boolean;
  /** What is wrong (empty when ok). */
  problems: string[];
}

/**
 * The layout check: the kata's files are all there and mutants replace stub files.
 *
 * @param kata the kata
 * @returns the check, and whether every stub has a solution (runs need them)
 */
export async function checkLayout(kata: Kata): Promise<{ check: Check; solutionsExist: boolean }> {
  const p: string[] = [];
  if (!kata.hasReadme) p.push("README.md is missing");
  if (!kata.hasHints) p.push("hints.md is missing");
  if (kata.stubFiles.length === 0) p.push("no stub file (a top-level .ts that is not a test)");
  if (kata.testFiles.length === 0) p.push("no *_test.ts file");
  if (kata.benchFiles.length === 0) p.push("no *_bench.ts file");
  let solutionsExist = true;
  for (const f of kata.stubFiles) {
    if (!(await isFile(join(kata.solutionDir, f)))) {
      p.push(`solutions/${kata.id}/${f} is missing`);
      solutionsExist = false;
    }
  }
  if (kata.mutants.length < 2) p.push(`${kata.mutants.length} mutant(s); a kata needs 2 or more`);
  for (const m of kata.mutants) {
    if (!kata.stubFiles.includes(m.file)) {
      p.push(`mutant ${m.name}/${m.file} replaces no stub file (${kata.stubFiles.join(", ")})`);
    }
  }
  const names = kata.mutants.map((m) => m.name);
  for (const n of new Set(names)) {
    if (names.filter((x) => x === n).length > 1) p.push(`mutant ${n} replaces several files`);
  }
  return { check: check("layout", p), solutionsExist };
}

/**
 * The stub check: every test and step fails, and every failure is a KataTodo.
 *
 * @param run the run on the stubs
 * @returns the problems
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { stubProblems } from "./verify_checks.ts";
 * const todo = "Uncaught KataTodo: Kata step 01.1 is not done yet: add.";
 * const run = {
 *   code: 1, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1,
 *   cases: [
 *     { name: "01.1 a", file: "f", failed: true, message: todo, detail: "" },
 *     { name: "01.2 b", file: "f", failed: true, message: "Uncaught Error: x", detail: "" },
 *   ],
 * };
 * deepEqual(stubProblems(run), ['"01.2 b" fails without KataTodo: Error: x']);
 * ```
 */
export function stubProblems(run: TestRun): string[] {
  const p = loadProblems(run);
  if (run.cases.length === 0) p.push("no test ran");
  // Steps too: a step that passes on the stub tests nothing the learner writes.
  for (const t of run.cases) if (!t.failed) p.push(`"${t.name}" passes on the stub`);
  for (const c of realFailures(run)) {
    if (!isKataTodo(c)) p.push(`"${c.name}" fails without KataTodo: ${firstLine(c.message)}`);
  }
  return p;
}

/**
 * The solution check: every test passes, and as many tests ran as on the stub.
 *
 * @param run the run with the solutions swapped in
 * @param expected the number of top-level tests of the stub run
 * @returns the problems
 */
export function solutionProblems(run: TestRun, expected: number): string[] {
  const p = loadProblems(run);
  for (const c of realFailures(run)) p.push(`"${c.name}" fails: ${firstLine(c.message)}`);
  if (run.code !== 0 && p.length === 0) p.push(`deno test exited ${run.code}: ${tail(run.output)}`);
  const n = topLevel(run).length;
  if (n !== expected) p.push(`${n} tests ran with the solution, ${expected} with the stub`);
  return p;
}

/**
 * The mutant check: at least one test fails with an error that is not a KataTodo.
 *
 * @param run the run with the mutant swapped in
 * @returns the problems
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { mutantProblems } from "./verify_checks.ts";
 * const pass = { name: "01.1 a", file: "f", failed: false, message: "", detail: "" };
 * const run = { code: 0, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1, cases: [pass] };
 * deepEqual(mutantProblems(run), ["survives: every test passes"]);
 * ```
 */
export function mutantProblems(run: TestRun): string[] {
  // Runs use --fail-fast, so files after the first failure may report nothing.
  if (realFailures(run).some((c) => !isKataTodo(c))) return [];
  const p = loadProblems(run);
  if (p.length === 0) {
    p.push(
      realFailures(run).length
        ? "only KataTodo failures: the mutant still calls todo()"
        : "survives: every test passes",
    );
  }
  return p;
}

function loadProblems(run: TestRun): string[] {
  if (run.timedOut) return [`timed out after ${(run.ms / 1000).toFixed(0)}s`];
  const firstError = (after: number) =>
    run.output.slice(after).match(/^error: (.*)$/m)?.[1] ?? tail(run.output);
  const uncaught = run.uncaughtFiles.map((f) => {
    const at = run.output.indexOf(`${f} (uncaught error)`);
    return `${f} has an error outside any test: ${firstError(Math.max(at, 0))}`;
  });
  const silent = run.silentFiles
    .filter((f) => !run.uncaughtFiles.includes(f))
    .map((f) => `${f} reported no test (did it load?): ${firstError(0)}`);
  return [...uncaught, ...silent];
}

/**
 * Compares the exports of a stub with another file's.
 *
 * @param stub the stub's exports, or the error reading them
 * @param other the other file's exports, or the error reading them
 * @param label the other file, as shown in problems
 * @returns the problems
 */
export function compareShapes(
  stub: ExportShape | Error,
  other: ExportShape | Error,
  label: string,
): string[] {
  if (stub instanceof Error) return [stub.message];
  if (other instanceof Error) return [other.message];
  return diffExports(stub, other).map((d) => `${label}: ${d}`);
}

/**
 * Makes a check from its problems.
 *
 * @param name the check's name
 * @param problems what is wrong
 * @returns the check, ok when there is no problem
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { check } from "./verify_checks.ts";
 * deepEqual(check("stub", []), { name: "stub", ok: true, problems: [] });
 * ```
 */
export function check(name: string, problems: string[]): Check {
  return { name, ok: problems.length === 0, problems };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function firstLine(s: string): string {
  return s.replace(/^Uncaught /, "").split("\n")[0].slice(0, 200);
}

function tail(s: string): string {
  return s.trim().split("\n").slice(-3).join(" / ").slice(0, 300);
}
