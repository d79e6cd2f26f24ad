/**
 * Runs one kata as a learner does (`deno test katas/NN`, type-checked) and
 * boils the result down to a status and the first failure worth showing.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import type { Kata } from "./kata_index.ts";
import { stepOfTest } from "./kata_index.ts";
import type { TestCase } from "./junit.ts";
import { isStepSummary } from "./junit.ts";
import {
  isKataTodo,
  KATA_TODO,
  realFailures,
  type RunOptions,
  runTests,
  type TestRun,
  topLevel,
} from "./run_tests.ts";
import { hungMessage, streamedCounts } from "./test_progress.ts";
import type { KataStatus } from "./progress.ts";

/** The first failure of a run, ready to print. */
export interface FirstFailure {
  /** The test (or `"test > step"`) name; `""` when the run broke before any test. */
  test: string;
  /** The error message, without the `edit:`/`hint:` lines of a KataTodo. */
  message: string;
  /** The file to edit, relative to the root. */
  file: string;
  /** The step id, when known. */
  step?: string;
}

/** A kata run, summarised. */
export interface KataOutcome {
  /** The derived status. */
  status: KataStatus;
  /** Top-level tests that passed. */
  passed: number;
  /** Top-level tests. */
  total: number;
  /** The first failure, unless it passed. */
  first?: FirstFailure;
  /** The raw run. */
  run: TestRun;
}

/** How to run a kata. */
export interface KataRunOptions {
  /** Stop the run after this many milliseconds (default 300 000). */
  timeoutMs?: number;
  /** Told now and then which test is running while a run goes on (see {@link runTests}). */
  onStillRunning?: RunOptions["onStillRunning"];
  /** How often (default 30 000 ms). */
  stillRunningMs?: number;
}

/**
 * Runs a kata's tests with type checking and summarises them.
 *
 * @param root the repository root
 * @param kata the kata
 * @param opts time limit and progress callback
 * @returns the status and first failure
 */
export async function runKata(
  root: string,
  kata: Kata,
  opts: KataRunOptions = {},
): Promise<KataOutcome> {
  const run = await runTests({
    root,
    files: kata.testFiles.map((f) => join(kata.dir, f)),
    check: true,
    ...opts,
  });
  return summarise(root, kata, run);
}

/**
 * Derives status and first failure from a run. "not started" means every test
 * failed and every failure is a KataTodo.
 *
 * @param root the repository root
 * @param kata the kata
 * @param run its test run
 * @returns the summary
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { findKatas } from "./kata_index.ts";
 * import { summarise } from "./run_kata.ts";
 * const root = new URL("./testdata/fixture", import.meta.url).pathname;
 * const [kata] = await findKatas(root);
 * const todo = "Uncaught KataTodo: Kata step 90.1 is not done yet: square(x).\n  edit:  katas/90/poly.ts";
 * const run = {
 *   code: 1, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1,
 *   cases: [{ name: "90.1 sq", file: "f", failed: true, message: todo, detail: "" }],
 * };
 * const o = summarise(root, kata, run);
 * equal(o.status, "not started");
 * equal(o.first?.file, "katas/90/poly.ts");
 * equal(o.first?.step, "90.1");
 * ```
 */
export function summarise(root: string, kata: Kata, run: TestRun): KataOutcome {
  const tests = topLevel(run);
  // A stopped run wrote no JUnit report: count what its streamed report shows.
  const counts = run.timedOut
    ? streamedCounts(run.output)
    : { passed: tests.filter((t) => !t.failed && !t.ignored).length, total: tests.length };
  const passed = counts.passed;
  const failures = realFailures(run);
  const broken = run.timedOut || run.silentFiles.length > 0 || run.uncaughtFiles.length > 0 ||
    tests.some((t) => t.ignored); // an ignored test is never a pass
  let status: KataStatus;
  if (run.code === 0 && failures.length === 0 && tests.length > 0 && !broken) status = "passed";
  else if (!broken && tests.length > 0 && passed === 0 && failures.every(isKataTodo)) {
    status = "not started";
  } else status = "failing";
  const out: KataOutcome = { status, passed, total: counts.total, run };
  if (status !== "passed") out.first = firstFailure(root, kata, run);
  return out;
}

function firstFailure(root: string, kata: Kata, run: TestRun): FirstFailure {
  if (run.timedOut) {
    return {
      test: run.running?.name ?? "",
      message: hungMessage(Math.round(run.ms / 1000), run.running),
      file: fallbackFile(kata, root, ""),
      step: run.running ? stepOfTest(run.running.name) : undefined,
    };
  }
  const top = topLevel(run).find((t) => t.failed || t.ignored);
  if (top?.ignored) {
    // Each test file prints its skip reason: show each distinct line once.
    const why = [...new Set(run.output.split("\n").filter((l) => /\bskipped\b/i.test(l)))]
      .join("\n");
    return {
      test: top.name,
      message: `ignored: this test did not run here${why ? `\n${why}` : ""}`,
      file: fallbackFile(kata, root, "", top.file),
      step: stepOfTest(top.name),
    };
  }
  let c: TestCase | undefined = top;
  if (top && isStepSummary(top)) {
    c = run.cases.find((x) => x.failed && !isStepSummary(x) && x.name.startsWith(top.name + " > "));
  }
  if (!c) {
    return {
      test: "",
      message: brokenRunMessage(run),
      file: fallbackFile(kata, root, run.output),
    };
  }
  const todo = c.message.match(KATA_TODO);
  if (todo) {
    // Shown the same whether thrown directly or quoted by an assertion.
    return {
      test: c.name,
      message: `KataTodo: Kata step ${todo[1]} is not done yet: ${todo[2]}.`,
      file: c.message.match(/edit:\s+([^\s\\']+)/)?.[1] ?? fallbackFile(kata, root, c.detail),
      step: todo[1],
    };
  }
  return {
    test: c.name,
    message: c.message.replace(/^Uncaught (\(in promise\) )?/, "").trim(),
    file: fallbackFile(kata, root, c.detail, c.file),
    step: stepOfTest(c.name),
  };
}

/**
 * The stub file named in a stack trace, else the stub beside the failing test file
 * (`x_test.ts` tests `x.ts`; kata 13's errors come from its harness, not the stub), else the
 * kata's stub files.
 */
function fallbackFile(kata: Kata, root: string, text: string, testFile = ""): string {
  for (const f of kata.stubFiles) {
    if (text.includes(join(kata.dir, f))) return relative(root, join(kata.dir, f));
  }
  const beside = basename(testFile).replace(/_test\.ts$/, ".ts");
  if (testFile.endsWith("_test.ts") && kata.stubFiles.includes(beside)) {
    return relative(root, join(kata.dir, beside));
  }
  return kata.stubFiles.map((f) => relative(root, join(kata.dir, f))).join(", ");
}

function brokenRunMessage(run: TestRun): string {
  const lines = run.output.split("\n").filter((l) =>
    l.trim() !== "" && !/^(Check|Download|Stack backtrace|\s+\d+: <unknown>)/.test(l)
  );
  return lines.slice(0, 15).join("\n") || `deno test exited with code ${run.code}`;
}
