/**
 * Writing a file so that a crash never leaves a half-written file under its
 * real name, and so that what the user has is kept: a temporary file is
 * written beside the target, synced, and renamed over it — through a symlink
 * (the link stays), keeping the old file's mode, never over a write-protected
 * file. Errors name the target, not the hidden temporary file.
 *
 * @module
 */

import { basename, dirname, isAbsolute, join } from "node:path";
import { cleanStaleTemps, doneWith, tempName } from "./temp_files.ts";

/**
 * The file-system calls `writeFileAtomic` makes for the data; tests replace
 * them to simulate a read-only file system or a full disk.
 */
export interface AtomicWriteFs {
  /** Opens (creates) the temporary file. */
  open(path: string, options: Deno.OpenOptions): Promise<Deno.FsFile>;
  /** Writes some of `chunk`, returning how many bytes were written. */
  write(file: Deno.FsFile, chunk: Uint8Array): Promise<number>;
  /** Renames the temporary file over the target. */
  rename(from: string, to: string): Promise<void>;
}

const realFs: AtomicWriteFs = {
  open: (path, options) => Deno.open(path, options),
  write: (file, chunk) => file.write(chunk),
  rename: (from, to) => Deno.rename(from, to),
};

/**
 * Writes `bytes` to `path` atomically. A temporary file
 * (`.<name>.katagrad-tmp-<pid>-<random>`, in the same directory so the rename
 * stays on one file system) is written and synced, then renamed over the
 * target. On any failure the temporary file is removed and the target is left
 * as it was. Besides:
 * - a symlink is written through: its target gets the new content, the link stays;
 * - an existing file keeps its mode (permission bits);
 * - a write-protected file (no write permission for this user; for root, no
 *   write bit at all, as after `chmod 444`) is refused, not replaced;
 * - temporary files of the same target left by a killed write are removed first.
 *
 * @param path the destination
 * @param bytes the content
 * @param fs the data's file-system calls (tests only)
 * @returns nothing once the file is in place
 * @throws {TypeError} when `path` is empty or not a string
 * @throws {Deno.errors.PermissionDenied} for a write-protected file or directory
 * @throws {Deno.errors.NotFound} when the directory does not exist
 * @throws {Deno.errors.IsADirectory} when `path` is a directory
 * @throws {Error} with `code` `"EROFS"`, `"ENOSPC"`, … for other file-system
 *   failures; every message starts `Cannot write <path>:`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { writeFileAtomic } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.bin`, new Uint8Array([1, 2, 3]));
 * equal((await Deno.readFile(`${dir}/a.bin`)).length, 3);
 * equal([...Deno.readDirSync(dir)].length, 1); // no temporary file left
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  fs: AtomicWriteFs = realFs,
): Promise<void> {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `Cannot write file: path is ${JSON.stringify(path) ?? String(path)}: expected a file path`,
    );
  }
  const target = await resolveSymlinks(path);
  const dir = dirname(target), name = basename(target);
  const existing = await statOrNull(target, path);
  if (existing?.isDirectory) {
    throw new Deno.errors.IsADirectory(`Cannot write ${path}: it is a directory`);
  }
  if (existing && writeProtected(existing) && !(await probeWritable(target))) {
    const mode = existing.mode === null ? "" : ` (mode ${octal(existing.mode)})`;
    throw new Deno.errors.PermissionDenied(
      `Cannot write ${path}: the file is write-protected${mode}; make it writable ` +
        `(chmod u+w ${path}) or choose another path`,
    );
  }
  await cleanStaleTemps(dir, name);
  const tmpName = tempName(name), tmp = join(dir, tmpName);
  try {
    const file = await fs.open(tmp, { write: true, createNew: true });
    try {
      if (existing?.mode != null) await Deno.chmod(tmp, existing.mode & 0o7777);
      let written = 0;
      while (written < bytes.length) written += await fs.write(file, bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw describeFailure(e, path, dir, tmp);
  } finally {
    doneWith(tmpName);
  }
}

/** Follows symlinks (relative ones from their own directory) to the file they name, existing or not. */
async function resolveSymlinks(path: string): Promise<string> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(p);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return p;
      throw describeFailure(e, path, dirname(p), p);
    }
    if (!info.isSymlink) return p;
    const link = await Deno.readLink(p);
    p = isAbsolute(link) ? link : join(dirname(p), link);
  }
  throw Object.assign(new Error(`Cannot write ${path}: too many levels of symbolic links`), {
    code: "ELOOP",
  });
}

async function statOrNull(target: string, path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(target);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw describeFailure(e, path, dirname(target), target);
  }
}

/**
 * Whether the mode bits deny this user writing: the owner bit for the owner,
 * the group bit for the group, else the other bit; root is refused only when
 * no write bit is set at all. Without `--allow-sys` (no uid) the owner bit
 * decides; without mode bits (Windows) nothing is write-protected here.
 */
function writeProtected(info: Deno.FileInfo): boolean {
  const mode = info.mode, uid = userId();
  if (mode === null) return false;
  if (uid === undefined) return (mode & 0o200) === 0;
  if (uid === null) return false;
  if (uid === 0) return (mode & 0o222) === 0;
  if (uid === info.uid) return (mode & 0o200) === 0;
  if (groupId() === info.gid) return (mode & 0o020) === 0;
  return (mode & 0o002) === 0;
}

/**
 * Asks the OS whether the file opens for writing (group memberships and ACLs
 * the mode bits do not show). Only for a known non-root user: the OS lets root
 * write anything.
 */
async function probeWritable(target: string): Promise<boolean> {
  const uid = userId();
  if (uid === undefined || uid === 0) return false;
  try {
    (await Deno.open(target, { write: true })).close();
    return true;
  } catch {
    return false;
  }
}

/** This process's uid; `null` where the OS has none (Windows), `undefined` without `--allow-sys`. */
function userId(): number | null | undefined {
  try {
    return Deno.uid();
  } catch {
    return undefined;
  }
}

function groupId(): number | null | undefined {
  try {
    return Deno.gid();
  } catch {
    return undefined;
  }
}

/** Rewrites a file-system error to name `path` (the target), with a hint where one helps. */
function describeFailure(e: unknown, path: string, dir: string, tmp: string): unknown {
  if (!(e instanceof Error)) return e;
  const code = (e as { code?: string }).code;
  let why: string;
  switch (code) {
    case "ENOENT":
      why = `the directory ${dir} does not exist`;
      break;
    case "EACCES":
    case "EPERM":
      why = `permission denied (cannot create a file in ${dir})`;
      break;
    case "EROFS":
      why = `the file system is read-only; ${path} was left unchanged`;
      break;
    case "ENOSPC":
    case "EDQUOT":
      why = `no space left on the device (${code}); ${path} was left unchanged, ` +
        `free some space or choose another path`;
      break;
    default:
      why = e.message.split(tmp).join(path);
  }
  const Class = e.constructor as new (message: string, options?: ErrorOptions) => Error;
  const out = new Class(`Cannot write ${path}: ${why}`, { cause: e });
  if (code !== undefined) Object.assign(out, { code });
  return out;
}

function octal(mode: number): string {
  return "0" + (mode & 0o7777).toString(8).padStart(3, "0");
}
