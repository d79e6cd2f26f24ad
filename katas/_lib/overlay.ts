/**
 * The files verify swaps in besides the solutions, each written into an
 * overlay folder that mirrors the file system (see import_map.ts):
 *
 * - the stub files as committed (`git show HEAD:<path>`), so a learner's work in
 *   the working tree never changes what verify checks;
 * - a copy of `solutions/NN/` with one mutant patch applied (`git apply`).
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import type { Kata, Mutant } from "./kata_index.ts";
import { git } from "./git.ts";
import { inOverlay } from "./import_map.ts";

/** Stub files to swap in, and what a reader should know about where they came from. */
export interface StubSource {
  /** Stub path → the committed copy in the overlay (files left out use the working copy). */
  replace: Map<string, string>;
  /** Remarks for the report, e.g. a stub that is not committed yet. */
  notes: string[];
}

/**
 * Writes the kata's stub files as committed (HEAD) into the overlay `dir`. A stub that git does not know (new, not committed yet)
 * keeps its working copy, and so does every stub outside a git checkout or
 * without git; the notes say so.
 *
 * @param root the repository root
 * @param kata the kata
 * @param dir the overlay folder (created as needed)
 * @returns the swaps and notes
 */
export async function committedStubs(root: string, kata: Kata, dir: string): Promise<StubSource> {
  const replace = new Map<string, string>();
  const uncommitted: string[] = [], edited: string[] = [], notes: string[] = [];
  for (const f of kata.stubFiles) {
    const path = join(kata.dir, f), rel = relative(root, path);
    const out = await git(["show", `HEAD:./${rel}`], root);
    if (out === null) {
      return { replace: new Map(), notes: ["git is not on PATH: verified the working copy"] };
    }
    if (out.code !== 0) {
      if (/not a git repository/i.test(out.stderr)) {
        return { replace: new Map(), notes: ["not a git checkout: verified the working copy"] };
      }
      if (
        /not in 'HEAD'|does not exist in 'HEAD'|invalid object name|unknown revision/.test(
          out.stderr,
        )
      ) {
        uncommitted.push(rel);
      } else {notes.push(
          `${rel}: git show failed (${firstLine(out.stderr)}); verified the working copy`,
        );}
      continue;
    }
    const target = inOverlay(dir, path);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, out.stdout);
    replace.set(path, target);
    if (out.stdout !== await Deno.readTextFile(path)) edited.push(rel);
  }
  if (uncommitted.length) {
    notes.push(`${uncommitted.join(", ")} not committed yet: verified the working copy`);
  }
  if (edited.length) {
    notes.push(
      `${edited.join(", ")} edited since the last commit: verified the committed stub ` +
        "(--working-copy verifies the edits)",
    );
  }
  return { replace, notes };
}

/**
 * Copies `solutions/NN/` into `dir` and applies a mutant patch there.
 *
 * @param root the repository root
 * @param kata the kata
 * @param mutant the mutant
 * @param dir the overlay folder (created as needed)
 * @returns stub path → patched solution file, or the problem that stopped it
 *   (`stale mutant katas/NN/_mutants/x.patch: …` when the patch does not apply)
 */
export async function applyMutant(
  root: string,
  kata: Kata,
  mutant: Mutant,
  dir: string,
): Promise<{ replace: Map<string, string> } | { problem: string }> {
  const solutions = inOverlay(dir, kata.solutionDir);
  await copyTree(kata.solutionDir, solutions);
  // GIT_CEILING_DIRECTORIES: never mistake a repository above the overlay for the
  // place to apply (git apply inside a repository skips paths outside the cwd).
  const out = await git(["apply", "--whitespace=nowarn", mutant.path], inOverlay(dir, root), {
    GIT_CEILING_DIRECTORIES: dir,
  });
  const label = relative(root, mutant.path);
  if (out === null) return { problem: `cannot apply ${label}: git is not on PATH` };
  if (out.code !== 0) {
    return {
      problem: `stale mutant ${label}: ${out.stderr.split("\n").join("; ") || "git apply failed"}`,
    };
  }
  return { replace: new Map(kata.stubFiles.map((f) => [join(kata.dir, f), join(solutions, f)])) };
}

/**
 * Copies a folder tree.
 *
 * @param from the source folder
 * @param to the destination (created)
 * @returns when copied
 */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const src = join(from, e.name), dst = join(to, e.name);
    if (e.isDirectory) await copyTree(src, dst);
    else if (e.isFile) await Deno.copyFile(src, dst);
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0];
}
