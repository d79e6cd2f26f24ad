/**
 * Finds the katas of a repository and their parts, following the layout of
 * `katas/README.md`: `katas/NN/` holds README.md, hints.md, stub files, `*_test.ts`,
 * a `*_bench.ts`, test helpers named `_*.ts` and mutants `_mutants/<name>.patch`
 * (unified diffs of the solution); `solutions/NN/` holds one reference file per
 * stub file.
 *
 * @module
 */

import { join } from "node:path";
import { parseHints, type StepHints } from "./hints.ts";

/**
 * A mutant: a plausible wrong solution, stored as a unified diff of
 * `solutions/NN/` (`git diff solutions/NN > katas/NN/_mutants/<name>.patch`).
 */
export interface Mutant {
  /** The patch's file name without `.patch`, e.g. `"no_accumulate"`. */
  name: string;
  /** The patch's absolute path. */
  path: string;
  /** The free text before the first `diff --git` line: what the planted bug is. */
  description: string;
  /** The files it edits, relative to the root, e.g. `["solutions/01/value.ts"]`. */
  files: string[];
  /** The step whose tests must catch it, when the description says `"NN.S must fail"`. */
  step?: string;
}

/** One kata folder and what belongs to it. All paths are absolute. */
export interface Kata {
  /** Two digits, e.g. `"01"`. */
  id: string;
  /** `katas/NN`. */
  dir: string;
  /** The first `# ` heading of its README.md, without a leading "Kata NN —". */
  title: string;
  /** The lecture it follows, from the path table in `katas/README.md` (`""` when absent). */
  lecture: string;
  /** The stub file names (top-level `.ts` but not `*_test.ts`, `*_bench.ts`, `_*.ts`), sorted. */
  stubFiles: string[];
  /** The `*_test.ts` file names, sorted. */
  testFiles: string[];
  /** The `*_bench.ts` file names, sorted. */
  benchFiles: string[];
  /** The mutants, sorted by name. */
  mutants: Mutant[];
  /** Other entries of `_mutants/` (the old whole-file folders, stray files), sorted. */
  strayMutants: string[];
  /** `solutions/NN`. */
  solutionDir: string;
  /** Whether README.md and hints.md exist. */
  hasReadme: boolean;
  /** Whether hints.md exists. */
  hasHints: boolean;
}

/**
 * Lists the katas under `root/katas/`, sorted by id.
 *
 * @param root the repository root
 * @returns every `katas/NN` folder, described
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { findKatas } from "./kata_index.ts";
 * const katas = await findKatas(new URL("./testdata/fixture", import.meta.url).pathname);
 * deepEqual(katas.map((k) => [k.id, k.stubFiles]), [["90", ["poly.ts"]]]);
 * ```
 */
export async function findKatas(root: string): Promise<Kata[]> {
  const katasDir = join(root, "katas");
  const lectures = new Map((await readPath(root)).map((r) => [r.id, r.lecture]));
  const ids: string[] = [];
  for await (const e of readDirSafe(katasDir)) {
    if (e.isDirectory && /^\d\d$/.test(e.name)) ids.push(e.name);
  }
  ids.sort();
  return await Promise.all(ids.map((id) => describeKata(root, id, lectures.get(id) ?? "")));
}

/**
 * Picks katas by id, or throws an error that lists the ones that exist.
 *
 * @param katas all katas
 * @param id the wanted id; `"1"` means `"01"`
 * @returns the kata
 * @throws {RangeError} `Cannot find kata 07: katas are 01, 02`
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { findKata, type Kata } from "./kata_index.ts";
 * throws(() => findKata([{ id: "01" } as Kata], "7"), /Cannot find kata 07: katas are 01/);
 * ```
 */
export function findKata(katas: readonly Kata[], id: string): Kata {
  const want = /^\d$/.test(id) ? `0${id}` : id;
  const kata = katas.find((k) => k.id === want);
  if (!kata) {
    const have = katas.length ? `katas are ${katas.map((k) => k.id).join(", ")}` : "no katas exist";
    throw new RangeError(`Cannot find kata ${want}: ${have}`);
  }
  return kata;
}

/**
 * Reads the steps of a kata from its hints.md.
 *
 * @param kata the kata
 * @returns its steps with their hints, in file order (empty without hints.md)
 * @throws {RangeError} when hints.md repeats a step
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { findKatas, readSteps } from "./kata_index.ts";
 * const [kata] = await findKatas(new URL("./testdata/fixture", import.meta.url).pathname);
 * deepEqual((await readSteps(kata)).map((s) => s.step), ["90.1", "90.2", "90.3"]);
 * ```
 */
export async function readSteps(kata: Kata): Promise<StepHints[]> {
  if (!kata.hasHints) return [];
  return parseHints(await Deno.readTextFile(join(kata.dir, "hints.md")));
}

/**
 * Finds one step by id, or throws an error that lists the kata's steps.
 *
 * @param katas all katas
 * @param step a step id `"NN.S"`
 * @returns the kata and the step's hints
 * @throws {RangeError} `Cannot find step 01.9: steps of kata 01 are 01.1, …, 01.8`
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { findKatas, findStep } from "./kata_index.ts";
 * const katas = await findKatas(new URL("./testdata/fixture", import.meta.url).pathname);
 * await rejects(findStep(katas, "90.9"), /steps of kata 90 are 90.1, 90.2, 90.3/);
 * ```
 */
export async function findStep(
  katas: readonly Kata[],
  step: string,
): Promise<{ kata: Kata; hints: StepHints; steps: StepHints[] }> {
  const m = step.match(/^(\d\d)\.\d+$/);
  if (!m) {
    throw new RangeError(`Cannot find step ${step}: a step id looks like 01.3`);
  }
  const kata = findKata(katas, m[1]);
  const steps = await readSteps(kata);
  const hints = steps.find((s) => s.step === step);
  if (!hints) {
    const have = steps.length
      ? `steps of kata ${kata.id} are ${steps.map((s) => s.step).join(", ")}`
      : `kata ${kata.id} has no hints.md steps`;
    throw new RangeError(`Cannot find step ${step}: ${have}`);
  }
  return { kata, hints, steps };
}

/**
 * The step id a test name starts with.
 *
 * @param testName e.g. `"01.3 tanh matches the lecture"`
 * @returns `"01.3"`, or `undefined` when the name does not start with a step id
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { stepOfTest } from "./kata_index.ts";
 * equal(stepOfTest("01.3 tanh"), "01.3");
 * equal(stepOfTest("tanh"), undefined);
 * ```
 */
export function stepOfTest(testName: string): string | undefined {
  return testName.match(/^(\d\d\.\d+)(?=\s|$)/)?.[1];
}

async function describeKata(root: string, id: string, lecture: string): Promise<Kata> {
  const dir = join(root, "katas", id);
  const files: string[] = [];
  for await (const e of readDirSafe(dir)) if (e.isFile) files.push(e.name);
  files.sort();
  const ts = files.filter((f) => f.endsWith(".ts"));
  const testFiles = ts.filter((f) => f.endsWith("_test.ts"));
  const benchFiles = ts.filter((f) => f.endsWith("_bench.ts"));
  // `_name.ts` files are helpers of the tests (fixtures, checks), not stubs.
  const stubFiles = ts.filter((f) =>
    !testFiles.includes(f) && !benchFiles.includes(f) && !f.startsWith("_")
  );
  const mutants: Mutant[] = [];
  const strayMutants: string[] = [];
  const mutantsDir = join(dir, "_mutants");
  for await (const m of readDirSafe(mutantsDir)) {
    if (m.isFile && m.name.endsWith(".patch")) {
      const path = join(mutantsDir, m.name);
      mutants.push({
        name: m.name.slice(0, -".patch".length),
        path,
        ...readPatch(await Deno.readTextFile(path)),
      });
    } else strayMutants.push(m.isDirectory ? `${m.name}/` : m.name);
  }
  mutants.sort((a, b) => a.name.localeCompare(b.name));
  strayMutants.sort();
  const readme = files.includes("README.md") ? await Deno.readTextFile(join(dir, "README.md")) : "";
  // "# Kata 01 — Value" and "# Value" both give the title "Value".
  const heading = readme.match(/^#\s+(.+)$/m)?.[1].trim();
  const title = heading?.replace(/^kata\s+\d+\s*[—–:-]\s*/i, "") || `Kata ${id}`;
  return {
    id,
    dir,
    title,
    lecture,
    stubFiles,
    testFiles,
    benchFiles,
    mutants,
    strayMutants,
    solutionDir: join(root, "solutions", id),
    hasReadme: files.includes("README.md"),
    hasHints: files.includes("hints.md"),
  };
}

/**
 * Reads a mutant patch: its description (the text before the first `diff --git`
 * line), the files it edits and the step it names with `"NN.S must fail"`.
 *
 * @param text the patch
 * @returns what the patch says about itself
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readPatch } from "./kata_index.ts";
 * const patch = "Mutant: relu passes every gradient (01.7 must fail).\n\n" +
 *   "diff --git a/solutions/01/value.ts b/solutions/01/value.ts\n--- a/solutions/01/value.ts\n";
 * deepEqual(readPatch(patch), {
 *   description: "Mutant: relu passes every gradient (01.7 must fail).",
 *   files: ["solutions/01/value.ts"],
 *   step: "01.7",
 * });
 * ```
 */
export function readPatch(text: string): Pick<Mutant, "description" | "files" | "step"> {
  const start = text.search(/^diff --git /m);
  const description = (start < 0 ? text : text.slice(0, start)).trim();
  const files = new Set<string>();
  for (const m of text.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) files.add(m[1]).add(m[2]);
  const step = description.match(/\b(\d\d\.\d+) must fail\b/)?.[1];
  return { description, files: [...files], ...(step ? { step } : {}) };
}

/** One row of the path table in `katas/README.md`. */
export interface PathRow {
  /** The kata id, e.g. `"03"`. */
  id: string;
  /** The lecture column. */
  lecture: string;
  /** What the learner builds (the third column), `""` when absent. */
  build: string;
}

/**
 * Reads the path table of `root/katas/README.md`: every row `| NN | lecture | … |`,
 * written or planned.
 *
 * @param root the repository root
 * @returns the rows in file order (empty without the README)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { readPath } from "./kata_index.ts";
 * const rows = await readPath(new URL("./testdata/fixture", import.meta.url).pathname);
 * deepEqual(rows.map((r) => r.id), ["90", "91"]);
 * ```
 */
export async function readPath(root: string): Promise<PathRow[]> {
  let text = "";
  try {
    text = await Deno.readTextFile(join(root, "katas", "README.md"));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const rows: PathRow[] = [];
  for (const m of text.matchAll(/^\|\s*(\d\d)\s*\|(.*)$/gm)) {
    if (rows.some((r) => r.id === m[1])) continue;
    const cells = m[2].split("|").map((c) => c.trim());
    rows.push({ id: m[1], lecture: cells[0] ?? "", build: cells[1] ?? "" });
  }
  return rows;
}

async function* readDirSafe(path: string): AsyncIterable<Deno.DirEntry> {
  try {
    for await (const e of Deno.readDir(path)) yield e;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
