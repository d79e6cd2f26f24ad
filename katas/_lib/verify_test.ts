import { fileURLToPath } from "node:url";
import { deepEqual, equal, match, rejects } from "node:assert/strict";
import { join } from "node:path";
import { formatReport, verify } from "./verify.ts";
import { commitAll, copyFixture, gitIn } from "./testdata/copy_fixture.ts";
import { failing, SOLUTION, STUB, verifyCopy } from "./testdata/verify_copy.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));
const VERIFY = fileURLToPath(new URL("./verify.ts", import.meta.url));

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
