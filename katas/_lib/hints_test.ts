import { deepEqual, equal, throws } from "node:assert/strict";
import { hintFor, parseHints } from "./hints.ts";

const FIXTURE = new URL("./testdata/fixture/katas/90/hints.md", import.meta.url);

Deno.test("parseHints reads every step of the fixture with its levels", async () => {
  const steps = parseHints(await Deno.readTextFile(FIXTURE));
  deepEqual(steps.map((s) => [s.step, s.title, s.levels.length]), [
    ["90.1", "square", 2],
    ["90.2", "Poly.evaluate", 3],
    ["90.3", "Poly.derivative", 2],
  ]);
});

Deno.test("parseHints keeps multi-line levels and ignores numbers inside code fences", async () => {
  const [, evaluate] = parseHints(await Deno.readTextFile(FIXTURE));
  equal(
    evaluate.levels[1],
    "Or use Horner's rule, from the highest power down:\n\n```ts\n" +
      "// 1. this line is code, not a hint level\n```",
  );
  equal(evaluate.levels[2].startsWith("Start with `acc = 0`"), true);
});

Deno.test("parseHints ends a step at any level-1 or level-2 heading", () => {
  const md = "## 01.1 a\n1. one\n2. two\n## Notes\n1. not a hint\n## 01.2 b\n1. three\n";
  deepEqual(parseHints(md), [
    { step: "01.1", title: "a", levels: ["one", "two"] },
    { step: "01.2", title: "b", levels: ["three"] },
  ]);
});

Deno.test("parseHints rejects a step that appears twice", () => {
  throws(
    () => parseHints("## 01.1 a\n1. x\n## 01.1 again\n1. y\n"),
    (e) => e instanceof RangeError && e.message === "Cannot parse hints: step 01.1 appears twice",
  );
});

Deno.test("hintFor names the levels that exist and the steps that exist", () => {
  const steps = parseHints("## 01.1 a\n1. x\n2. y\n## 01.2 b\n1. z\n");
  deepEqual(hintFor(steps, "01.1", 2), { text: "y", levels: 2, title: "a" });
  throws(
    () => hintFor(steps, "01.1", 0),
    (e) =>
      e instanceof RangeError &&
      e.message === "Cannot show hint level 0 of step 01.1: it has levels 1 to 2",
  );
  throws(
    () => hintFor(steps, "01.3", 1),
    (e) =>
      e instanceof RangeError &&
      e.message === "Cannot find hints for step 01.3: hints exist for 01.1, 01.2",
  );
});
