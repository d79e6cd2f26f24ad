import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { runTests, type TestRun } from "./run_tests.ts";
import { copyFixture } from "./testdata/copy_fixture.ts";

/** What verify reads from a run: everything but the output and the time. */
function report(run: TestRun) {
  const { code, timedOut, running, cases, silentFiles, uncaughtFiles } = run;
  return { code, timedOut, running, cases, silentFiles, uncaughtFiles };
}

const SECOND_FILE =
  'import { equal } from "node:assert/strict";\nimport { Poly } from "./poly.ts";\n' +
  'Deno.test("90.3 a second file", () => equal(new Poly([1, 2]).evaluate(2), 5));\n';

Deno.test("runTests oneWorker: the report of a worker per file, from one worker", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    const second = join(root, "katas/90/second_test.ts");
    await Deno.writeTextFile(second, SECOND_FILE);
    const files = [join(root, "katas/90/poly_test.ts"), second];
    // The stub: every test fails, with the messages verify reads.
    const apart = await runTests({ root, files });
    const together = await runTests({ root, files, oneWorker: true });
    deepEqual(report(together), report(apart));
    equal(together.cases.length, 7);
    equal(together.cases.at(-1)?.file, "./katas/90/second_test.ts");
    // Deno names the worker's file once per worker.
    equal(apart.output.match(/^running \d+ tests? from/gm)?.length, 2);
    equal(together.output.match(/^running \d+ tests? from/gm)?.length, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("runTests oneWorker: an error outside any test is pinned to its file, the others run", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    const broken = join(root, "katas/90/broken_test.ts");
    const second = join(root, "katas/90/second_test.ts");
    await Deno.writeTextFile(broken, 'throw new Error("top level");\n');
    await Deno.writeTextFile(second, SECOND_FILE);
    const files = [join(root, "katas/90/poly_test.ts"), broken, second];
    const together = await runTests({ root, files, oneWorker: true });
    deepEqual(report(together), report(await runTests({ root, files })));
    deepEqual([together.uncaughtFiles, together.silentFiles], [
      ["katas/90/broken_test.ts"],
      ["katas/90/broken_test.ts"],
    ]);
    equal(together.cases.at(-1)?.name, "90.3 a second file");
  } finally {
    await cleanup();
  }
});

Deno.test("runTests oneWorker: a run past its time names the file of the test running", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    const hang = join(root, "katas/90/hang_test.ts");
    await Deno.writeTextFile(
      hang,
      'Deno.test("90.2 waits", () => {\n' +
        "  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n});\n",
    );
    const files = [join(root, "katas/90/poly_test.ts"), hang];
    const run = await runTests({ root, files, oneWorker: true, timeoutMs: 3000 });
    deepEqual([run.timedOut, run.running], [true, {
      file: "./katas/90/hang_test.ts",
      name: "90.2 waits",
    }]);
  } finally {
    await cleanup();
  }
});
