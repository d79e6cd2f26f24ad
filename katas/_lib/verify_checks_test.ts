import { deepEqual } from "node:assert/strict";
import { mutantProblems, solutionProblems, stubProblems } from "./verify_checks.ts";
import type { TestRun } from "./run_tests.ts";

const stopped = (running?: TestRun["running"]): TestRun => ({
  code: 143,
  timedOut: true,
  ...(running ? { running } : {}),
  cases: [],
  silentFiles: ["katas/01/value_test.ts"],
  uncaughtFiles: [],
  output: "",
  ms: 300_400,
});

Deno.test("a stopped run is one breach that names the test that was running", () => {
  const run = stopped({ file: "./katas/01/value_test.ts", name: "01.5 chain > walk" });
  const breach =
    'timed out after 300s while "01.5 chain > walk" was running (katas/01/value_test.ts)';
  deepEqual(stubProblems(run), [breach, "no test ran"]);
  deepEqual(solutionProblems(run, 3), [breach, "0 tests ran with the solution, 3 with the stub"]);
  deepEqual(mutantProblems(run), [breach]);
  deepEqual(mutantProblems(stopped()), ["timed out after 300s before any test started"]);
});

Deno.test("an ignored test is a breach of the stub and of the solution, never a pass", () => {
  const ignored = {
    name: "13.1 map",
    file: "f",
    failed: false,
    message: "",
    detail: "",
    ignored: true,
  };
  const run: TestRun = {
    code: 0,
    timedOut: false,
    cases: [ignored],
    silentFiles: [],
    uncaughtFiles: [],
    output: "Kata 13 skipped: no adapter\n",
    ms: 1,
  };
  deepEqual(stubProblems(run), ['"13.1 map" was ignored (skipped), not run']);
  deepEqual(solutionProblems(run, 1), ['"13.1 map" was ignored (skipped), not run']);
});
