/**
 * Where katagrad caches downloads: the per-user cache directory of each OS.
 *
 * @module
 */

import { join } from "node:path";

/**
 * The per-user cache directory for katagrad's downloads:
 * `$XDG_CACHE_HOME/katagrad` or `~/.cache/katagrad` (Linux and others),
 * `~/Library/Caches/katagrad` (macOS), `%LOCALAPPDATA%\katagrad` (Windows).
 *
 * @returns the directory, or `undefined` when no home or cache variable can be read
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { userCacheDir } from "./cache_dir.ts";
 * const dir = userCacheDir();
 * ok(dir === undefined || dir.endsWith("katagrad"));
 * ```
 */
export function userCacheDir(): string | undefined {
  const os = Deno.build.os;
  if (os === "windows") {
    const local = env("LOCALAPPDATA");
    return local ? join(local, "katagrad") : undefined;
  }
  const home = env("HOME");
  if (os === "darwin") return home ? join(home, "Library", "Caches", "katagrad") : undefined;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "katagrad");
  return home ? join(home, ".cache", "katagrad") : undefined;
}

/**
 * An environment variable, or `undefined` when it is unset, empty or not
 * permitted (no `--allow-env`): then katagrad behaves as if it were unset.
 *
 * @param name the variable
 * @returns its value or `undefined`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { env } from "./cache_dir.ts";
 * equal(env("KATAGRAD_SURELY_UNSET_VARIABLE"), undefined);
 * ```
 */
export function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}
