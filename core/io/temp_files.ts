/**
 * The temporary files of `writeFileAtomic`: a recognisable name per target
 * and process (`.<name>.katagrad-tmp-<pid>-<random>`), and the clean-up of the
 * ones a killed write left behind.
 *
 * @module
 */

import { join } from "node:path";

/** Temporary files this process is writing now (never stale). */
const inFlight = new Set<string>();

/** Temporary files older than this are stale whatever their process. */
const MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * A fresh temporary name for `name`, registered as being written until
 * {@link doneWith} (or a later clean-up) releases it.
 *
 * @param name the target's file name
 * @returns `.<name>.katagrad-tmp-<pid>-<8 hex digits>`
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * import { tempName } from "./temp_files.ts";
 * match(tempName("model.safetensors"), /^\.model\.safetensors\.katagrad-tmp-\d+-[0-9a-f]{8}$/);
 * ```
 */
export function tempName(name: string): string {
  const rand = Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
  const tmp = `.${name}.katagrad-tmp-${Deno.pid}-${rand}`;
  inFlight.add(tmp);
  return tmp;
}

/**
 * Releases a name from {@link tempName} once its write has ended.
 *
 * @param tmp the temporary file name
 */
export function doneWith(tmp: string): void {
  inFlight.delete(tmp);
}

/**
 * Removes the stale temporary files of target `name` in `dir`: those of this
 * process that no write of it is using, those of processes that no longer run,
 * those older than a day, and those of katagrad's earlier naming
 * (`.<name>.<8 hex>.tmp`). Files of other targets are never touched. Best
 * effort: a file that cannot be removed is left.
 *
 * @param dir the target's directory
 * @param name the target's file name
 * @returns the names removed
 */
export async function cleanStaleTemps(dir: string, name: string): Promise<string[]> {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const ours = new RegExp(`^\\.${esc}\\.katagrad-tmp-(\\d+)-[0-9a-f]{8}$`);
  const legacy = new RegExp(`^\\.${esc}\\.[0-9a-f]{8}\\.tmp$`);
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return removed; // the write reports a missing or unreadable directory itself
  }
  for (const e of entries) {
    if (!e.isFile) continue;
    const m = ours.exec(e.name);
    if (!m && !legacy.test(e.name)) continue;
    if (m && !(await isStale(join(dir, e.name), e.name, Number(m[1])))) continue;
    try {
      await Deno.remove(join(dir, e.name));
      removed.push(e.name);
    } catch {
      // another process may have just renamed or removed it
    }
  }
  return removed;
}

async function isStale(path: string, name: string, pid: number): Promise<boolean> {
  if (inFlight.has(name)) return false;
  if (pid === Deno.pid) return true; // ours, and no write of ours is using it
  try {
    const { mtime } = await Deno.stat(path);
    if (mtime && Date.now() - mtime.getTime() > MAX_AGE_MS) return true;
  } catch {
    return false;
  }
  return !processRuns(pid);
}

/** Whether a process with this id runs (Linux: /proc; elsewhere unknown, so assumed running). */
function processRuns(pid: number): boolean {
  try {
    Deno.statSync("/proc/self");
  } catch {
    return true;
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
