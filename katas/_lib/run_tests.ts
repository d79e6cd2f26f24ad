/**
 * Runs `deno test` in a subprocess and reads its JUnit report; optionally with
 * some files swapped for others through a generated import map.
 *
 * Swapping works like this: `--import-map` replaces the configuration file's
 * `"imports"` (Deno 2.9.6 does not merge them), so the generated map holds the
 * config's `"imports"` and `"scopes"` (relative targets made absolute) plus one
 * entry per swapped file, `file:///…/katas/01/value.ts` → `file:///…/solutions/01/value.ts`
 * (config aliases that point at a swapped file are redirected too).
 * Every import that resolves to the stub's URL, from tests or from other files,
 * then loads the replacement.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isStepSummary, parseJunit, type TestCase } from "./junit.ts";

/** How to run. */
export interface RunOptions {
  /** The repository root: the working directory of `deno test`. */
  root: string;
  /** The test files (absolute paths). */
  files: readonly string[];
  /** Absolute path → absolute path of the file to load in its place. */
  replace?: ReadonlyMap<string, string>;
  /** Kill the run after this many milliseconds (default 300 000). */
  timeoutMs?: number;
  /** Stop at the first failure (`--fail-fast`); later tests are reported as not failed. */
  failFast?: boolean;
  /** Type-check first (default false: `--no-check`). */
  check?: boolean;
  /**
   * The config file: a path, `null` for `--no-config`, or `undefined` for
   * `root/deno.json` when it exists (else `--no-config`).
   */
  config?: string | null;
}

/** What a run produced. */
export interface TestRun {
  /** The exit code of `deno test`. */
  code: number;
  /** Whether it was killed for running past `timeoutMs`. */
  timedOut: boolean;
  /** Every test and step, in report order. */
  cases: TestCase[];
  /** Test files that reported no tests (they failed to load, or hold none). */
  silentFiles: string[];
  /** Test files with an error outside any test (`"./x_test.ts (uncaught error)"`). */
  uncaughtFiles: string[];
  /** stdout and stderr, without colours. */
  output: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/**
 * Runs the given test files in a `deno test` subprocess.
 *
 * @param opts what to run and how
 * @returns the parsed outcome
 * @throws {Deno.errors.NotFound} when `deno` cannot be started
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fileURLToPath } from "node:url";
 * import { runTests, topLevel } from "./run_tests.ts";
 * const root = fileURLToPath(new URL("./testdata/fixture", import.meta.url));
 * const files = [`${root}/katas/90/poly_test.ts`];
 * const stub = await runTests({ root, files });
 * equal(topLevel(stub).every((t) => t.failed), true);
 * const replace = new Map([[`${root}/katas/90/poly.ts`, `${root}/solutions/90/poly.ts`]]);
 * equal((await runTests({ root, files, replace })).code, 0);
 * ```
 */
export async function runTests(opts: RunOptions): Promise<TestRun> {
  const t0 = performance.now();
  const tmp = await Deno.makeTempDir({ prefix: "katagrad_run_" });
  try {
    const junitPath = join(tmp, "report.xml");
    const args = ["test", "-A", "--reporter=dot", `--junit-path=${junitPath}`];
    if (!opts.check) args.push("--no-check");
    if (opts.failFast) args.push("--fail-fast");
    const config = opts.config === undefined ? await defaultConfig(opts.root) : opts.config;
    args.push(config === null ? "--no-config" : `--config=${config}`);
    if (opts.replace && opts.replace.size > 0) {
      const map = await importMapWith(config, opts.replace);
      const mapPath = join(tmp, "import_map.json");
      await Deno.writeTextFile(mapPath, JSON.stringify(map, null, 2));
      args.push(`--import-map=${mapPath}`);
    }
    args.push(...opts.files.map((f) => relative(opts.root, f)));
    const abort = new AbortController();
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: opts.root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: abort.signal,
    }).output().finally(() => clearTimeout(timer));
    const output = stripAnsi(
      new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
    );
    let xml = "";
    try {
      xml = await Deno.readTextFile(junitPath);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const report = parseJunit(xml);
    const reported = new Set(report.files.map((f) => f.replace(/^\.\//, "")));
    const silentFiles = opts.files
      .map((f) => relative(opts.root, f))
      .filter((f) => !reported.has(f));
    const uncaughtFiles = [...output.matchAll(/^(\S+) \(uncaught error\)$/gm)]
      .map((m) => m[1].replace(/^\.\//, ""));
    return {
      code: out.code,
      timedOut: abort.signal.aborted,
      cases: report.cases,
      silentFiles,
      uncaughtFiles: [...new Set(uncaughtFiles)],
      output,
      ms: performance.now() - t0,
    };
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/**
 * Builds an import map: the config's `"imports"` and `"scopes"` with relative
 * targets resolved against the config's folder, plus one entry per replaced file;
 * aliases whose target is a replaced file point at its replacement.
 *
 * @param config the config file path, or `null` for none
 * @param replace absolute path → absolute path of its replacement
 * @returns the import map object
 * @throws {SyntaxError} when the config is not JSON
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { importMapWith } from "./run_tests.ts";
 * const map = await importMapWith(null, new Map([["/r/katas/01/a.ts", "/r/solutions/01/a.ts"]]));
 * deepEqual(map.imports, { "file:///r/katas/01/a.ts": "file:///r/solutions/01/a.ts" });
 * ```
 */
export async function importMapWith(
  config: string | null,
  replace: ReadonlyMap<string, string>,
): Promise<{ imports: Record<string, string>; scopes: Record<string, Record<string, string>> }> {
  const imports: Record<string, string> = {};
  const scopes: Record<string, Record<string, string>> = {};
  if (config !== null) {
    let json = JSON.parse(stripJsonComments(await Deno.readTextFile(config)));
    let base = pathToFileURL(dirname(config)).href + "/";
    if (typeof json.importMap === "string") {
      const mapUrl = new URL(json.importMap, base);
      json = JSON.parse(await Deno.readTextFile(mapUrl));
      base = mapUrl.href;
    }
    for (const [k, v] of Object.entries(json.imports ?? {})) {
      imports[absKey(k, base)] = absTarget(String(v), base);
    }
    for (const [scope, entries] of Object.entries(json.scopes ?? {})) {
      const s: Record<string, string> = {};
      for (const [k, v] of Object.entries(entries as Record<string, string>)) {
        s[absKey(k, base)] = absTarget(String(v), base);
      }
      scopes[absKey(scope, base)] = s;
    }
  }
  const swaps = new Map(
    [...replace].map(([f, t]) => [pathToFileURL(f).href, pathToFileURL(t).href]),
  );
  // Import maps do not chain: an alias whose target is a swapped file must point at the swap.
  for (const table of [imports, ...Object.values(scopes)]) {
    for (const [k, v] of Object.entries(table)) table[k] = swaps.get(v) ?? v;
  }
  for (const [from, to] of swaps) imports[from] = to;
  return { imports, scopes };
}

/**
 * Whether a failing test case failed because of a `todo()` stub: its message
 * carries a KataTodo's text, thrown directly or quoted by an assertion.
 *
 * @param c a test case
 * @returns true when its error is a `KataTodo`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isKataTodo } from "./run_tests.ts";
 * const c = { name: "01.1 a", file: "f", failed: true, message: "Uncaught KataTodo: Kata step 01.1 is not done yet: x.", detail: "" };
 * equal(isKataTodo(c), true);
 * equal(isKataTodo({ ...c, message: "Uncaught AssertionError: 1 !== 2" }), false);
 * const quoted = 'AssertionError: expected an instance of "RangeError". Received "KataTodo"\n\n' +
 *   "Error message:\n\nKata step 01.2 is not done yet: Value.mul.\n  edit:  katas/01/value.ts";
 * equal(isKataTodo({ ...c, message: quoted }), true);
 * ```
 */
export function isKataTodo(c: TestCase): boolean {
  return c.failed && KATA_TODO.test(c.message);
}

/**
 * Matches the message of a `KataTodo` (see todo.ts), also where an assertion
 * quotes it: `throws(() => stub(), RangeError)` fails with an AssertionError
 * whose message carries the KataTodo's. Groups: step id, what to implement.
 */
export const KATA_TODO = /Kata step (\d\d\.\d+) is not done yet: (.*?)\.(?=\\n|\n|'|$)/;

/**
 * The failures that carry an error of their own: failing tests and steps, but
 * not the "N test steps failed" summaries of their parents.
 *
 * @param run a test run
 * @returns the failing cases, in report order
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { realFailures } from "./run_tests.ts";
 * const run = {
 *   code: 1, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1,
 *   cases: [
 *     { name: "01.1 t", file: "f", failed: true, message: "1 test step failed", detail: "" },
 *     { name: "01.1 t > s", file: "f", failed: true, message: "Uncaught Error: x", detail: "", parent: "01.1 t" },
 *   ],
 * };
 * deepEqual(realFailures(run).map((c) => c.name), ["01.1 t > s"]);
 * ```
 */
export function realFailures(run: TestRun): TestCase[] {
  return run.cases.filter((c) => c.failed && !isStepSummary(c));
}

/**
 * The top-level tests of a run (steps excluded).
 *
 * @param run a test run
 * @returns the tests, in report order
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { topLevel } from "./run_tests.ts";
 * const run = {
 *   code: 1, timedOut: false, silentFiles: [], uncaughtFiles: [], output: "", ms: 1,
 *   cases: [
 *     { name: "01.1 t", file: "f", failed: true, message: "1 test step failed", detail: "" },
 *     { name: "01.1 t > s", file: "f", failed: true, message: "Uncaught Error: x", detail: "", parent: "01.1 t" },
 *   ],
 * };
 * deepEqual(topLevel(run).map((c) => c.name), ["01.1 t"]);
 * ```
 */
export function topLevel(run: TestRun): TestCase[] {
  return run.cases.filter((c) => c.parent === undefined);
}

/**
 * The config a run uses when none is named: `root/deno.json` or `root/deno.jsonc`.
 *
 * @param root the repository root
 * @returns its path, or `null` when there is none
 * @throws {Deno.errors.PermissionDenied} without read permission
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fileURLToPath } from "node:url";
 * import { defaultConfig } from "./run_tests.ts";
 * equal(await defaultConfig(fileURLToPath(new URL("./testdata/fixture", import.meta.url))), null);
 * ```
 */
export async function defaultConfig(root: string): Promise<string | null> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    try {
      const p = join(root, name);
      if ((await Deno.stat(p)).isFile) return p;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return null;
}

function absKey(k: string, base: string): string {
  return /^\.{0,2}\//.test(k) ? new URL(k, base).href : k;
}

function absTarget(v: string, base: string): string {
  return /^\.{0,2}\//.test(v) ? new URL(v, base).href : v;
}

function stripJsonComments(s: string): string {
  return s.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? "");
}

function stripAnsi(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
