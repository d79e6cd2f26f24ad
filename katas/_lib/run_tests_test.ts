import { fileURLToPath } from "node:url";
import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { isKataTodo, realFailures, runTests, topLevel } from "./run_tests.ts";
import { importMapWith } from "./import_map.ts";
import { copyFixture } from "./testdata/copy_fixture.ts";
import { findKatas } from "./kata_index.ts";
import { applyMutant } from "./overlay.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));
const TESTS = [join(ROOT, "katas/90/poly_test.ts")];
const STUB = join(ROOT, "katas/90/poly.ts");
const SOLUTION = join(ROOT, "solutions/90/poly.ts");

Deno.test("runTests on the stub: every test and step fails with KataTodo", async () => {
  const run = await runTests({ root: ROOT, files: TESTS });
  equal(run.code, 1);
  deepEqual(topLevel(run).map((t) => [t.name, t.failed]), [
    ["90.1 square squares negative and fractional numbers", true],
    ["90.2 Poly.evaluate matches the sum of terms", true],
    ["90.2 Poly.evaluate refuses NaN", true],
    ["90.3 Poly.derivative", true],
  ]);
  const failures = realFailures(run);
  equal(failures.length, 5); // three tests and two steps of 90.3
  // "refuses NaN" fails with an AssertionError that quotes the KataTodo.
  equal(failures[2].message.startsWith("Uncaught AssertionError"), true);
  equal(failures.every(isKataTodo), true);
  deepEqual([run.silentFiles, run.uncaughtFiles], [[], []]);
});

Deno.test("runTests swaps the solution in for the stub through the import map", async () => {
  const run = await runTests({ root: ROOT, files: TESTS, replace: new Map([[STUB, SOLUTION]]) });
  equal(run.code, 0);
  equal(run.cases.length, 6);
  equal(run.cases.every((c) => !c.failed), true);
});

Deno.test("runTests loads a patched overlay in place of the stub: only its step fails", async () => {
  const [kata] = await findKatas(ROOT);
  const mutant = kata.mutants.find((m) => m.name === "square_abs")!;
  const dir = await Deno.makeTempDir();
  try {
    const applied = await applyMutant(ROOT, kata, mutant, dir);
    if (!("replace" in applied)) throw new Error(applied.problem);
    equal(applied.replace.get(STUB), join(dir, SOLUTION)); // the overlay mirrors absolute paths
    const run = await runTests({ root: ROOT, files: TESTS, ...applied, overlays: [dir] });
    deepEqual(realFailures(run).map((c) => c.name), [
      "90.1 square squares negative and fractional numbers",
    ]);
    equal(realFailures(run)[0].message.startsWith("Uncaught AssertionError"), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTests: an overlay file's relative imports load the root's files", async () => {
  const { root, cleanup } = await copyFixture();
  const dir = await Deno.makeTempDir();
  try {
    // An overlay stub that imports a helper it does not hold: the root's copy loads.
    const copy = join(dir, root, "katas/90/poly.ts");
    await Deno.mkdir(join(dir, root, "katas/90"), { recursive: true });
    await Deno.writeTextFile(
      copy,
      (await Deno.readTextFile(join(root, "solutions/90/poly.ts"))) +
        'export { POINTS } from "./_points.ts";\n',
    );
    const test = join(root, "katas/90/overlay_test.ts");
    await Deno.writeTextFile(
      test,
      'import { equal } from "node:assert/strict";\nimport { POINTS, square } from "./poly.ts";\n' +
        'Deno.test("90.1 overlay", () => equal(square(POINTS[0]), 2.25));\n',
    );
    const replace = new Map([[join(root, "katas/90/poly.ts"), copy]]);
    const run = await runTests({ root, files: [test], replace, overlays: [dir] });
    deepEqual([run.code, run.cases.map((c) => c.failed)], [0, [false]]);
  } finally {
    await cleanup();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTests reports test files that cannot load as silent", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    const poly = join(root, "katas/90/poly_test.ts");
    const broken = join(root, "katas/90/broken_test.ts");
    await Deno.writeTextFile(broken, 'throw new Error("top level");\n');
    const thrown = await runTests({ root, files: [poly, broken] });
    deepEqual([thrown.code, thrown.silentFiles], [1, ["katas/90/broken_test.ts"]]);
    equal(topLevel(thrown).length, 4);
    await Deno.writeTextFile(broken, 'import { nope } from "./missing.ts";\nnope();\n');
    const unresolved = await runTests({ root, files: [poly, broken] });
    // A missing module stops the whole run before any test.
    deepEqual([unresolved.code, unresolved.silentFiles.length, unresolved.cases], [1, 2, []]);
  } finally {
    await cleanup();
  }
});

Deno.test("runTests keeps the config's imports and redirects aliases of a swapped file", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({ imports: { "fixture-poly": "./katas/90/poly.ts" } }),
    );
    const test = join(root, "katas/90/alias_test.ts");
    await Deno.writeTextFile(
      test,
      'import { equal } from "node:assert/strict";\nimport { square } from "fixture-poly";\n' +
        'Deno.test("90.1 alias", () => equal(square(-3), 9));\n',
    );
    const replace = new Map([[join(root, "katas/90/poly.ts"), join(root, "solutions/90/poly.ts")]]);
    const stub = await runTests({ root, files: [test] });
    equal(isKataTodo(stub.cases[0]), true);
    const solved = await runTests({ root, files: [test], replace });
    deepEqual([solved.code, solved.cases.map((c) => c.failed)], [0, [false]]);
  } finally {
    await cleanup();
  }
});

Deno.test("importMapWith resolves config paths, keeps bare targets, adds the swaps", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "deno.json");
    await Deno.writeTextFile(
      config,
      `{
        // comments are allowed, "// inside strings" too
        "imports": { "lib/": "./lib/", "fc": "npm:fast-check@3.23.2", "k": "./katas/01/a.ts" },
        "scopes": { "./vendor/": { "x": "./x.ts" } }
      }`,
    );
    const map = await importMapWith(config, {
      replace: new Map([[join(dir, "katas/01/a.ts"), join(dir, "solutions/01/a.ts")]]),
    });
    deepEqual(map, {
      imports: {
        "lib/": `file://${dir}/lib/`,
        fc: "npm:fast-check@3.23.2",
        k: `file://${dir}/solutions/01/a.ts`,
        [`file://${dir}/katas/01/a.ts`]: `file://${dir}/solutions/01/a.ts`,
      },
      scopes: { [`file://${dir}/vendor/`]: { x: `file://${dir}/x.ts` } },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTests stops a run that outlives its timeout and names the test running then", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    const hang = join(root, "katas/90/hang_test.ts");
    await Deno.writeTextFile(
      hang,
      'Deno.test("90.1 fine", () => {});\n' +
        'Deno.test("90.2 walks", async (t) => {\n  await t.step("first", () => {});\n' +
        // Blocks for good without using a core, like an endless loop would with one.
        '  await t.step("loops", () => {\n    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n  });\n});\n',
    );
    const seen: (string | undefined)[] = [];
    const run = await runTests({
      root,
      files: [hang],
      timeoutMs: 3000,
      stillRunningMs: 1000,
      onStillRunning: (t) => seen.push(t?.name),
    });
    deepEqual([run.timedOut, run.code === 0], [true, false]);
    deepEqual(run.running, { file: "./katas/90/hang_test.ts", name: "90.2 walks > loops" });
    equal(seen.at(-1), "90.2 walks > loops");
  } finally {
    await cleanup();
  }
});
