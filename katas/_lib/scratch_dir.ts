/**
 * A scratch folder that keeps its path from one run to the next, for the files verify writes
 * (committed stubs, patched mutants): `deno check` remembers the modules it checked by path and
 * contents, so the mutants of an unchanged kata are not type-checked again (~7 s of CPU each
 * time). One run at a time holds it; a run that finds it held works in a fresh temporary folder.
 *
 * @module
 */

import { tmpdir } from "node:os";
import { join } from "node:path";

/** A scratch folder and how to give it back. */
export interface ScratchDir {
  /** The folder, empty. */
  path: string;
  /** Empties it (the fixed folder: only its contents go) and frees it. */
  release: () => Promise<void>;
}

/**
 * Takes the fixed scratch folder of `key` when no live process holds it, else a fresh temporary
 * folder. A holder that died without releasing it (its process id is gone) does not count.
 *
 * @param key what the folder is for, e.g. the repository root
 * @param prefix the folder's name prefix
 * @returns the empty folder
 * @example
 * ```ts
 * import { equal, notEqual } from "node:assert/strict";
 * import { scratchDir } from "./scratch_dir.ts";
 * const key = `example ${crypto.randomUUID()}`;
 * const a = await scratchDir(key, "katagrad_example_");
 * const b = await scratchDir(key, "katagrad_example_"); // held by a: another folder
 * notEqual(a.path, b.path);
 * await b.release();
 * await a.release();
 * const c = await scratchDir(key, "katagrad_example_");
 * equal(c.path, a.path);
 * await c.release();
 * await Deno.remove(c.path, { recursive: true });
 * ```
 */
export async function scratchDir(key: string, prefix: string): Promise<ScratchDir> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const name = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0"));
  const fixed = join(tmpdir(), prefix + name.join(""));
  const lock = `${fixed}.lock`;
  if (await takeLock(lock)) {
    await Deno.remove(fixed, { recursive: true }).catch(() => {});
    await Deno.mkdir(fixed, { recursive: true });
    return {
      path: fixed,
      release: async () => {
        for await (const e of Deno.readDir(fixed)) {
          await Deno.remove(join(fixed, e.name), { recursive: true });
        }
        await Deno.remove(lock);
      },
    };
  }
  const path = await Deno.makeTempDir({ prefix });
  return { path, release: () => Deno.remove(path, { recursive: true }) };
}

async function takeLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = await Deno.open(lock, { createNew: true, write: true });
      await f.write(new TextEncoder().encode(String(Deno.pid)));
      f.close();
      return true;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) return false;
      const holder = Number(await Deno.readTextFile(lock).catch(() => ""));
      // A lock whose process is gone (killed mid-run) is taken over once; one being written
      // (no id yet) or held by a live process is left alone.
      if (!Number.isInteger(holder) || holder <= 0 || (await alive(holder))) return false;
      await Deno.remove(lock).catch(() => {});
    }
  }
  return false;
}

async function alive(pid: number): Promise<boolean> {
  try {
    await Deno.stat(`/proc/${pid}`);
    return true;
  } catch (e) {
    // Without /proc (not Linux) nothing tells: treat the holder as alive.
    return !(e instanceof Deno.errors.NotFound) || !(await isDir("/proc/self"));
  }
}

async function isDir(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isDirectory, () => false);
}
