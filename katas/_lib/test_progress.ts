/**
 * Reads `deno test`'s streamed (pretty) report to tell which test was running
 * when a run was stopped, and words the message a learner sees for a run that
 * never finished.
 *
 * The pretty reporter writes `name ...` when a test or step starts and
 * `name ... ok (1ms)` (or `FAILED`, `ignored`) when it ends; steps are indented
 * by two spaces per level, and a test's console output sits between
 * `------- output -------` and `----- output end -----`.
 *
 * @module
 */

/** The test (or step) a run was in. */
export interface RunningTest {
  /** The test file, as Deno names it (`"./katas/01/value_test.ts"`). */
  file: string;
  /** The test name; a step's is `"test > step"`. */
  name: string;
}

const RUNNING = /^running \d+ tests? from (.+)$/;
const STARTED = /^( *)(.+) \.\.\.$/;
const ENDED = /^( *)(.+) \.\.\. (?:ok|FAILED|ignored|cancelled)\b/;

/**
 * The test or step that had started and not ended when the output stops.
 *
 * @param output the stdout of `deno test` (default reporter, no colours) so far
 * @returns the running test, or `undefined` when none was running
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { runningTest } from "./test_progress.ts";
 * const out = "running 2 tests from ./a_test.ts\n01.1 fine ... ok (1ms)\n" +
 *   "01.2 walks ...\n  a step ... ok (0ms)\n  another step ...";
 * deepEqual(runningTest(out), { file: "./a_test.ts", name: "01.2 walks > another step" });
 * ```
 */
export function runningTest(output: string): RunningTest | undefined {
  let file = "";
  let stack: string[] = [];
  let inOutput = false;
  for (const line of output.split("\n")) {
    if (inOutput) {
      if (line === "----- output end -----") inOutput = false;
      continue;
    }
    if (line === "------- output -------") {
      inOutput = true;
      continue;
    }
    if (line.trim() === "ERRORS" || /^(ok|FAILED) \| \d+ passed/.test(line)) return undefined;
    const run = line.match(RUNNING);
    if (run) {
      file = run[1];
      stack = [];
      continue;
    }
    const ended = line.match(ENDED);
    if (ended) {
      stack = stack.slice(0, ended[1].length / 2);
      continue;
    }
    const started = line.match(STARTED);
    if (started) {
      stack = stack.slice(0, started[1].length / 2);
      stack.push(started[2]);
    }
  }
  return stack.length > 0 && file ? { file, name: stack.join(" > ") } : undefined;
}

/**
 * How far a stopped run got, from its streamed report: the top-level tests that
 * ended `ok`, and the tests announced by `running N tests from …` so far.
 *
 * @param output the stdout of `deno test` so far
 * @returns the counts
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { streamedCounts } from "./test_progress.ts";
 * const out = "running 3 tests from ./a_test.ts\n01.1 a ... ok (1ms)\n01.2 b ... FAILED (1ms)\n01.3 c ...";
 * deepEqual(streamedCounts(out), { passed: 1, total: 3 });
 * ```
 */
export function streamedCounts(output: string): { passed: number; total: number } {
  let passed = 0, total = 0, inOutput = false;
  for (const line of output.split("\n")) {
    if (inOutput || line === "------- output -------") {
      inOutput = line !== "----- output end -----";
      continue;
    }
    const run = line.match(RUNNING);
    if (run) total += Number(line.match(/^running (\d+)/)![1]);
    else if (/^\S.* \.\.\. ok\b/.test(line)) passed++;
  }
  return { passed, total };
}

/**
 * What a learner reads when a run was stopped: which test was running, and what
 * to try.
 *
 * @param seconds how long it ran
 * @param running the test that was running, if known
 * @returns a few lines of text
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * import { hungMessage } from "./test_progress.ts";
 * const text = hungMessage(300, { file: "./katas/01/value_test.ts", name: "01.5 backward()" });
 * match(text, /stopped after 300s while "01.5 backward\(\)" was running \(katas\/01\/value_test.ts\)/);
 * match(text, /An infinite loop in step 01.5\?/);
 * ```
 */
export function hungMessage(seconds: number, running: RunningTest | undefined): string {
  if (!running) {
    return `the tests were stopped after ${seconds}s before any test started: ` +
      "does a module loop forever at its top level?";
  }
  const step = running.name.match(/^(\d\d\.\d+)(?=\s|$)/)?.[1];
  const file = running.file.replace(/^\.\//, "");
  return [
    `the tests were stopped after ${seconds}s while "${running.name}" was running (${file}).`,
    `An infinite loop${step ? ` in step ${step}` : ""}? Look for a loop whose condition never ` +
    "changes (a walk over a graph that revisits nodes without a visited set), or a Promise " +
    "that never settles.",
  ].join("\n");
}
