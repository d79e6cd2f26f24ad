/**
 * Runs `deno test` in a subprocess and reads its JUnit report; optionally with
 * some files swapped for others through a generated import map (see
 * import_map.ts). The streamed report names the test that was running when a
 * run outlives its time limit (see test_progress.ts).
 *
 * @module
 */

import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isStepSummary, parseJunit, type TestCase } from "./junit.ts";
import { writeImportMap } from "./import_map.ts";
import { type RunningTest, runningTest } from "./test_progress.ts";

/** How to run. */
export interface RunOptions {
  /** The repository root: the working directory of `deno test`. */
  root: string;
  /** The test files (absolute paths). */
  files: readonly string[];
  /** Absolute path → absolute path of the file to load in its place. */
  replace?: ReadonlyMap<string, string>;
  /** Folders that mirror the file system for the files they hold (see import_map.ts). */
  overlays?: readonly string[];
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
  /** Called every `stillRunningMs` while the run goes on, with the test running then. */
  onStillRunning?: (running: RunningTest | undefined, ms: number) => void;
  /** How often to call `onStillRunning` (default 30 000 ms). */
  stillRunningMs?: number;
  /** Variables added to the environment `deno test` inherits. */
  env?: Record<string, string>;
  /**
   * Load every test file into one worker, through a generated module that imports them in the
   * given order (default false: one worker per file, as `deno test` runs them). Each worker costs
   * Deno about 0.3 s before the first test, and the library loads once instead of once per file.
   * The report is the same (JUnit names each test's own file); a run with an error outside any
   * test is run again one worker per file, so that error is pinned to its file and the other
   * files still run.
   */
  oneWorker?: boolean;
}

/** What a run produced. */
export interface TestRun {
  /** The exit code of `deno test`. */
  code: number;
  /** Whether it was killed for running past `timeoutMs`. */
  timedOut: boolean;
  /** With `timedOut`: the test that was running when it was killed, when one was. */
  running?: RunningTest;
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
  if (!opts.oneWorker || opts.files.length < 2) return await runOnce(opts, false);
  const t0 = performance.now();
  const run = await runOnce(opts, true);
  // An uncaught error stops the shared worker (later files never run), and a file that fails
  // to load stops them all: run file by file as Deno would, so the report says which file.
  const broken = run.uncaughtFiles.length > 0 || (run.cases.length === 0 && run.code !== 0);
  if (!broken || run.timedOut) return run;
  return { ...await runOnce(opts, false), ms: performance.now() - t0 };
}

async function runOnce(opts: RunOptions, oneWorker: boolean): Promise<TestRun> {
  const t0 = performance.now();
  const tmp = await Deno.makeTempDir({ prefix: "katagrad_run_" });
  try {
    const junitPath = join(tmp, "report.xml");
    // The default (pretty) reporter writes "name ..." as each test starts: see test_progress.ts.
    const args = ["test", "-A", `--junit-path=${junitPath}`];
    if (!opts.check) args.push("--no-check");
    if (opts.failFast) args.push("--fail-fast");
    const config = opts.config === undefined ? await defaultConfig(opts.root) : opts.config;
    args.push(config === null ? "--no-config" : `--config=${config}`);
    if (opts.replace?.size || opts.overlays?.length) {
      const mapPath = join(tmp, "import_map.json");
      await writeImportMap(mapPath, config, { replace: opts.replace, overlays: opts.overlays });
      args.push(`--import-map=${mapPath}`);
    }
    if (oneWorker) {
      const entry = join(tmp, "one_worker_test.ts");
      const lines = opts.files.map((f) => `import ${JSON.stringify(pathToFileURL(f).href)};\n`);
      await Deno.writeTextFile(entry, lines.join(""));
      args.push(entry);
    } else args.push(...opts.files.map((f) => relative(opts.root, f)));
    const { code, stdout, stderr, timedOut } = await spawnStreaming(args, opts);
    const output = stripAnsi(stdout + stderr);
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
    let running = timedOut ? runningTest(stripAnsi(stdout)) : undefined;
    // One worker: Deno says "running N tests from <the generated module>"; name the real file.
    if (running && oneWorker) running = { ...running, file: await fileOfTest(running, opts) };
    return {
      code,
      timedOut,
      ...(running ? { running } : {}),
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

/** The test file (`./…`, as Deno names it) whose source holds the running test's name. */
async function fileOfTest(running: RunningTest, opts: RunOptions): Promise<string> {
  const name = running.name.split(" > ")[0];
  const named = (f: string) => `./${relative(opts.root, f)}`;
  const holding: string[] = [];
  for (const f of opts.files) {
    if ((await Deno.readTextFile(f).catch(() => "")).includes(name)) holding.push(named(f));
  }
  return holding.length === 1 ? holding[0] : `one of ${opts.files.map(named).join(", ")}`;
}

/** Runs deno with `args`, reading its output as it comes; kills it after `timeoutMs`. */
async function spawnStreaming(args: string[], opts: RunOptions) {
  const t0 = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs ?? 300_000);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: opts.root,
    env: { ...opts.env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: abort.signal,
  }).spawn();
  const text = { stdout: "", stderr: "" };
  const read = async (stream: ReadableStream<Uint8Array>, key: "stdout" | "stderr") => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text[key] += decoder.decode(chunk, { stream: true });
    text[key] += decoder.decode();
  };
  const notify = opts.onStillRunning;
  const ticker = notify === undefined ? undefined : setInterval(
    () => notify(runningTest(stripAnsi(text.stdout)), performance.now() - t0),
    opts.stillRunningMs ?? 30_000,
  );
  try {
    const [status] = await Promise.all([
      child.status,
      read(child.stdout, "stdout"),
      read(child.stderr, "stderr"),
    ]);
    return { code: status.code, ...text, timedOut: abort.signal.aborted };
  } finally {
    clearTimeout(timer);
    clearInterval(ticker);
  }
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

function stripAnsi(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
