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
import { type ExportShape, readExports } from "./exports.ts";
import { defaultConfig, runTests, topLevel } from "./run_tests.ts";
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
      ms: 0,
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
        failFast: true, // one real failure kills a mutant; the rest need not run
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
  // The kata's own cost: its runs added up (wall time would include queueing behind other katas).
  const ms = [stubRun, solutionRun, ...mutantRuns].reduce((sum, r) => sum + r.ms, 0);
  return { id: kata.id, tests: topLevel(stubRun).length, checks, ms };
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
    const t0 = performance.now();
    const reports = await verify({
      root,
      ids: positionals,
      jobs: Number(values.jobs),
      timeoutMs: Number(values.timeout) * 1000,
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
