/**
 * The code examples of the repository's JSDoc comments and markdown files, extracted the way
 * `deno test --doc` (Deno 2.9) extracts them, so that `doc_examples_test.ts` can run all of them
 * in one test worker. `deno test --doc` starts one worker per example, and each worker costs Deno
 * about 0.3 s of CPU before the example's first line: about 500 examples made that a third of
 * `deno task test`.
 *
 * An example is a fenced block whose first attribute is a JS/TS language (`ts`, `js`, …) and that
 * is not marked `ignore`: in a `/** … *\/` comment (each line without its leading `* ` and an
 * optional `# `), or in a markdown file (each line as written). Its pseudo-module is Deno's: the
 * block's imports first, then its other lines wrapped in
 * `Deno.test("file:///…/x.ts#L-L.ts", async () => { … })`, named as Deno names it. Where Deno
 * would leave the module in the documented file's folder, this one lives elsewhere, so relative
 * specifiers are made absolute and `import.meta.url` is the URL Deno gives the example. Deno also
 * imports the documented module's exports into each example; here an example imports what it
 * uses (the documented module is still loaded first, as there), and one that leans on the
 * automatic import fails to type-check instead of passing.
 *
 * @module
 */

import { extname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** One example, ready to be written as a module. */
export interface DocExample {
  /** Deno's name for it: `file:///…/x.ts#12-20.ts`. */
  name: string;
  /** The documented file (absolute path). */
  file: string;
  /** The module's source. */
  source: string;
  /** Its extension, from the block's language: `".ts"`, `".js"`, … */
  ext: string;
}

const EXTENSIONS: Record<string, string> = {
  js: ".js",
  javascript: ".js",
  mjs: ".mjs",
  cjs: ".cjs",
  jsx: ".jsx",
  ts: ".ts",
  typescript: ".ts",
  mts: ".mts",
  cts: ".cts",
  tsx: ".tsx",
};

/** A JSDoc line: Deno's `(?:\* ?)((#!+).*)|(?:\* ?)(?:\# ?)?(.*)`, first match in the line. */
const JSDOC_LINE = /(?:\* ?)((#!+).*)|(?:\* ?)(?:# ?)?(.*)/;

/**
 * Extracts the examples of one file.
 *
 * @param file the file's absolute path
 * @param text its contents
 * @returns its examples, in file order
 * @throws {SyntaxError} when an example's shape is beyond this extractor (an import after other
 *   code, an `export`, `import.meta` other than `.url`): run `deno test --doc` on that file
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { examplesOf } from "./doc_examples.ts";
 * const fence = "`".repeat(3);
 * const text = `/**\n * @example\n * ${fence}ts\n * import { x } from "./x.ts";\n * x();\n` +
 *   ` * ${fence}\n *\/\nexport const y = 1;\n`;
 * const [ex] = examplesOf("/r/a.ts", text);
 * equal(ex.name, "file:///r/a.ts#3-7.ts");
 * equal(ex.source.includes('import { x } from "file:///r/x.ts";'), true);
 * ```
 */
export function examplesOf(file: string, text: string): DocExample[] {
  const blocks = extname(file) === ".md" ? markdownBlocks(text) : jsdocBlocks(text);
  const out: DocExample[] = [];
  for (const b of blocks) {
    const attrs = b.attributes.split(" ");
    const ext = EXTENSIONS[attrs[0]];
    if (attrs.includes("ignore") || ext === undefined) continue;
    const name = `${pathToFileURL(file).href}#${b.first}-${b.last}${ext}`;
    out.push({ name, file, ext, source: pseudoModule(name, file, b.lines) });
  }
  return out;
}

interface Block {
  attributes: string;
  lines: string[];
  /** Deno's line range: the fence's line (1-based) and the one after the closing fence. */
  first: number;
  last: number;
}

function jsdocBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const c of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const commentLine = lineOf(text, c.index);
    const comment = "*" + c[1]; // Deno's comment text starts after "/*"
    for (const b of comment.matchAll(/```([^\r\n]*)\r?\n([\s\S]*?)```/g)) {
      const offset = lineOf(comment, b.index);
      const lines = b[2].split("\n").map((l) => l.replace(/\r$/, ""));
      if (lines.at(-1) === "") lines.pop();
      blocks.push({
        attributes: b[1],
        lines: lines.flatMap((l) => {
          const m = l.match(JSDOC_LINE);
          return m ? [m[1] ?? m[3]] : [];
        }),
        first: commentLine + offset + 1,
        last: commentLine + offset + b[0].split("\n").length + 1,
      });
    }
  }
  return blocks;
}

function markdownBlocks(text: string): Block[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const blocks: Block[] = [];
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimStart();
    if (inComment || line.startsWith("<!--")) {
      inComment = !lines[i].includes("-->");
      continue;
    }
    const open = line.match(/^(`{3,})(.*)$/);
    if (!open) continue;
    if (line.startsWith(">")) throw new SyntaxError(`a fenced block in a quote: line ${i + 1}`);
    const close = lines.findIndex((l, j) =>
      j > i && l.trimStart().startsWith(open[1]) && /^`+[ \t]*$/.test(l.trimStart())
    );
    if (close < 0) continue;
    blocks.push({
      attributes: open[2],
      lines: lines.slice(i + 1, close),
      first: i + 1,
      last: close + 2,
    });
    i = close;
  }
  return blocks;
}

function lineOf(text: string, index: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Deno's pseudo-module for an example's lines: imports, then the rest in a `Deno.test`. */
function pseudoModule(name: string, file: string, lines: string[]): string {
  const fail = (why: string) => new SyntaxError(`${name}: ${why}; run deno test --doc on it`);
  if (lines[0]?.startsWith("#!")) throw fail("a shebang line");
  const imports: string[] = [], body: string[] = [];
  let inImport = false;
  for (const line of lines) {
    const isImport = /^\s*import[\s{*"']/.test(line) && !/^\s*import\s*\(/.test(line);
    if (inImport || (isImport && body.every(isBlank))) {
      imports.push(line);
      inImport = !/(^|\s|})(from\s*)?["'][^"']+["'](\s+with\s*{[^}]*})?;?\s*$/.test(line);
    } else if (isImport) {
      throw fail(`an import after other code ("${line.trim()}")`);
    } else if (/^\s*export\s/.test(line)) {
      throw fail(`an export ("${line.trim()}")`);
    } else body.push(line);
  }
  const base = pathToFileURL(file).href;
  // Import declarations: their specifiers; other code: only `import("./…")` (a type or a dynamic
  // import), never a string that merely looks like an import.
  const absolute = (text: string, pattern: RegExp) =>
    text.replace(pattern, (_, head, _q, spec) => head + JSON.stringify(new URL(spec, base).href));
  const code = absolute(body.join("\n"), /(\bimport\s*\(\s*)(["'])(\.\.?\/[^"']*)\2/g).replace(
    /\bimport\.meta(\.url)?\b/g,
    (m) => {
      if (m !== "import.meta.url") throw fail("import.meta other than import.meta.url");
      return JSON.stringify(name);
    },
  );
  const wrap = !/^\s*Deno\.test\(/m.test(code);
  return [
    `// ${name}: an example in ${relative(resolve("."), file)}`,
    ...absolute(imports.join("\n"), /(\bfrom\s*|^\s*import\s+)(["'])(\.\.?\/[^"']*)\2/gm)
      .split("\n").filter((l) => l !== ""),
    // Deno imports the documented module into every example (its exports, by name).
    ...(extname(file) === ".md" ? [] : [`import ${JSON.stringify(base)};`]),
    ...(wrap ? [`Deno.test(${JSON.stringify(name)}, async () => {`, code, "});"] : [code]),
    "",
  ].join("\n");
}

function isBlank(line: string): boolean {
  return line.trim() === "" || line.trim().startsWith("//");
}

/**
 * The files `deno test --doc` reads examples from: the `test.include` folders and files of a
 * `deno.json`, less its `test.exclude`, every `.ts`, `.tsx`, `.js`, `.jsx`, `.mjs`, `.mts`,
 * `.cts`, `.cjs` and `.md` file under them.
 *
 * @param config the deno.json path
 * @returns absolute paths, sorted
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { docFiles } from "./doc_examples.ts";
 * const files = await docFiles(new URL("../../deno.json", import.meta.url).pathname);
 * equal(files.some((f) => f.endsWith("/core/testing/doc_examples.ts")), true);
 * ```
 */
export async function docFiles(config: string): Promise<string[]> {
  const root = resolve(config, "..");
  const test = JSON.parse(await Deno.readTextFile(config)).test ?? {};
  const exclude = (test.exclude ?? []).map((p: string) => resolve(root, p));
  const excluded = (p: string) => exclude.some((x: string) => p === x || p.startsWith(x + "/"));
  const files: string[] = [];
  const visit = async (path: string) => {
    if (excluded(path)) return;
    const info = await Deno.stat(path);
    if (info.isFile) {
      if (/\.(m|c)?(t|j)sx?$|\.md$/.test(path)) files.push(path);
      return;
    }
    for await (const e of Deno.readDir(path)) {
      if (!e.name.startsWith(".") && e.name !== "node_modules") await visit(join(path, e.name));
    }
  };
  for (const p of test.include ?? ["."]) await visit(resolve(root, p));
  return [...new Set(files)].sort();
}

/**
 * Writes examples as modules under `dir`, one per example, at the documented file's path
 * relative to `root` plus its line range (`core/errors.ts` lines 43–48 → `core/errors-43-48.ts`).
 * A module whose text is unchanged is left alone, so Deno's type-check cache still knows it, and
 * modules of examples that no longer exist are deleted.
 *
 * @param examples the examples
 * @param root the folder their file names are taken relative to
 * @param dir the folder to write into (created as needed)
 * @returns the module paths, in the order of `examples`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { writeExamples } from "./doc_examples.ts";
 * const dir = await Deno.makeTempDir();
 * const ex = { name: "file:///r/a.ts#3-7.ts", file: "/r/a.ts", ext: ".ts", source: "1;\n" };
 * const [path] = await writeExamples([ex], "/r", dir);
 * equal(path, `${dir}/a-3-7.ts`);
 * equal(await Deno.readTextFile(path), "1;\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeExamples(
  examples: readonly DocExample[],
  root: string,
  dir: string,
): Promise<string[]> {
  const paths = examples.map((e) => {
    const rel = relative(root, e.file);
    const lines = e.name.slice(e.name.lastIndexOf("#") + 1, -e.ext.length);
    return join(dir, `${rel.slice(0, -extname(rel).length)}-${lines}${e.ext}`);
  });
  const wanted = new Set(paths);
  const walk = async (d: string): Promise<void> => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (!wanted.has(p) && !p.endsWith(".tmp")) await Deno.remove(p);
    }
  };
  await Deno.mkdir(dir, { recursive: true });
  await walk(dir);
  await Promise.all(examples.map(async (e, i) => {
    if ((await Deno.readTextFile(paths[i]).catch(() => null)) === e.source) return;
    await Deno.mkdir(join(paths[i], ".."), { recursive: true });
    // Written aside, then renamed: a run beside this one never reads half a module.
    const tmp = `${paths[i]}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(tmp, e.source);
    await Deno.rename(tmp, paths[i]);
  }));
  return paths;
}
