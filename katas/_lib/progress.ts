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

/** Progress as read from disk, and why the file was not usable when it was not. */
export interface LoadedProgress {
  /** The usable part of the file (empty when it was missing or unreadable). */
  progress: Progress;
  /** Why (part of) an existing file was dropped; the next save rebuilds it. */
  problem?: string;
}

/**
 * Reads `root/.katagrad/progress.json`. A missing or unreadable file is empty
 * progress; a file that is not JSON, or of the wrong shape, is dropped (entries
 * of the wrong shape one by one) and the problem says so, so the next save
 * rebuilds it.
 *
 * @param root the repository root
 * @returns the progress and, for a bad file, what was wrong with it
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { loadProgress, saveProgress } from "./progress.ts";
 * const root = await Deno.makeTempDir();
 * deepEqual(await loadProgress(root), { progress: { version: 1, katas: {} } });
 * const entry = { status: "passed" as const, passed: 3, total: 3, fingerprint: "f", at: "t" };
 * await saveProgress(root, { version: 1, katas: { "01": entry } });
 * deepEqual((await loadProgress(root)).progress.katas["01"], entry);
 * await Deno.writeTextFile(`${root}/.katagrad/progress.json`, "[]");
 * equal((await loadProgress(root)).problem, "it is not a version 1 progress file");
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function loadProgress(root: string): Promise<LoadedProgress> {
  const empty = (): Progress => ({ version: 1, katas: {} });
  let text: string;
  try {
    text = await Deno.readTextFile(progressPath(root));
  } catch {
    // Missing, or something in the way (a folder): saveProgress reports what blocks it.
    return { progress: empty() };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { progress: empty(), problem: "it is not JSON" };
  }
  const p = json as { version?: unknown; katas?: unknown };
  if (!isRecord(p) || p.version !== 1 || !isRecord(p.katas)) {
    return { progress: empty(), problem: "it is not a version 1 progress file" };
  }
  const progress = empty();
  const dropped: string[] = [];
  for (const [id, entry] of Object.entries(p.katas)) {
    if (/^\d\d$/.test(id) && isEntry(entry)) progress.katas[id] = entry;
    else dropped.push(id);
  }
  return dropped.length
    ? { progress, problem: `entries of the wrong shape: ${dropped.join(", ")}` }
    : { progress };
}

/**
 * Writes `root/.katagrad/progress.json` (creating `.katagrad/`).
 *
 * @param root the repository root
 * @param progress the progress to store
 * @returns when written
 * @throws {Error} naming the path and what is in the way, e.g. `.katagrad is a file, not a folder`
 */
export async function saveProgress(root: string, progress: Progress): Promise<void> {
  const dir = join(root, ".katagrad");
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(progressPath(root), JSON.stringify(progress, null, 2) + "\n");
  } catch (e) {
    const why = (await kindOf(dir)) === "file"
      ? ".katagrad is a file, not a folder (remove it to keep your progress)"
      : (await kindOf(progressPath(root))) === "folder"
      ? ".katagrad/progress.json is a folder, not a file (remove it to keep your progress)"
      : (e as Error).message;
    throw new Error(`Cannot save your progress to .katagrad/progress.json: ${why}`);
  }
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

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isEntry(x: unknown): x is KataProgress {
  if (!isRecord(x)) return false;
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return ["passed", "failing", "not started"].includes(x.status as string) &&
    count(x.passed) && count(x.total) && typeof x.fingerprint === "string" &&
    typeof x.at === "string";
}

async function kindOf(path: string): Promise<"file" | "folder" | "none"> {
  try {
    return (await Deno.stat(path)).isDirectory ? "folder" : "file";
  } catch {
    return "none";
  }
}

function progressPath(root: string): string {
  return join(root, ".katagrad", "progress.json");
}
