/**
 * Type-checks files with one `deno check` run and attributes each error to the
 * file it is in.
 *
 * @module
 */

import { pathToFileURL } from "node:url";

/**
 * Type-checks `files` together.
 *
 * @param files absolute paths
 * @param config the config file, or `null` for none
 * @param importMap an import map to resolve with, if any
 * @returns file → the first line of each of its errors (files without errors are absent);
 *   errors in no listed file go under `""`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { typeErrors } from "./typecheck.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/bad.ts`, 'export const x: number = "1";\n');
 * const errors = await typeErrors([`${dir}/bad.ts`], null);
 * equal(errors.get(`${dir}/bad.ts`)?.[0].startsWith("TS2322"), true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function typeErrors(
  files: readonly string[],
  config: string | null,
  importMap?: string,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (files.length === 0) return out;
  const args = ["check", "--quiet", config === null ? "--no-config" : `--config=${config}`];
  if (importMap !== undefined) args.push(`--import-map=${importMap}`);
  const run = await new Deno.Command(Deno.execPath(), {
    args: [...args, ...files],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (run.success) return out;
  const text = new TextDecoder().decode(run.stderr);
  // Each error: "TS2322 [ERROR]: message", source lines, then "    at file:///…:line:col".
  const blocks = text.split(/\n(?=TS\d+ \[ERROR\]|error: )/);
  const urls = new Map(files.map((f) => [pathToFileURL(f).href, f]));
  for (const block of blocks) {
    const head = block.trim().split("\n")[0];
    if (!/^TS\d+|^error: /.test(head) || /^error: Type checking failed/.test(head)) continue;
    const at = block.match(/at (file:\/\/\S+?):\d+:\d+/)?.[1];
    const file = at !== undefined ? urls.get(at) ?? "" : "";
    out.set(file, [...out.get(file) ?? [], head.replace(" [ERROR]", "")]);
  }
  if (out.size === 0) out.set("", [text.trim().split("\n")[0]]);
  return out;
}
