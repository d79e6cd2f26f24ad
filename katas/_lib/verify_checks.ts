/**
 * The checks of `deno task verify`, each turning a test run (or a kata's
 * files) into a list of problems; an empty list means the check holds.
 *
 * @module
 */

import { join } from "node:path";
import { type Kata, stepOfTest } from "./kata_index.ts";
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
 * The layout check: the kata's files are all there, and its mutants are patches
 * with a description that edit solution files.
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
  const at = `katas/${kata.id}/_mutants/`;
  for (const stray of kata.strayMutants) {
    p.push(
      stray.endsWith("/")
        ? `${at}${stray} is a whole-file mutant (the old form); make it a patch: edit ` +
          `solutions/${kata.id}/, then git diff solutions/${kata.id} > ${at}${
            stray.slice(0, -1)
          }.patch`
        : `${at}${stray} is not a mutant: mutants are .patch files`,
    );
  }
  const allowed = kata.stubFiles.map((f) => `solutions/${kata.id}/${f}`);
  for (const m of kata.mutants) {
    if (!m.description) {
      p.push(
        `${at}${m.name}.patch has no description: start it with a line saying what the ` +
          "planted bug is and which step must fail",
      );
    }
    if (m.files.length === 0) p.push(`${at}${m.name}.patch edits no file (not a git diff?)`);
    for (const f of m.files.filter((f) => !allowed.includes(f))) {
      p.push(
        `${at}${m.name}.patch edits ${f}, which is not a solution file (${allowed.join(", ")})`,
      );
    }
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
  for (const t of run.cases) {
    if (t.ignored) p.push(ignoredProblem(t.name));
    else if (!t.failed) p.push(`"${t.name}" passes on the stub`);
  }
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
  for (const c of run.cases) if (c.ignored) p.push(ignoredProblem(c.name));
  for (const c of realFailures(run)) p.push(`"${c.name}" fails: ${firstLine(c.message)}`);
  if (run.code !== 0 && p.length === 0) p.push(`deno test exited ${run.code}: ${tail(run.output)}`);
  const n = topLevel(run).length;
  if (n !== expected) p.push(`${n} tests ran with the solution, ${expected} with the stub`);
  return p;
}

/**
 * The mutant check: at least one test fails with an error that is not a
 * KataTodo, and when the mutant names the step that must catch it, the first
 * such failure belongs to that step (the step whose hint a learner would read).
 *
 * @param run the run with the mutant swapped in
 * @param step the step its description says must fail, if any
 * @returns the problems
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { mutantProblems } from "./verify_checks.ts";
 * const pass = { name: "01.1 a", file: "f", failed: false, message: "", detail: "" };
 * const run = { code: 0, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1, cases: [pass] };
 * deepEqual(mutantProblems(run), ["survives: every test passes"]);
 * const fail = { name: "01.6 b", file: "f", failed: true, message: "Uncaught Error: 2 != 1", detail: "" };
 * deepEqual(mutantProblems({ ...run, code: 1, cases: [pass, fail] }, "01.5"), [
 *   'killed first by "01.6 b" (step 01.6), but its description says 01.5 must fail',
 * ]);
 * ```
 */
export function mutantProblems(run: TestRun, step?: string): string[] {
  // Runs use --fail-fast, so files after the first failure may report nothing.
  const killer = realFailures(run).find((c) => !isKataTodo(c));
  if (killer) {
    const killedAt = stepOfTest(killer.name);
    if (step === undefined || killedAt === step) return [];
    return [
      `killed first by "${killer.name}" (step ${killedAt ?? "none"}), but its description says ` +
      `${step} must fail`,
    ];
  }
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
  if (run.timedOut) {
    const where = run.running
      ? ` while "${run.running.name}" was running (${run.running.file.replace(/^\.\//, "")})`
      : " before any test started";
    return [`timed out after ${(run.ms / 1000).toFixed(0)}s${where}`];
  }
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

/** An ignored test proves nothing: say so (a kata 13 test without a WebGPU adapter, say). */
function ignoredProblem(name: string): string {
  return `"${name}" was ignored (skipped), not run`;
}
