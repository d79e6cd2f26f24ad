import { fileURLToPath } from "node:url";
import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { findKata, findKatas, findStep, stepOfTest } from "./kata_index.ts";
import { copyFixture } from "./testdata/copy_fixture.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));

Deno.test("findKatas describes the fixture kata from its files", async () => {
  const [kata, ...more] = await findKatas(ROOT);
  equal(more.length, 0);
  equal(kata.id, "90");
  equal(kata.title, "Polynomials");
  equal(kata.lecture, "polynomial demo");
  deepEqual(kata.stubFiles, ["poly.ts"]);
  deepEqual(kata.testFiles, ["poly_test.ts"]);
  deepEqual(kata.benchFiles, ["poly_bench.ts"]);
  deepEqual(kata.mutants.map((m) => [m.name, m.files, m.step]), [
    ["derivative_keeps_power", ["solutions/90/poly.ts"], "90.3"],
    ["square_abs", ["solutions/90/poly.ts"], "90.1"],
  ]);
  equal(kata.mutants[1].path, join(ROOT, "katas/90/_mutants/square_abs.patch"));
  equal(kata.mutants[1].description, "Mutant: square keeps the sign, x·|x| (90.1 must fail).");
  deepEqual(kata.strayMutants, []);
  equal(kata.solutionDir, join(ROOT, "solutions/90"));
  equal(kata.hasHints && kata.hasReadme, true);
});

Deno.test("findKatas drops a leading 'Kata NN —' from the README title", async () => {
  const { root, cleanup } = await copyFixture();
  try {
    await Deno.writeTextFile(join(root, "katas/90/README.md"), "# Kata 90 — Polynomials\n");
    equal((await findKatas(root))[0].title, "Polynomials");
    await Deno.writeTextFile(join(root, "katas/90/README.md"), "no heading\n");
    equal((await findKatas(root))[0].title, "Kata 90");
  } finally {
    await cleanup();
  }
});

Deno.test("findKatas returns nothing for a root without katas", async () => {
  deepEqual(await findKatas(join(ROOT, "katas", "90")), []);
});

Deno.test("findKata accepts 90 and lists the katas when the id is unknown", async () => {
  const katas = await findKatas(ROOT);
  equal(findKata(katas, "90").id, "90");
  throws(
    () => findKata(katas, "7"),
    (e) => e instanceof RangeError && e.message === "Cannot find kata 07: katas are 90",
  );
  throws(
    () => findKata([], "01"),
    (e) => e instanceof RangeError && e.message === "Cannot find kata 01: no katas exist",
  );
});

Deno.test("findStep finds a step and lists the kata's steps when it is unknown", async () => {
  const katas = await findKatas(ROOT);
  const { kata, hints } = await findStep(katas, "90.2");
  equal(kata.id, "90");
  equal(hints.title, "Poly.evaluate");
  await rejects(
    findStep(katas, "90.9"),
    (e) =>
      e instanceof RangeError &&
      e.message === "Cannot find step 90.9: steps of kata 90 are 90.1, 90.2, 90.3",
  );
  await rejects(
    findStep(katas, "07.1"),
    (e) => e instanceof RangeError && e.message === "Cannot find kata 07: katas are 90",
  );
  await rejects(
    findStep(katas, "tanh"),
    (e) =>
      e instanceof RangeError && e.message === "Cannot find step tanh: a step id looks like 01.3",
  );
});

Deno.test("stepOfTest reads the step id a test name starts with", () => {
  equal(stepOfTest("01.3 tanh"), "01.3");
  equal(stepOfTest("01.12"), "01.12");
  equal(stepOfTest("01.3tanh"), undefined);
  equal(stepOfTest("tanh 01.3"), undefined);
});
