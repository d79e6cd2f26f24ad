import { deepEqual, equal } from "node:assert/strict";
import { isStepSummary, parseJunit } from "./junit.ts";

// Trimmed from a real `deno test --junit-path` report of Deno 2.9.6.
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="4" failures="2" errors="0" time="0.008">
    <testsuite name="./b_test.ts" tests="4" disabled="0" errors="0" failures="2">
        <testcase name="01.1 a &amp; &lt;b&gt;" classname="./b_test.ts" time="0.001" line="2" col="6">
            <failure message="Uncaught KataTodo: Kata step 01.1 is not done yet: x.
  edit: foo">KataTodo: Kata step 01.1 is not done yet: x.
  edit: foo
    at file:///tmp/b_test.ts:2:35</failure>
        </testcase>
        <testcase name="01.3 c" classname="./b_test.ts" time="0.001" line="4" col="6">
            <failure message="1 test step failed">1 test step failed.</failure>
        </testcase>
        <testcase name="01.4 d" classname="./b_test.ts" time="0.000" line="5" col="6">
        </testcase>
        <testcase name="01.3 c &gt; inner" classname="./b_test.ts" time="0.001" line="4" col="44">
            <failure message="Uncaught Error: &quot;late&quot;">Error: &quot;late&quot;</failure>
        </testcase>
    </testsuite>
</testsuites>`;

Deno.test("parseJunit reads names, files, failures and unescapes entities", () => {
  const { cases, files } = parseJunit(XML);
  deepEqual(files, ["./b_test.ts"]);
  deepEqual(cases.map((c) => [c.name, c.failed, c.parent]), [
    ["01.1 a & <b>", true, undefined],
    ["01.3 c", true, undefined],
    ["01.4 d", false, undefined],
    ["01.3 c > inner", true, "01.3 c"],
  ]);
  equal(cases[0].message, "Uncaught KataTodo: Kata step 01.1 is not done yet: x.\n  edit: foo");
  equal(cases[0].detail.endsWith("at file:///tmp/b_test.ts:2:35"), true);
  equal(cases[3].message, 'Uncaught Error: "late"');
  equal(cases[2].message, "");
});

Deno.test("isStepSummary tells a parent's step summary from a real failure", () => {
  const { cases } = parseJunit(XML);
  deepEqual(cases.map(isStepSummary), [false, true, false, false]);
});

Deno.test("parseJunit of an empty report has no cases", () => {
  deepEqual(parseJunit(""), { cases: [], files: [] });
});

Deno.test("parseJunit marks an ignored test (<skipped/>) as ignored, not failed", () => {
  const xml = `<testsuite name="./a_test.ts" tests="2" disabled="1">
        <testcase name="13.1 x" classname="./a_test.ts" time="0.000" line="2" col="6">
            <skipped/>
        </testcase>
        <testcase name="13.2 y" classname="./a_test.ts" time="0.001" line="3" col="6">
        </testcase>
    </testsuite>`;
  deepEqual(parseJunit(xml).cases.map((c) => [c.name, c.failed, c.ignored ?? false]), [
    ["13.1 x", false, true],
    ["13.2 y", false, false],
  ]);
});
