// verify's breach reports, beside verify_test.ts (two files, so deno test --parallel runs them
// side by side: each verifies a copy of the fixture several times).
import { deepEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { formatReport } from "./verify.ts";
import { writeMutant } from "./testdata/copy_fixture.ts";
import { failing, replaceIn, SOLUTION, STUB, verifyCopy } from "./testdata/verify_copy.ts";

Deno.test("verify reports mutants that survive, fail in another step, or do not type-check", async () => {
  const report = await verifyCopy(
    async (root) => {
      await writeMutant(
        root,
        "comment_only",
        "Mutant: only a comment (90.1 must fail).",
        "x²",
        "x squared",
      );
      await writeMutant(
        root,
        "square_abs",
        "Mutant: square keeps the sign (90.2 must fail).",
        "return x * x;",
        "return x * Math.abs(x);",
      );
      await writeMutant(
        root,
        "square_string",
        "Mutant: a string (90.1 must fail).",
        "return x * x;",
        'return "x";',
      );
    },
    true,
    true,
  );
  deepEqual(failing(report.checks), [
    ["mutant comment_only", ["survives: every test passes"]],
    ["mutant square_abs", [
      'killed first by "90.1 square squares negative and fractional numbers" (step 90.1), ' +
      "but its description says 90.2 must fail",
    ]],
    ["mutant square_string", [
      "does not type-check: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'."
        .replace(" [ERROR]", ""),
    ]],
  ]);
  equal(formatReport([report]).split("\n").at(-1), "verify: 5 passed, 3 failed");
});

Deno.test("verify reports a stale mutant, the old whole-file form and a patch without a description", async () => {
  const report = await verifyCopy(async (root) => {
    await replaceIn(join(root, SOLUTION), "return x * x;", "return x ** 2;"); // square_abs no longer applies
    await Deno.mkdir(join(root, "katas/90/_mutants/old_form"));
    await Deno.copyFile(join(root, SOLUTION), join(root, "katas/90/_mutants/old_form/poly.ts"));
    const patch = join(root, "katas/90/_mutants/derivative_keeps_power.patch");
    const text = await Deno.readTextFile(patch);
    await Deno.writeTextFile(patch, text.slice(text.indexOf("diff --git")));
  });
  const bad = failing(report.checks);
  deepEqual(bad.map(([name]) => name), ["layout", "mutant square_abs"]);
  deepEqual(bad[0][1], [
    "katas/90/_mutants/old_form/ is a whole-file mutant (the old form); make it a patch: edit " +
    "solutions/90/, then git diff solutions/90 > katas/90/_mutants/old_form.patch",
    "katas/90/_mutants/derivative_keeps_power.patch has no description: start it with a line " +
    "saying what the planted bug is and which step must fail",
  ]);
  match(
    String(bad[1][1]),
    /^stale mutant katas\/90\/_mutants\/square_abs\.patch: error: patch failed: solutions\/90\/poly\.ts:\d+; error: solutions\/90\/poly\.ts: patch does not apply$/,
  );
});

Deno.test("verify reports stub tests and steps that pass or fail without KataTodo", async () => {
  const report = await verifyCopy(async (root) => {
    await replaceIn(join(root, STUB), 'return todo("90.1", "square(x)");', "return x * x;");
    await replaceIn(
      join(root, STUB),
      'return todo("90.2", "Poly.evaluate(x)");',
      'throw new Error("not yet");',
    );
    await replaceIn(
      join(root, "katas/90/poly_test.ts"),
      'await t.step("of a constant is empty", () => {',
      'await t.step("of a constant is empty", () => {\n    return;',
    );
  });
  deepEqual(failing(report.checks), [[
    "stub",
    [
      '"90.1 square squares negative and fractional numbers" passes on the stub',
      '"90.3 Poly.derivative > of a constant is empty" passes on the stub',
      '"90.2 Poly.evaluate matches the sum of terms" fails without KataTodo: Error: not yet',
      '"90.2 Poly.evaluate refuses NaN" fails without KataTodo: AssertionError: The validation ' +
      'function is expected to return "true". Received false',
    ],
  ]]);
  // The copy is no git checkout: its (edited) working copy is what was verified.
  deepEqual(report.notes, ["not a git checkout: verified the working copy"]);
});

Deno.test("verify names the error of a test file that breaks outside any test", async () => {
  const report = await verifyCopy(async (root) => {
    await Deno.writeTextFile(
      join(root, "katas/90/broken_test.ts"),
      'throw new TypeError("Cannot load: on purpose");\n',
    );
  });
  const [stub] = failing(report.checks);
  deepEqual(stub, [
    "stub",
    ["katas/90/broken_test.ts has an error outside any test: (in promise) TypeError: Cannot load: on purpose"],
  ]);
});

Deno.test("verify reports a solution that fails and exports that differ", async () => {
  const report = await verifyCopy(async (root) => {
    const solution = join(root, SOLUTION);
    const text = await Deno.readTextFile(solution);
    await Deno.writeTextFile(
      solution,
      text.replace("return x * x;", "return x * x + 1;") + "\nexport const EXTRA = 1;\n",
    );
  });
  const bad = failing(report.checks);
  deepEqual(bad.map(([name]) => name), [
    "solution",
    "exports",
    "mutant derivative_keeps_power",
    "mutant square_abs",
  ]);
  match(String(bad[0][1]), /"90.1 square squares negative and fractional numbers" fails: Assert/);
  deepEqual(bad[1][1], ["solutions/90/poly.ts: EXTRA: exported here only"]);
  // The patched solution exports EXTRA too (and fails 90.1 first, like the solution).
  equal(
    bad[2][1].at(-1),
    "katas/90/_mutants/derivative_keeps_power.patch → solutions/90/poly.ts: EXTRA: exported here only",
  );
  match(String(bad[3][1]), /^stale mutant/); // its context changed
});

Deno.test("verify reports layout breaches: one mutant, a step without hints, a bad test name", async () => {
  const report = await verifyCopy(async (root) => {
    await Deno.remove(join(root, "katas/90/_mutants/square_abs.patch"));
    const hints = join(root, "katas/90/hints.md");
    const text = await Deno.readTextFile(hints);
    await Deno.writeTextFile(hints, text.slice(0, text.indexOf("## 90.3")));
    await replaceIn(join(root, "katas/90/poly_test.ts"), '"90.2 Poly.evaluate', '"Poly.evaluate');
  });
  deepEqual(failing(report.checks), [[
    "layout",
    [
      "1 mutant(s); a kata needs 2 or more",
      'test "Poly.evaluate matches the sum of terms" does not start with a step id 90.N',
      'step 90.3 (test "90.3 Poly.derivative") has no 2+ hint levels',
    ],
  ]]);
});

Deno.test("verify reports a solution that passes only while the test files share a worker", async () => {
  const report = await verifyCopy(async (root) => {
    // The second file leans on what the first one left in the worker's global scope.
    const test = (name: string, body: string) =>
      'import { square } from "./poly.ts";\n' +
      `Deno.test("90.1 ${name}", () => {\n  ${body}\n});\n`;
    await Deno.writeTextFile(
      join(root, "katas/90/a_mark_test.ts"),
      test("leaves a mark", "Object.assign(globalThis, { mark: square(3) });"),
    );
    await Deno.writeTextFile(
      join(root, "katas/90/z_mark_test.ts"),
      test(
        "reads the mark",
        'if (square(3) !== Reflect.get(globalThis, "mark")) throw new Error("no mark");',
      ),
    );
  });
  deepEqual(failing(report.checks), [[
    "solution",
    ['with a worker per test file (as deno test runs it): "90.1 reads the mark" fails: Error: no mark'],
  ]]);
});
