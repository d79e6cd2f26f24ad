/**
 * `deno task verify [--root DIR] [--jobs N] [--timeout S] [--working-copy] [NN …]`:
 * proves, kata by kata, that
 *
 * - the kata has its parts (README.md, hints.md with 2+ levels for every step a
 *   test names, stubs, tests named `"NN.S …"`, a bench, one solution per stub,
 *   2+ mutants, each a `_mutants/<name>.patch` of `solutions/NN/` with a description);
 * - every test and test step fails on the stub as committed (`git show HEAD:…`,
 *   never the learner's working copy), and every failure is a `KataTodo`;
 * - every test passes with `solutions/NN/*` loaded in place of the stubs;
 * - stub and solution export the same names with the same kinds and members;
 * - every mutant (the solution with its patch applied, loaded in place of the
 *   stubs) type-checks and fails at least one test with a real error, first in
 *   the step its description names (`"… (01.5 must fail)"`).
 *
 * Each run is its own `deno test` subprocess, with every test file of the kata in one worker
 * (`oneWorker` in run_tests.ts: Deno starts a worker per file at about 0.3 s each, which was most
 * of verify's time); the solution runs a second time with a worker per file, as a learner's
 * `deno test katas/NN` runs it, and must pass both ways. The runs have
 * `KATAGRAD_REQUIRE_WEBGPU=1`: a kata whose tests need a WebGPU adapter (13) fails its checks
 * where none opens, never passes by being skipped; an ignored test is a breach either way. Files
 * are swapped through a generated import map (see import_map.ts and overlay.ts). The runs use
 * `--no-check`: `deno task test` type-checks every kata and solution in place
 * (`deno check .`) before it calls verify; only the patched mutants are checked
 * here, all of a kata's in one `deno check`. At most `--jobs` subprocesses run at
 * once (default: one per CPU core), the katas side by side; a run that takes
 * longer than `--timeout` seconds (default 300) is stopped and counts as a breach
 * naming the test that was running.
 *
 * Prints a table with each kata's time, the breaches, notes, and
 * `verify: N passed, N failed` (N counts checks); exits 1 on any breach.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { join, relative, resolve } from "node:path";
import {
  findKata,
  findKatas,
  type Kata,
  type Mutant,
  readSteps,
  stepOfTest,
} from "./kata_index.ts";
import { type ExportShape, readExports } from "./exports.ts";
import { inOverlay, writeImportMap } from "./import_map.ts";
import { applyMutant, committedStubs, type StubSource } from "./overlay.ts";
import { defaultConfig, runTests, type TestRun, topLevel } from "./run_tests.ts";
import { scratchDir } from "./scratch_dir.ts";
import { typeErrors } from "./typecheck.ts";
import {
  type Check,
  check,
  checkLayout,
  compareShapes,
  mutantProblems,
  solutionProblems,
  stubProblems,
} from "./verify_checks.ts";
import { formatReport, type KataReport } from "./verify_report.ts";

export type { Check } from "./verify_checks.ts";
export { formatReport, type KataReport } from "./verify_report.ts";

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** The repository root. */
  root: string;
  /** Kata ids to verify (default: all). */
  ids?: readonly string[];
  /** Subprocesses at once (default: the number of CPU cores). */
  jobs?: number;
  /** Stop one `deno test` run after this many milliseconds (default 300 000). */
  timeoutMs?: number;
  /** Verify the stub files of the working tree instead of the committed ones. */
  workingCopy?: boolean;
  /** Type-check the patched mutants (default true; one `deno check` for all katas). */
  typeCheckMutants?: boolean;
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
  const limit = limiter(opts.jobs ?? navigator.hardwareConcurrency ?? 2);
  // The same folder from run to run where free: the mutants' type check is then cached.
  const scratch = await scratchDir(root, "katagrad_verify_");
  const tmp = scratch.path;
  try {
    const prepared = await Promise.all(
      katas.map((kata) => prepare(root, kata, join(tmp, kata.id), opts.workingCopy ?? false)),
    );
    // One import map and one `deno check` for every kata's mutants: the library
    // they import is type-checked once, not once per kata.
    const mapPath = join(tmp, "import_map.json");
    await writeImportMap(mapPath, config, { overlays: prepared.flatMap((p) => p.overlays) });
    const mutantFiles = prepared.flatMap((p) => p.applied.flatMap(patchedFiles));
    const typeErrs = opts.typeCheckMutants === false
      ? Promise.resolve(new Map<string, string[]>())
      : limit(() => typeErrors(mutantFiles, config, mapPath));
    const ctx = { root, config, limit, timeoutMs: opts.timeoutMs ?? 300_000, mapPath, typeErrs };
    return await Promise.all(prepared.map((p) => verifyKata(ctx, p)));
  } finally {
    await scratch.release();
  }
}

type Applied = Awaited<ReturnType<typeof applyMutant>>;

/** A kata with its overlays written: the committed stubs, each mutant applied. */
interface Prepared {
  kata: Kata;
  /** This kata's temporary folder. */
  tmp: string;
  stubs: StubSource;
  /** Per mutant (same order as `kata.mutants`): its swaps, or why it could not be applied. */
  applied: Applied[];
  overlays: string[];
}

async function prepare(root: string, kata: Kata, tmp: string, workingCopy: boolean) {
  const stubDir = join(tmp, "stub");
  const stubs: StubSource = workingCopy
    ? { replace: new Map(), notes: ["--working-copy: verified the stubs of the working tree"] }
    : await committedStubs(root, kata, stubDir);
  const mutantDir = (m: Mutant) => join(tmp, "mutants", m.name);
  const hasSolutions = await Deno.stat(kata.solutionDir).then((s) => s.isDirectory, () => false);
  const applied: Applied[] = await Promise.all(
    kata.mutants.map((m) =>
      hasSolutions
        ? applyMutant(root, kata, m, mutantDir(m))
        : { problem: `not applied: ${relative(root, kata.solutionDir)}/ is missing` }
    ),
  );
  const overlays = [
    ...(stubs.replace.size ? [stubDir] : []),
    ...kata.mutants.filter((_, i) => "replace" in applied[i]).map(mutantDir),
  ];
  return { kata, tmp, stubs, applied, overlays } satisfies Prepared;
}

function patchedFiles(a: Applied): string[] {
  return "replace" in a ? [...a.replace.values()] : [];
}

interface Context {
  root: string;
  config: string | null;
  limit: Limiter;
  timeoutMs: number;
  /** The import map holding every overlay. */
  mapPath: string;
  /** The type errors of every patched mutant file. */
  typeErrs: Promise<Map<string, string[]>>;
}

async function verifyKata(ctx: Context, prepared: Prepared): Promise<KataReport> {
  const { root, config } = ctx;
  const { kata, stubs, applied, overlays, tmp } = prepared;
  const layout = await checkLayout(kata);
  const tests = kata.testFiles.map((f) => join(kata.dir, f));
  if (tests.length === 0 || kata.stubFiles.length === 0 || !layout.solutionsExist) {
    const skipped = (name: string) => check(name, ["not run: layout is broken"]);
    const checks = [layout.check, skipped("stub"), skipped("solution"), skipped("exports")];
    return { id: kata.id, tests: 0, checks, ms: 0, wallMs: 0, notes: stubs.notes };
  }
  const solutions = new Map(
    kata.stubFiles.map((f) => [join(kata.dir, f), join(kata.solutionDir, f)]),
  );
  // Wall time from this kata's first run starting (not queued) to its last ending.
  let tStart = Infinity, tEnd = 0;
  const run = (replace: Map<string, string>, failFast = false, oneWorker = true) =>
    ctx.limit((): Promise<TestRun> => {
      tStart = Math.min(tStart, performance.now());
      const opts = { root, files: tests, config, timeoutMs: ctx.timeoutMs, overlays, env: REQUIRE };
      return runTests({ ...opts, replace, failFast, oneWorker });
    }).finally(() => (tEnd = Math.max(tEnd, performance.now())));
  const stubOf = (p: string) => stubs.replace.get(p) ?? p;
  const files = [
    ...[...solutions.keys()].map(stubOf),
    ...solutions.values(),
    ...applied.flatMap(patchedFiles),
  ];
  const solved = run(solutions);
  const [stubRun, solutionRun, solutionApart, shapes, mutantRuns] = await Promise.all([
    run(stubs.replace),
    solved,
    // Once more as `deno test katas/NN` runs it, a worker per test file: a solution that passes
    // only while the files share a worker would fail for the learner.
    tests.length > 1 ? run(solutions, false, false) : solved,
    ctx.limit(() => readExports(files, config, ctx.mapPath).catch((e: Error) => e)),
    Promise.all(applied.map((a) =>
      // One real failure kills a mutant; the rest need not run.
      "replace" in a ? run(a.replace, true) : Promise.resolve(undefined)
    )),
  ]);
  const typeErrs = await ctx.typeErrs;
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
    check("solution", bothWays(solutionRun, solutionApart, topLevel(stubRun).length)),
    check(
      "exports",
      [...solutions].flatMap(([stub, sol]) =>
        compareShapes(shapeOf(stubOf(stub)), shapeOf(sol), relative(root, sol))
      ),
    ),
    ...kata.mutants.map((m, i) => {
      const a = applied[i], r = mutantRuns[i];
      if ("problem" in a) return check(`mutant ${m.name}`, [a.problem]);
      if (r === undefined) return check(`mutant ${m.name}`, ["not run"]);
      const label = (f: string) =>
        `${relative(root, m.path)} → ${relative(inOverlay(join(tmp, "mutants", m.name), root), f)}`;
      const problems = [
        ...[...a.replace.values()].flatMap((f) =>
          (typeErrs.get(f) ?? []).map((e) => `does not type-check: ${e}`)
        ),
        ...mutantProblems(r, m.step),
        ...[...a.replace].flatMap(([stub, f]) =>
          compareShapes(shapeOf(stubOf(stub)), shapeOf(f), label(f))
        ),
      ];
      return check(`mutant ${m.name}`, problems);
    }),
  ];
  const runs = [stubRun, ...new Set([solutionRun, solutionApart])];
  for (const r of mutantRuns) if (r !== undefined) runs.push(r);
  const elsewhere = (typeErrs.get("") ?? []).map((e) => `deno check of the mutants: ${e}`);
  return {
    id: kata.id,
    tests: topLevel(stubRun).length,
    checks,
    // The kata's own cost: its runs added up (wall time includes queueing behind other katas).
    ms: runs.reduce((sum, r) => sum + r.ms, 0),
    wallMs: tEnd - tStart,
    notes: [...stubs.notes, ...elsewhere],
  };
}

/** The solution's problems in one worker, then those that only a worker per file shows. */
function bothWays(together: TestRun, apart: TestRun, expected: number): string[] {
  const p = solutionProblems(together, expected);
  const more = solutionProblems(apart, expected).filter((q) => !p.includes(q));
  return [...p, ...more.map((q) => `with a worker per test file (as deno test runs it): ${q}`)];
}

/**
 * The environment of every run: a test that needs a WebGPU adapter (kata 13's) fails where none
 * opens instead of being ignored, so verify never passes a kata it could not run.
 */
const REQUIRE = { KATAGRAD_REQUIRE_WEBGPU: "1" };

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

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      root: { type: "string" },
      jobs: { type: "string" },
      timeout: { type: "string", default: "300" },
      "working-copy": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const root = values.root ?? resolve(fileURLToPath(new URL("../..", import.meta.url)));
  try {
    const t0 = performance.now();
    const reports = await verify({
      root,
      ids: positionals,
      jobs: values.jobs === undefined ? undefined : Number(values.jobs),
      timeoutMs: Number(values.timeout) * 1000,
      workingCopy: values["working-copy"],
    });
    const text = formatReport(reports, performance.now() - t0);
    console.log(text);
    if (!text.endsWith(", 0 failed")) Deno.exit(1);
  } catch (e) {
    console.error(e instanceof RangeError ? e.message : e);
    console.log("verify: 0 passed, 1 failed");
    Deno.exit(1);
  }
}
