/**
 * Writing a file so that a crash never leaves a half-written file under its
 * real name: write a temporary file in the same directory, flush it, rename.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/**
 * Writes `bytes` to `path` atomically: a temporary file beside it
 * (`.<name>.<random>.tmp`, same directory so the rename stays on one file
 * system) is written and synced, then renamed over `path`. On any failure the
 * temporary file is removed and `path` is left as it was.
 *
 * @param path the destination
 * @param bytes the content
 * @returns nothing once the file is in place
 * @throws {Deno.errors.NotFound} when the directory does not exist (and other
 *   file-system errors as Deno reports them)
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
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
