/**
 * Compares what two modules export, by name and kind (and, for classes and
 * interfaces, their public members), using `deno doc --json`.
 *
 * @module
 */

import { pathToFileURL } from "node:url";

/** Exported name → its shape, e.g. `"class { add, backward, data, static of }"`. */
export type ExportShape = Map<string, string>;

/**
 * Reads the exports of several files with one `deno doc --json` run.
 *
 * @param files absolute paths
 * @param config the config file for resolving bare imports, or `null` for none
 * @param importMap an import map to resolve with instead of the config's imports
 * @returns one shape map per file, in the same order
 * @throws {Error} when `deno doc` fails (a syntax error, an unresolvable import)
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { readExports } from "./exports.ts";
 * const root = new URL("./testdata/fixture", import.meta.url).pathname;
 * const [stub] = await readExports([`${root}/katas/90/poly.ts`], null);
 * equal(stub.get("Poly"), "class { coefs, derivative, evaluate }");
 * ```
 */
export async function readExports(
  files: readonly string[],
  config: string | null,
  importMap?: string,
): Promise<ExportShape[]> {
  const args = ["doc", "--json", config === null ? "--no-config" : `--config=${config}`];
  if (importMap !== undefined) args.push(`--import-map=${importMap}`);
  args.push(...files);
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `Cannot read the exports of ${files.join(", ")}: deno doc failed\n` +
        new TextDecoder().decode(out.stderr),
    );
  }
  const doc = JSON.parse(new TextDecoder().decode(out.stdout));
  return files.map((f) => shapesOf(doc.nodes?.[pathToFileURL(f).href]?.symbols ?? []));
}

/**
 * Lists the differences between two export maps.
 *
 * @param stub the stub's exports
 * @param solution the other file's exports
 * @returns human-readable differences, by name; empty when they match
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { diffExports } from "./exports.ts";
 * const a = new Map([["f", "function"], ["C", "class { m }"]]);
 * const b = new Map([["f", "const"], ["C", "class { m }"], ["g", "function"]]);
 * deepEqual(diffExports(a, b), ["f: function in the stub, const here", "g: exported here only"]);
 * ```
 */
export function diffExports(stub: ExportShape, solution: ExportShape): string[] {
  const out: string[] = [];
  for (const name of [...stub.keys()].sort()) {
    const shape = stub.get(name)!;
    const other = solution.get(name);
    if (other === undefined) out.push(`${name}: missing here`);
    else if (other !== shape) out.push(`${name}: ${shape} in the stub, ${other} here`);
  }
  for (const name of [...solution.keys()].sort()) {
    if (!stub.has(name)) out.push(`${name}: exported here only`);
  }
  return out;
}

// deno doc's JSON is loosely typed here on purpose: we read a handful of fields.
// deno-lint-ignore no-explicit-any
type Json = any;

function shapesOf(symbols: Json[]): ExportShape {
  const out: ExportShape = new Map();
  for (const s of symbols) {
    const decls = (s.declarations ?? []).filter((d: Json) => d.declarationKind === "export");
    if (decls.length === 0) continue;
    const kinds = [...new Set(decls.map(kindOf))].sort();
    const members = decls.flatMap(membersOf);
    const shape = kinds.join(" & ") +
      (members.length ? ` { ${[...new Set(members)].sort().join(", ")} }` : "");
    out.set(s.name, shape);
  }
  return out;
}

function kindOf(d: Json): string {
  return d.kind === "variable" ? String(d.def?.kind ?? "variable") : String(d.kind);
}

function membersOf(d: Json): string[] {
  const def = d.def ?? {};
  const pub = (m: Json) => m.accessibility !== "private" && m.accessibility !== "protected";
  if (d.kind === "class") {
    const props = (def.properties ?? []).filter(pub)
      .map((p: Json) => (p.isStatic ? "static " : "") + p.name);
    const methods = (def.methods ?? []).filter(pub).map((m: Json) =>
      (m.isStatic ? "static " : "") + (m.kind === "method" ? "" : m.kind + " ") + m.name
    );
    const params = (def.constructors ?? []).flatMap((c: Json) => c.params ?? [])
      .filter((p: Json) => p.accessibility === "public" || p.readonly)
      .map((p: Json) => String(p.name));
    return [...props, ...methods, ...params];
  }
  if (d.kind === "interface") {
    return [
      ...(def.properties ?? []).map((p: Json) => String(p.name)),
      ...(def.methods ?? []).map((m: Json) => String(m.name)),
    ];
  }
  return [];
}
