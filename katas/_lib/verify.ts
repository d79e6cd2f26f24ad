/**
 * `deno task verify [--root DIR] [--jobs N] [--timeout S] [NN …]`: proves, kata by kata, that
 *
 * - the kata has its parts (README.md, hints.md with 2+ levels for every step a
 *   test names, stubs, tests named `"NN.S …"`, a bench, one solution per stub,
 *   2+ mutants that each replace a stub file);
 * - every test and test step fails on the stub, and every failure is a `KataTodo`
 *   (thrown, or quoted by an assertion such as `throws(() => stub(), RangeError)`);
 * - every test passes with `solutions/NN/*` loaded in place of the stubs;
 * - stub and solution export the same names with the same kinds and members;
 * - every mutant (loaded in place of its stub file, the other stubs replaced by
 *   their solutions) fails at least one test with a real error.
 *
 * Each run is its own `deno test` subprocess; files are swapped through a
 * generated import map (see run_tests.ts). The runs use `--no-check`: `deno task
 * test` type-checks every kata, solution and mutant in place (`deno check .`)
 * before it calls verify, so checking again per run would only cost time.
 * At most `--jobs` (default 2) subprocesses run at once; a run that takes longer
 * than `--timeout` seconds (default 300) is killed and counts as a breach.
 *
 * Prints a table, the breaches, and `verify: N passed, N failed` (N counts
 * checks); exits 1 on any breach.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { join, relative, resolve } from "node:path";
import { findKata, findKatas, type Kata, readSteps, stepOfTest } from "./kata_index.ts";
import { diffExports, type ExportShape, readExports } from "./exports.ts";
import {
  defaultConfig,
  isKataTodo,
  realFailures,
  runTests,
  type TestRun,
  topLevel,
} from "./run_tests.ts";

/** One check of one kata. */
export interface Check {
  /** `"layout"`, `"stub"`, `"solution"`, `"exports"` or `"mutant <name>"`. */
  name: string;
  /** Whether it holds. */
  ok: boolean;
  /** What is wrong (empty when ok). */
  problems: string[];
}

/** The checks of one kata. */
export interface KataReport {
  /** The kata id. */
  id: string;
  /** The number of top-level tests in the stub run. */
  tests: number;
  /** Every check, layout first, mutants last. */
  checks: Check[];
  /** Wall time in milliseconds. */
  ms: number;
}

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** The repository root. */
  root: string;
  /** Kata ids to verify (default: all). */
  ids?: readonly string[];
  /** Subprocesses at once (default 2). */
  jobs?: number;
  /** Kill one `deno test` run after this many milliseconds (default 300 000). */
  timeoutMs?: number;
}

/**
 * Verifies katas.
 *
 * @param opts root, ids and parallelism
 * @returns one report per kata, in id order
 * @throws {RangeError} when a named kata does not exist
 */
export async function verify(opts: VerifyOptions): Promise<KataReport[]> {
  const root = resolve(opts.root);
  const all = await findKatas(root);
  const katas = opts.ids?.length ? opts.ids.map((id) => findKata(all, id)) : all;
  const config = await defaultConfig(root);
  const limit = limiter(opts.jobs ?? 2);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  return await Promise.all(katas.map((k) => verifyKata(root, config, k, limit, timeoutMs)));
}

async function verifyKata(
  root: string,
  config: string | null,
  kata: Kata,
  limit: Limiter,
  timeoutMs: number,
): Promise<KataReport> {
  const t0 = performance.now();
  const layout = await checkLayout(kata);
  const tests = kata.testFiles.map((f) => join(kata.dir, f));
  const solutions = new Map(
    kata.stubFiles.map((f) => [join(kata.dir, f), join(kata.solutionDir, f)]),
  );
  if (tests.length === 0 || kata.stubFiles.length === 0 || !layout.solutionsExist) {
    const skipped = (name: string) => ({
      name,
      ok: false,
      problems: ["not run: layout is broken"],
    });
    return {
      id: kata.id,
      tests: 0,
      checks: [layout.check, skipped("stub"), skipped("solution"), skipped("exports")],
      ms: performance.now() - t0,
    };
  }
  const stubPaths = [...solutions.keys()];
  const files = [...stubPaths, ...solutions.values(), ...kata.mutants.map((m) => m.path)];
  const stubP = limit(() => runTests({ root, files: tests, config, timeoutMs }));
  const solutionP = limit(() =>
    runTests({ root, files: tests, config, timeoutMs, replace: solutions })
  );
  const shapesP = limit(() => readExports(files, config).catch((e: Error) => e));
  const mutantsP = Promise.all(kata.mutants.map((m) =>
    limit(() =>
      runTests({
        root,
        files: tests,
        config,
        timeoutMs,
        replace: new Map([...solutions, [join(kata.dir, m.file), m.path]]),
      })
    )
  ));
  const [stubRun, solutionRun, shapes, mutantRuns] = [
    await stubP,
    await solutionP,
    await shapesP,
    await mutantsP,
  ];
  const shapeOf = (path: string): ExportShape | Error =>
    shapes instanceof Error ? shapes : shapes[files.indexOf(path)];

  const steps = await readSteps(kata).catch(() => []);
  for (const t of topLevel(stubRun)) {
    const step = stepOfTest(t.name);
    if (!step || !step.startsWith(kata.id + ".")) {
      layout.check.problems.push(`test "${t.name}" does not start with a step id ${kata.id}.N`);
    } else if (!steps.some((s) => s.step === step && s.levels.length >= 2)) {
      layout.check.problems.push(`step ${step} (test "${t.name}") has no 2+ hint levels`);
    }
  }
  layout.check.ok = layout.check.problems.length === 0;

  const checks: Check[] = [
    layout.check,
    check("stub", stubProblems(stubRun)),
    check("solution", solutionProblems(solutionRun, topLevel(stubRun).length)),
    check(
      "exports",
      stubPaths.flatMap((p) =>
        compareShapes(shapeOf(p), shapeOf(solutions.get(p)!), relative(root, solutions.get(p)!))
      ),
    ),
    ...kata.mutants.map((m, i) => {
      const problems = mutantProblems(mutantRuns[i]);
      problems.push(
        ...compareShapes(shapeOf(join(kata.dir, m.file)), shapeOf(m.path), relative(root, m.path)),
      );
      return check(`mutant ${m.name}`, problems);
    }),
  ];
  return { id: kata.id, tests: topLevel(stubRun).length, checks, ms: performance.now() - t0 };
}

async function checkLayout(kata: Kata): Promise<{ check: Check; solutionsExist: boolean }> {
  const p: string[] = [];
  if (!kata.hasReadme) p.push("README.md is missing");
  if (!kata.hasHints) p.push("hints.md is missing");
  if (kata.stubFiles.length === 0) p.push("no stub file (a top-level .ts that is not a test)");
  if (kata.testFiles.length === 0) p.push("no *_test.ts file");
  if (kata.benchFiles.length === 0) p.push("no *_bench.ts file");
  let solutionsExist = true;
  for (const f of kata.stubFiles) {
    if (!(await isFile(join(kata.solutionDir, f)))) {
      p.push(`solutions/${kata.id}/${f} is missing`);
      solutionsExist = false;
    }
  }
  if (kata.mutants.length < 2) p.push(`${kata.mutants.length} mutant(s); a kata needs 2 or more`);
  for (const m of kata.mutants) {
    if (!kata.stubFiles.includes(m.file)) {
      p.push(`mutant ${m.name}/${m.file} replaces no stub file (${kata.stubFiles.join(", ")})`);
    }
  }
  const names = kata.mutants.map((m) => m.name);
  for (const n of new Set(names)) {
    if (names.filter((x) => x === n).length > 1) p.push(`mutant ${n} replaces several files`);
  }
  return { check: check("layout", p), solutionsExist };
}

function stubProblems(run: TestRun): string[] {
  const p = loadProblems(run);
  if (run.cases.length === 0) p.push("no test ran");
  // Steps too: a step that passes on the stub tests nothing the learner writes.
  for (const t of run.cases) if (!t.failed) p.push(`"${t.name}" passes on the stub`);
  for (const c of realFailures(run)) {
    if (!isKataTodo(c)) p.push(`"${c.name}" fails without KataTodo: ${firstLine(c.message)}`);
  }
  return p;
}

function solutionProblems(run: TestRun, expected: number): string[] {
  const p = loadProblems(run);
  for (const c of realFailures(run)) p.push(`"${c.name}" fails: ${firstLine(c.message)}`);
  if (run.code !== 0 && p.length === 0) p.push(`deno test exited ${run.code}: ${tail(run.output)}`);
  const n = topLevel(run).length;
  if (n !== expected) p.push(`${n} tests ran with the solution, ${expected} with the stub`);
  return p;
}

function mutantProblems(run: TestRun): string[] {
  const p = loadProblems(run);
  const real = realFailures(run).filter((c) => !isKataTodo(c));
  if (p.length === 0 && real.length === 0) {
    p.push(
      realFailures(run).length
        ? "only KataTodo failures: the mutant still calls todo()"
        : "survives: every test passes",
    );
  }
  return p;
}

function loadProblems(run: TestRun): string[] {
  if (run.timedOut) return [`timed out after ${(run.ms / 1000).toFixed(0)}s`];
  return [
    ...run.silentFiles.map((f) => `${f} reported no test (did it load?): ${tail(run.output)}`),
    ...run.uncaughtFiles.map((f) => `${f} has an error outside any test`),
  ];
}

function compareShapes(stub: ExportShape | Error, other: ExportShape | Error, label: string) {
  if (stub instanceof Error) return [stub.message];
  if (other instanceof Error) return [other.message];
  return diffExports(stub, other).map((d) => `${label}: ${d}`);
}

function check(name: string, problems: string[]): Check {
  return { name, ok: problems.length === 0, problems };
}

/**
 * Formats reports as the verify table, the breaches and the summary line.
 *
 * @param reports the reports of {@link verify}
 * @returns the text, ending with `verify: N passed, N failed`
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * import { formatReport } from "./verify.ts";
 * const ok = { name: "stub", ok: true, problems: [] };
 * const bad = { name: "mutant m", ok: false, problems: ["survives: every test passes"] };
 * match(formatReport([{ id: "01", tests: 3, checks: [ok, bad], ms: 10 }]), /verify: 1 passed, 1 failed$/);
 * ```
 */
export function formatReport(reports: readonly KataReport[]): string {
  const head = [
    "kata",
    "tests",
    "layout",
    "stub fails w/ KataTodo",
    "solution passes",
    "exports match",
    "mutants killed",
    "time",
  ];
  const cell = (r: KataReport, name: string) => {
    const c = r.checks.find((x) => x.name === name);
    return c === undefined ? "-" : c.ok ? "ok" : "FAIL";
  };
  const rows = reports.map((r) => {
    const mutants = r.checks.filter((c) => c.name.startsWith("mutant "));
    return [
      r.id,
      String(r.tests),
      cell(r, "layout"),
      cell(r, "stub"),
      cell(r, "solution"),
      cell(r, "exports"),
      `${mutants.filter((c) => c.ok).length}/${mutants.length}`,
      `${(r.ms / 1000).toFixed(1)}s`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  const out = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const breaches = reports.flatMap((r) =>
    r.checks.filter((c) => !c.ok).flatMap((c) => c.problems.map((p) => `  ${r.id} ${c.name}: ${p}`))
  );
  if (breaches.length) out.push("", "breaches:", ...breaches);
  const checks = reports.flatMap((r) => r.checks);
  const passed = checks.filter((c) => c.ok).length;
  out.push("", `verify: ${passed} passed, ${checks.length - passed} failed`);
  return out.join("\n");
}

type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/** Runs at most `n` of the given async functions at once. */
function limiter(n: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function firstLine(s: string): string {
  return s.replace(/^Uncaught /, "").split("\n")[0].slice(0, 200);
}

function tail(s: string): string {
  return s.trim().split("\n").slice(-3).join(" / ").slice(0, 300);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      root: { type: "string" },
      jobs: { type: "string", default: "2" },
      timeout: { type: "string", default: "300" },
    },
    allowPositionals: true,
  });
  const root = values.root ?? resolve(fileURLToPath(new URL("../..", import.meta.url)));
  try {
    const reports = await verify({
      root,
      ids: positionals,
      jobs: Number(values.jobs),
      timeoutMs: Number(values.timeout) * 1000,
    });
    const text = formatReport(reports);
    console.log(text);
    if (!text.endsWith(", 0 failed")) Deno.exit(1);
  } catch (e) {
    console.error(e instanceof RangeError ? e.message : e);
    console.log("verify: 0 passed, 1 failed");
    Deno.exit(1);
  }
}
