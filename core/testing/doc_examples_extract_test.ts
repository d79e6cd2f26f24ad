import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { examplesOf } from "./doc_examples.ts";

const FENCE = "`".repeat(3);

/** A JSDoc comment holding `lines` as an example fenced with `attributes`. */
function jsdoc(attributes: string, lines: string[]): string {
  return ["/**", " * @example", ` * ${FENCE}${attributes}`, ...lines.map((l) => ` * ${l}`)]
    .concat([` * ${FENCE}`, " */", "export const x = 1;", ""]).join("\n");
}

Deno.test("examplesOf: Deno's names and languages; ignore and other languages are skipped", () => {
  const text = jsdoc("ts", ["1;"]) + jsdoc("ts ignore", ["2;"]) + jsdoc("sh", ["ls"]) +
    jsdoc("js", ["3;"]);
  const names = examplesOf("/r/a.ts", text).map((e) => [e.name, e.ext]);
  deepEqual(names, [["file:///r/a.ts#3-6.ts", ".ts"], ["file:///r/a.ts#24-27.js", ".js"]]);
});

Deno.test("examplesOf: the pseudo-module is Deno's: imports, the documented module, a Deno.test", () => {
  const [ex] = examplesOf(
    "/r/sub/a.ts",
    jsdoc("ts", [
      'import { equal } from "node:assert/strict";',
      'import { y } from "../y.ts";',
      "# hidden line",
      "const t = import.meta.url;",
      'const s = "from ./not_an_import.ts";',
      'type T = import("./t.ts").T;',
    ]),
  );
  const [head, ...rest] = ex.source.split("\n");
  ok(head.startsWith("// file:///r/sub/a.ts#3-11.ts: an example in "), head);
  deepEqual(rest, [
    'import { equal } from "node:assert/strict";',
    'import { y } from "file:///r/y.ts";',
    'import "file:///r/sub/a.ts";',
    'Deno.test("file:///r/sub/a.ts#3-11.ts", async () => {',
    "hidden line",
    'const t = "file:///r/sub/a.ts#3-11.ts";',
    'const s = "from ./not_an_import.ts";',
    'type T = import("file:///r/sub/t.ts").T;',
    "",
    "});",
    "",
  ]);
});

Deno.test("examplesOf: markdown blocks as written, HTML comments skipped, no module import", () => {
  const md = [
    "# Title",
    `${FENCE}ts`,
    "  const a = 1;",
    FENCE,
    "<!--",
    `${FENCE}ts`,
    "commented out",
    FENCE,
    "-->",
    `${FENCE}sh`,
    "deno task test",
    FENCE,
    `  ${FENCE}ts`,
    '  import { b } from "./b.ts";',
    FENCE,
  ].join("\n");
  const examples = examplesOf("/r/README.md", md);
  deepEqual(examples.map((e) => e.name), [
    "file:///r/README.md#2-5.ts",
    "file:///r/README.md#13-16.ts",
  ]);
  ok(examples[0].source.includes("\n  const a = 1;\n"));
  ok(!examples[0].source.includes('import "file:///r/README.md"'));
  ok(examples[1].source.includes('  import { b } from "file:///r/b.ts";'));
});

Deno.test("examplesOf: shapes beyond Deno's simple case fail loudly instead of running changed", () => {
  throws(() => examplesOf("/r/a.ts", jsdoc("ts", ["1;", 'import { y } from "./y.ts";'])), {
    name: "SyntaxError",
    message: /an import after other code/,
  });
  throws(() => examplesOf("/r/a.ts", jsdoc("ts", ["export const z = 1;"])), /an export/);
  throws(() => examplesOf("/r/a.ts", jsdoc("ts", ["import.meta.main;"])), /import\.meta other/);
});

Deno.test("examplesOf: an example with its own Deno.test is not wrapped in another", () => {
  const [ex] = examplesOf("/r/a.ts", jsdoc("ts", ['Deno.test("t", () => {});']));
  equal(ex.source.match(/Deno\.test\(/g)?.length, 1);
});
