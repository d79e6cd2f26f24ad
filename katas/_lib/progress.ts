/**
 * Learner progress, derived from real test runs and cached in the git-ignored
 * `.katagrad/progress.json`. An entry is trusted only while the kata's stub files
 * still hash to the fingerprint recorded with it.
 *
 * @module
 */

import { join } from "node:path";
import type { Kata } from "./kata_index.ts";

/** Where a kata stands. */
export type KataStatus = "passed" | "failing" | "not started";

/** The cached outcome of the last run of one kata. */
export interface KataProgress {
  /** The derived status. */
  status: KataStatus;
  /** Top-level tests that passed. */
  passed: number;
  /** Top-level tests in the run. */
  total: number;
  /** The hash of the stub files when it ran (see {@link fingerprint}). */
  fingerprint: string;
  /** When it ran (ISO 8601). */
  at: string;
}

/** The whole progress file. */
export interface Progress {
  /** The file format version. */
  version: 1;
  /** Kata id → its last run. */
  katas: Record<string, KataProgress>;
}

/**
 * Reads `root/.katagrad/progress.json`; a missing or unreadable file is empty progress.
 *
 * @param root the repository root
 * @returns the progress
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { loadProgress, saveProgress } from "./progress.ts";
 * const root = await Deno.makeTempDir();
 * deepEqual(await loadProgress(root), { version: 1, katas: {} });
 * const entry = { status: "passed" as const, passed: 3, total: 3, fingerprint: "f", at: "t" };
 * await saveProgress(root, { version: 1, katas: { "01": entry } });
 * deepEqual((await loadProgress(root)).katas["01"], entry);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function loadProgress(root: string): Promise<Progress> {
  try {
    const p = JSON.parse(await Deno.readTextFile(progressPath(root)));
    if (p?.version === 1 && typeof p.katas === "object" && p.katas !== null) return p;
  } catch {
    // A missing or corrupt cache is rebuilt by the next run.
  }
  return { version: 1, katas: {} };
}

/**
 * Writes `root/.katagrad/progress.json`.
 *
 * @param root the repository root
 * @param progress the progress to store
 * @returns when written
 */
export async function saveProgress(root: string, progress: Progress): Promise<void> {
  await Deno.mkdir(join(root, ".katagrad"), { recursive: true });
  await Deno.writeTextFile(progressPath(root), JSON.stringify(progress, null, 2) + "\n");
}

/**
 * The SHA-256 of a kata's stub files (names and contents), hex.
 *
 * @param kata the kata
 * @returns the hex digest
 * @example
 * ```ts
 * import { equal, match } from "node:assert/strict";
 * import { findKatas } from "./kata_index.ts";
 * import { fingerprint } from "./progress.ts";
 * const [kata] = await findKatas(new URL("./testdata/fixture", import.meta.url).pathname);
 * match(await fingerprint(kata), /^[0-9a-f]{64}$/);
 * equal(await fingerprint(kata), await fingerprint(kata));
 * ```
 */
export async function fingerprint(kata: Kata): Promise<string> {
  const parts: string[] = [];
  for (const f of kata.stubFiles) {
    parts.push(f, "\0", await Deno.readTextFile(join(kata.dir, f)), "\0");
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The cached entry of a kata, if its stubs are unchanged since it was recorded.
 *
 * @param progress the loaded progress
 * @param kata the kata
 * @returns the entry, `"stale"` when the stubs changed since, or `undefined` when never run
 */
export async function currentEntry(
  progress: Progress,
  kata: Kata,
): Promise<KataProgress | "stale" | undefined> {
  const e = progress.katas[kata.id];
  if (!e) return undefined;
  return e.fingerprint === await fingerprint(kata) ? e : "stale";
}

function progressPath(root: string): string {
  return join(root, ".katagrad", "progress.json");
}
