/**
 * Runs git for the kata tools, telling "git is not installed" apart from "git
 * said no".
 *
 * @module
 */

/** What a git command produced. */
export interface GitOutput {
  /** The exit code. */
  code: number;
  /** Its standard output. */
  stdout: string;
  /** Its standard error, trimmed. */
  stderr: string;
}

/**
 * Runs `git args…` in `cwd`.
 *
 * @param args the git arguments
 * @param cwd the working directory
 * @param env extra environment variables
 * @returns the output, or `null` when git is not on PATH
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { git } from "./git.ts";
 * const out = await git(["--version"], ".");
 * ok(out === null || out.stdout.startsWith("git version"));
 * ```
 */
export async function git(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<GitOutput | null> {
  try {
    const out = await new Deno.Command("git", {
      args: [...args],
      cwd,
      env: { LC_ALL: "C", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr).trim(),
    };
  } catch (e) {
    // Deno reports a missing program and a missing cwd alike.
    if (e instanceof Deno.errors.NotFound && await isDirectory(cwd)) return null;
    throw e;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
