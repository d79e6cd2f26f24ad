/**
 * The architecture, checked on the source: device-specific code lives only in the backends
 * (core/cpu/, core/webgpu/), the kernels and the device registry; the library never imports
 * from bench/; test harnesses stay out of what the library imports.
 */

import { deepEqual } from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** Every .ts file under `dir` (relative to the repository), tests included or not. */
async function sources(dir: string, tests: boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(new URL(rel, ROOT))) {
      const path = `${rel}${e.name}`;
      if (e.isDirectory) await walk(`${path}/`);
      else if (e.name.endsWith(".ts") && (tests || !e.name.endsWith("_test.ts"))) out.push(path);
    }
  };
  await walk(dir);
  return out.sort();
}

const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));

/** Test harness files (left out of the published package, see deno.json). */
const HARNESS = ["core/testing/", "core/webgpu/test_util.ts", "core/webgpu/matmul_check.ts"];

Deno.test("no op, layer or optimizer branches on the device (only the backends and the registry)", async () => {
  const allowed = ["core/cpu/", "core/webgpu/", "core/device.ts", "core/testing/"];
  const branch =
    /\.device\s*(===|!==)\s*["'](cpu|webgpu)["']|device\s*(===|!==)\s*["'](cpu|webgpu)["']/;
  const offenders: string[] = [];
  for (const path of await sources("core/", false)) {
    if (allowed.some((a) => path.startsWith(a))) continue;
    const lines = (await read(path)).split("\n");
    lines.forEach((line, i) => {
      if (branch.test(line) && !line.trimStart().startsWith("*")) {
        offenders.push(`${path}:${i + 1}`);
      }
    });
  }
  deepEqual(offenders, [], "device branches outside the backends");
});

Deno.test("the library never imports from bench/ or from test harnesses", async () => {
  const offenders: string[] = [];
  for (const path of [...await sources("core/", false), ...await sources("kernels/", false)]) {
    if (HARNESS.some((h) => path.startsWith(h))) continue;
    const text = await read(path);
    for (const m of text.matchAll(/^import[^;]*from\s+"([^"]+)"/gm)) {
      const spec = m[1];
      if (spec.includes("bench/") || spec.includes("/testing/") || spec.endsWith("test_util.ts")) {
        offenders.push(`${path} imports ${spec}`);
      }
    }
  }
  deepEqual(offenders, []);
});

Deno.test("every Backend method is implemented by both backends (none is optional)", async () => {
  const iface = await read("core/backend.ts");
  const body = iface.slice(iface.indexOf("export interface Backend {"));
  const block = body.slice(0, body.indexOf("\n}\n"));
  const optional = [...block.matchAll(/^\s{2}(\w+)\?\(/gm)].map((m) => m[1]);
  deepEqual(optional, [], "optional Backend methods");
});
