/**
 * Test helper: copies the fixture repository into a temporary folder, at the
 * same depth below a copy of `katas/_lib/todo.ts`, so the fixture's relative
 * imports still resolve and tests can break it freely.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const LIB = fileURLToPath(new URL("..", import.meta.url));

/**
 * Copies the fixture.
 *
 * @returns the copy's root (`<tmp>/katas/_lib/testdata/fixture`) and a cleanup function
 */
export async function copyFixture(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const tmp = await Deno.makeTempDir({ prefix: "katagrad_fixture_" });
  const lib = join(tmp, "katas", "_lib");
  await copyTree(join(LIB, "testdata", "fixture"), join(lib, "testdata", "fixture"));
  await Deno.copyFile(join(LIB, "todo.ts"), join(lib, "todo.ts"));
  return {
    root: join(lib, "testdata", "fixture"),
    cleanup: () => Deno.remove(tmp, { recursive: true }),
  };
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.name === ".katagrad") continue;
    const src = join(from, e.name), dst = join(to, e.name);
    if (e.isDirectory) await copyTree(src, dst);
    else {
      await Deno.mkdir(dirname(dst), { recursive: true });
      await Deno.copyFile(src, dst);
    }
  }
}
