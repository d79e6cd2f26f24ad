import { fileURLToPath } from "node:url";
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { join } from "node:path";
import { type Check, formatReport, verify } from "./verify.ts";
import { copyFixture } from "./testdata/copy_fixture.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));
const VERIFY = fileURLToPath(new URL("./verify.ts", import.meta.url));

const failing = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => [c.name, c.problems]);

/** Copies the fixture, lets `edit` break it, and verifies the copy. */
async function verifyBroken(edit: (root: string) => Promise<void>) {
  const { root, cleanup } = await copyFixture();
  try {
    await edit(root);
    const [report] = await verify({ root });
    return report;
  } finally {
    await cleanup();
  }
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
  match(text, /\| 90 {3}\| 4 {5}\| ok {5}\| ok .*\| 2\/2 /);
  equal(text.split("\n").at(-1), "verify: 6 passed, 0 failed");
});

Deno.test("verify reports a mutant that survives", async () => {
  const report = await verifyBroken(async (root) => {
    await Deno.copyFile(
      join(root, "solutions/90/poly.ts"),
      join(root, "katas/90/_mutants/square_abs/poly.ts"),
    );
  });
  deepEqual(failing(report.checks), [["mutant square_abs", ["survives: every test passes"]]]);
  equal(formatReport([report]).split("\n").at(-1), "verify: 5 passed, 1 failed");
});

Deno.test("verify reports stub tests that pass or fail without KataTodo", async () => {
  const report = await verifyBroken(async (root) => {
    const stub = join(root, "katas/90/poly.ts");
    const text = await Deno.readTextFile(stub);
    await Deno.writeTextFile(
      stub,
      text.replace('return todo("90.1", "square(x)");', "return x * x;")
        .replace('return todo("90.2", "Poly.evaluate(x)");', 'throw new Error("not yet");'),
    );
  });
  deepEqual(failing(report.checks), [[
    "stub",
    [
      '"90.1 square squares negative and fractional numbers" passes on the stub',
      '"90.2 Poly.evaluate matches the sum of terms" fails without KataTodo: Error: not yet',
      '"90.2 Poly.evaluate refuses NaN" fails without KataTodo: AssertionError: The validation ' +
      'function is expected to return "true". Received false',
    ],
  ]]);
});

Deno.test("verify reports a test step that passes on the stub", async () => {
  const report = await verifyBroken(async (root) => {
    const test = join(root, "katas/90/poly_test.ts");
    await Deno.writeTextFile(
      test,
      (await Deno.readTextFile(test)).replace(
        'await t.step("of a constant is empty", () => {',
        'await t.step("of a constant is empty", () => {\n    return;',
      ),
    );
  });
  deepEqual(failing(report.checks), [[
    "stub",
    ['"90.3 Poly.derivative > of a constant is empty" passes on the stub'],
  ]]);
});

Deno.test("verify names the error of a test file that breaks outside any test", async () => {
  const report = await verifyBroken(async (root) => {
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
  const report = await verifyBroken(async (root) => {
    const solution = join(root, "solutions/90/poly.ts");
    const text = await Deno.readTextFile(solution);
    await Deno.writeTextFile(
      solution,
      text.replace("return x * x;", "return x * x + 1;") + "\nexport const EXTRA = 1;\n",
    );
  });
  const bad = failing(report.checks);
  deepEqual(bad.map(([name]) => name), ["solution", "exports"]);
  match(String(bad[0][1]), /"90.1 square squares negative and fractional numbers" fails: Assert/);
  deepEqual(bad[1][1], ["solutions/90/poly.ts: EXTRA: exported here only"]);
});

Deno.test("verify reports layout breaches: one mutant, a step without hints, a bad test name", async () => {
  const report = await verifyBroken(async (root) => {
    await Deno.remove(join(root, "katas/90/_mutants/square_abs"), { recursive: true });
    const hints = join(root, "katas/90/hints.md");
    const text = await Deno.readTextFile(hints);
    await Deno.writeTextFile(hints, text.slice(0, text.indexOf("## 90.3")));
    const test = join(root, "katas/90/poly_test.ts");
    await Deno.writeTextFile(
      test,
      (await Deno.readTextFile(test)).replace('"90.2 Poly.evaluate', '"Poly.evaluate'),
    );
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

Deno.test("verify rejects an unknown kata id with the list of katas", async () => {
  await rejects(
    verify({ root: ROOT, ids: ["07"] }),
    (e) => e instanceof RangeError && e.message === "Cannot find kata 07: katas are 90",
  );
});

Deno.test("deno task verify exits 1 and prints the summary line on a breach", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    await Deno.copyFile(
      join(root, "solutions/90/poly.ts"),
      join(root, "katas/90/_mutants/derivative_keeps_power/poly.ts"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", VERIFY, "--root", root, "90"],
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 1);
    match(text, /90 mutant derivative_keeps_power: survives: every test passes/);
    equal(text.trim().split("\n").at(-1), "verify: 5 passed, 1 failed");
  } finally {
    await cleanup();
  }
});
