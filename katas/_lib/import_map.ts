/**
 * The import maps that swap kata files: `--import-map` replaces the config
 * file's `"imports"` (Deno 2.9.6 does not merge them), so a generated map holds
 * the config's `"imports"` and `"scopes"` (relative targets made absolute) plus
 * one entry per swapped file, `file:///…/katas/01/value.ts` →
 * `file:///…/solutions/01/value.ts` (config aliases that point at a swapped file
 * are redirected too). Every import that resolves to the stub's URL, from tests
 * or from other files, then loads the replacement.
 *
 * An overlay is a folder that mirrors the file system for a few files (the stubs
 * as committed, a patched copy of a solution): `/repo/katas/01/value.ts` is
 * written as `<overlay>/repo/katas/01/value.ts`, and `file:///<overlay>/` maps
 * to `file:///`, so an overlay file's relative imports (`../_lib/todo.ts`,
 * `../../mod.ts`) load the real files, while the files present in the overlay
 * map to themselves.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";

/** An import map as `--import-map` reads it. */
export interface ImportMap {
  /** Specifier or URL prefix → target. */
  imports: Record<string, string>;
  /** Scope URL → its own imports. */
  scopes: Record<string, Record<string, string>>;
}

/** How to build a map. */
export interface MapOptions {
  /** Absolute path → absolute path of the file to load in its place. */
  replace?: ReadonlyMap<string, string>;
  /** Folders that mirror the file system for the files they hold (absolute paths). */
  overlays?: readonly string[];
}

/**
 * Builds an import map: the config's `"imports"` and `"scopes"` with relative
 * targets resolved against the config's folder, the overlays, and one entry per
 * replaced file; aliases whose target is a replaced file point at its replacement.
 *
 * @param config the config file path, or `null` for none
 * @param opts the swaps and overlays
 * @returns the import map object
 * @throws {SyntaxError} when the config is not JSON
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { importMapWith } from "./import_map.ts";
 * const replace = new Map([["/r/katas/01/a.ts", "/r/solutions/01/a.ts"]]);
 * const map = await importMapWith(null, { replace });
 * deepEqual(map.imports, { "file:///r/katas/01/a.ts": "file:///r/solutions/01/a.ts" });
 * ```
 */
export async function importMapWith(config: string | null, opts: MapOptions): Promise<ImportMap> {
  const imports: Record<string, string> = {};
  const scopes: Record<string, Record<string, string>> = {};
  if (config !== null) {
    let json = JSON.parse(stripJsonComments(await Deno.readTextFile(config)));
    let base = pathToFileURL(dirname(config)).href + "/";
    if (typeof json.importMap === "string") {
      const mapUrl = new URL(json.importMap, base);
      json = JSON.parse(await Deno.readTextFile(mapUrl));
      base = mapUrl.href;
    }
    for (const [k, v] of Object.entries(json.imports ?? {})) {
      imports[absolute(k, base)] = absolute(String(v), base);
    }
    for (const [scope, entries] of Object.entries(json.scopes ?? {})) {
      const s: Record<string, string> = {};
      for (const [k, v] of Object.entries(entries as Record<string, string>)) {
        s[absolute(k, base)] = absolute(String(v), base);
      }
      scopes[absolute(scope, base)] = s;
    }
  }
  const swaps = new Map(
    [...(opts.replace ?? [])].map(([f, t]) => [pathToFileURL(f).href, pathToFileURL(t).href]),
  );
  // Import maps do not chain: an alias whose target is a swapped file must point at the swap.
  for (const table of [imports, ...Object.values(scopes)]) {
    for (const [k, v] of Object.entries(table)) table[k] = swaps.get(v) ?? v;
  }
  for (const dir of opts.overlays ?? []) {
    imports[pathToFileURL(dir).href + "/"] = "file:///";
    for (const f of await filesUnder(dir)) imports[pathToFileURL(f).href] = pathToFileURL(f).href;
  }
  for (const [from, to] of swaps) imports[from] = to;
  return { imports, scopes };
}

/**
 * Writes {@link importMapWith}'s map as JSON.
 *
 * @param path where to write it
 * @param config the config file path, or `null` for none
 * @param opts the swaps and overlays
 * @returns when written
 */
export async function writeImportMap(
  path: string,
  config: string | null,
  opts: MapOptions,
): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(await importMapWith(config, opts), null, 2));
}

/**
 * Where a file goes in an overlay: its absolute path below the overlay folder.
 *
 * @param overlay the overlay folder
 * @param path an absolute path
 * @returns the path inside the overlay
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { inOverlay } from "./import_map.ts";
 * equal(inOverlay("/tmp/o", "/repo/katas/01/value.ts"), "/tmp/o/repo/katas/01/value.ts");
 * ```
 */
export function inOverlay(overlay: string, path: string): string {
  return join(overlay, path);
}

/**
 * Every file below a folder, as absolute paths (symlinks are not followed).
 *
 * @param dir an absolute folder path
 * @returns the files, sorted
 */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesUnder(p));
    else if (e.isFile) out.push(p);
  }
  return out.sort((a, b) => relative(dir, a).localeCompare(relative(dir, b)));
}

function absolute(k: string, base: string): string {
  return /^\.{0,2}\//.test(k) ? new URL(k, base).href : k;
}

function stripJsonComments(s: string): string {
  return s.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? "");
}
