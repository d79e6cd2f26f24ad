/**
 * What kata 13's harness tells you about a kernel before it runs: the workgroup size it declares,
 * the bindings it must declare, and the lines around a compile error.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import type { KernelRun } from "./_harness.ts";

/** The binding declarations a run expects, as WGSL. */
export function bindingsWGSL(run: Pick<KernelRun, "params" | "inputs" | "output">): string {
  const fields = run.params.map(([name]) => `${name}: u32`).join(", ");
  const inputs = run.inputs.map(([name], i) =>
    `@group(0) @binding(${i + 1}) var<storage, read> ${name}: array<f32>;`
  );
  return [
    `struct Params { ${fields} }`,
    `@group(0) @binding(0) var<uniform> params: Params;`,
    ...inputs,
    `@group(0) @binding(${run.inputs.length + 1}) var<storage, read_write> ${
      run.output[0]
    }: array<f32>;`,
  ].join("\n");
}

/** Throws when the kernel's literal `@workgroup_size(…)` is not the one asked for. */
export function checkWorkgroupSize(where: string, wgsl: string, expected: readonly number[]): void {
  const m = wgsl.match(/@workgroup_size\s*\(([^)]*)\)/);
  if (m === null) {
    throw new KataAssertionError(
      `${where}: your WGSL has no @workgroup_size(…): declare ` +
        `@compute @workgroup_size(${expected.join(", ")}) before fn main`,
    );
  }
  const parts = m[1].split(",").map((s) => s.trim()).filter((s) => s !== "");
  const declared = parts.map((s) => /^\d+[ui]?$/.test(s) ? parseInt(s) : NaN);
  if (declared.some(Number.isNaN)) return; // a named constant: the compiler checks it
  while (declared.length < 3) declared.push(1);
  const want = [...expected, 1, 1, 1].slice(0, 3);
  if (declared.some((d, i) => d !== want[i])) {
    throw new KataAssertionError(
      `${where}: your kernel declares @workgroup_size(${m[1].trim()}), but this run asked for ` +
        `${expected.join(" × ")}: build the attribute from the size your function is given`,
    );
  }
}

/** Lines around `line` (1-based) of `source`, numbered, the line itself marked. */
export function sourceContext(source: string, line: number): string {
  const lines = source.split("\n");
  if (line < 1 || line > lines.length) return source.replace(/^/gm, "    ");
  const from = Math.max(1, line - 2), to = Math.min(lines.length, line + 2);
  const out: string[] = [];
  for (let i = from; i <= to; i++) {
    out.push(`  ${i === line ? ">" : " "} line ${i}: ${lines[i - 1]}`);
  }
  return out.join("\n");
}
