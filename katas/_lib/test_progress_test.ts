import { deepEqual, equal, match } from "node:assert/strict";
import { hungMessage, runningTest, streamedCounts } from "./test_progress.ts";

Deno.test("runningTest follows files, finished tests and steps to the one still running", () => {
  const out = [
    "running 1 test from ./katas/01/derivative_test.ts",
    "01.1 slope ... ok (1ms)",
    "running 3 tests from ./katas/01/value_test.ts",
    "01.5 order ...",
    "  a step ... ok (0ms)",
    "01.5 order ... ok (2ms)",
    "01.5 chain ...",
  ].join("\n");
  deepEqual(runningTest(out), { file: "./katas/01/value_test.ts", name: "01.5 chain" });
});

Deno.test("runningTest skips a test's console output, even lines that look like tests", () => {
  const out = [
    "running 1 test from ./a_test.ts",
    "01.2 prints ...",
    "------- output -------",
    "not a test ... ok (1ms)",
    "another ...",
    "----- output end -----",
    "01.2 prints ... ok (1ms)",
    "01.3 loops ...",
    "------- output -------",
    "step 7 ...",
  ].join("\n");
  deepEqual(runningTest(out), { file: "./a_test.ts", name: "01.3 loops" });
});

Deno.test("runningTest: nothing runs after the last test, at the summary, or before any test", () => {
  equal(runningTest("running 1 test from ./a_test.ts\n01.1 a ... FAILED (1ms)\n"), undefined);
  equal(
    runningTest("running 1 test from ./a_test.ts\n01.1 a ...\n\n ERRORS \n\n01.1 a => x"),
    undefined,
  );
  equal(runningTest("Check a_test.ts\n"), undefined);
  equal(runningTest(""), undefined);
});

Deno.test("streamedCounts counts passed top-level tests and the tests announced so far", () => {
  const out = [
    "running 2 tests from ./a_test.ts",
    "01.1 a ...",
    "  step ... ok (0ms)",
    "01.1 a ... ok (1ms)",
    "01.2 b ... FAILED (1ms)",
    "running 3 tests from ./b_test.ts",
    "01.3 c ...",
    "------- output -------",
    "fake ... ok (1ms)",
  ].join("\n");
  deepEqual(streamedCounts(out), { passed: 1, total: 5 });
});

Deno.test("hungMessage names the test and its file, suggests a loop, and gives the hint command", () => {
  const text = hungMessage(300, { file: "./katas/01/value_test.ts", name: "01.5 chain > walk" });
  equal(
    text.split("\n")[0],
    'the tests were stopped after 300s while "01.5 chain > walk" was running (katas/01/value_test.ts).',
  );
  match(text, /An infinite loop in step 01\.5\?/);
  match(hungMessage(5, undefined), /before any test started/);
  equal(hungMessage(5, { file: "./a_test.ts", name: "setup" }).includes("in step"), false);
});
