/**
 * Every code example of the repository's JSDoc comments and markdown files, run in this one test
 * worker (see doc_examples.ts for why and how): `deno test -A --parallel` runs them beside the
 * test files, as `deno test --doc` would, at a fraction of its cost. Each example is a test named
 * as Deno names it, type-checked first; an example that cannot be extracted, type-checked or
 * loaded is a failing test that says why.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type DocExample, docFiles, examplesOf, writeExamples } from "./doc_examples.ts";

const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
const root = join(config, "..");

const examples: DocExample[] = [];
for (const file of await docFiles(config)) {
  try {
    examples.push(...examplesOf(file, await Deno.readTextFile(file)));
  } catch (e) {
    Deno.test(`doc examples of ${file} can be extracted`, () => {
      throw e;
    });
  }
}

// A folder of its own per checkout, the same from run to run: Deno's type-check cache remembers
// the modules, so an unchanged example is not checked again.
const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(root)));
const dir = join(tmpdir(), "katagrad_doc_examples", [...hash.slice(0, 6)].map(hex).join(""));
const paths = await writeExamples(examples, root, dir);

const check = await new Deno.Command(Deno.execPath(), {
  args: ["check", "--quiet", `--config=${config}`, ...paths],
  env: { NO_COLOR: "1" },
  stdout: "piped",
  stderr: "piped",
}).output();
Deno.test("doc examples type-check (as deno test --doc checks them)", () => {
  if (!check.success) throw new Error(new TextDecoder().decode(check.stderr));
});

for (const [i, path] of paths.entries()) {
  try {
    await import(pathToFileURL(path).href); // registers the example's Deno.test
  } catch (e) {
    Deno.test(examples[i].name, () => {
      throw e;
    });
  }
}

Deno.test("doc examples: every file that deno test --doc reads gave its examples", () => {
  equal(examples.length > 400, true, `only ${examples.length} examples found`);
  equal(new Set(examples.map((e) => e.name)).size, examples.length);
});

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}
