import { fileURLToPath } from "node:url";
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { join } from "node:path";
import { type Check, formatReport, verify } from "./verify.ts";
import { commitAll, copyFixture, gitIn, writeMutant } from "./testdata/copy_fixture.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));
const VERIFY = fileURLToPath(new URL("./verify.ts", import.meta.url));
const STUB = "katas/90/poly.ts";
const SOLUTION = "solutions/90/poly.ts";

const failing = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]);

/**
 * Copies the fixture, lets `edit` change it, and verifies the copy (without the
 * mutants' `deno check`, which costs a second of CPU and has a test of its own).
 */
async function verifyCopy(edit: (root: string) => Promise<void>, git = false, typeCheck = false) {
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

async function replaceIn(path: string, from: string, to: string) {
  await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace(from, to));
}

Deno.test("verify passes every check of the good fixture", async () => {
  const reports = await verify({ root: ROOT });
  deepEqual(reports.map((r) => [r.id, r.tests]), [["90", 4]]);
  deepEqual(reports[0].checks.map((c) => [c.name, c.ok, c.problems]), [
    ["layout", true, []],
    ["stub", true, []],
    ["solution", true, []],
    ["exports", true, []],
    ["mutant derivative_keeps_power", true, []],
    ["mutant square_abs", true, []],
  ]);
  const text = formatReport(reports);
  match(text, /^\| kata \| tests \| layout \| stub fails w\/ KataTodo \|/);
  match(text, /\| 90 {3}\| 4 {5}\| ok {5}\| ok .*\| 2\/2 .*\| \d+\.\ds +\| \d+\.\ds +\|/);
  equal(text.split("\n").at(-1), "verify: 6 passed, 0 failed");
});

Deno.test("verify checks the committed stub: a solved kata in the working tree stays green", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    await commitAll(root);
    await Deno.copyFile(join(root, SOLUTION), join(root, STUB)); // the learner solved it
    const [report] = await verify({ root, typeCheckMutants: false });
    deepEqual(failing(report.checks), []);
    deepEqual(report.notes, [
      `${STUB} edited since the last commit: verified the committed stub (--working-copy verifies the edits)`,
    ]);
    // Kata authors can still verify their uncommitted stub: here it passes, so it is caught.
    const [edited] = await verify({ root, workingCopy: true, typeCheckMutants: false });
    equal(failing(edited.checks)[0][0], "stub");
  } finally {
    await cleanup();
  }
});

Deno.test("verify uses the working copy for a stub git does not know, and says so", async () => {
  const report = await verifyCopy(async (root) => {
    await gitIn(root, "rm", "-q", "--cached", STUB);
    await gitIn(root, "commit", "-qm", "stub not committed");
  }, true);
  deepEqual(failing(report.checks), []);
  deepEqual(report.notes, [`${STUB} not committed yet: verified the working copy`]);
  // Outside a git checkout: see "verify reports stub tests that pass…" below.
});

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

Deno.test("verify reports a kata without solutions as a layout breach and runs nothing", async () => {
  const report = await verifyCopy(async (root) => {
    await Deno.remove(join(root, "solutions"), { recursive: true });
  });
  deepEqual(failing(report.checks), [
    ["layout", ["solutions/90/poly.ts is missing"]],
    ["stub", ["not run: layout is broken"]],
    ["solution", ["not run: layout is broken"]],
    ["exports", ["not run: layout is broken"]],
  ]);
});

Deno.test("verify rejects an unknown kata id with the list of katas", async () => {
  await rejects(
    verify({ root: ROOT, ids: ["07"] }),
    (e) => e instanceof RangeError && e.message === "Cannot find kata 07: katas are 90",
  );
});

Deno.test("deno task verify exits 1 and prints the summary line on a breach", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    await Deno.writeTextFile(
      join(root, "katas/90/_mutants/derivative_keeps_power.patch"),
      "Mutant: changes nothing.\n",
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", VERIFY, "--root", root, "90"],
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 1);
    match(text, /90 layout: katas\/90\/_mutants\/derivative_keeps_power.patch edits no file/);
    match(text, /notes:\n {2}90: not a git checkout: verified the working copy/);
    equal(text.trim().split("\n").at(-1), "verify: 4 passed, 2 failed");
  } finally {
    await cleanup();
  }
});
