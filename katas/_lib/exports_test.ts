import { fileURLToPath } from "node:url";
import { deepEqual } from "node:assert/strict";
import { join } from "node:path";
import { diffExports, readExports } from "./exports.ts";

const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));

Deno.test("readExports gives names, kinds and public class members", async () => {
  const [stub, solution] = await readExports(
    [join(ROOT, "katas/90/poly.ts"), join(ROOT, "solutions/90/poly.ts")],
    null,
  );
  deepEqual(stub, solution);
  deepEqual(
    [...stub].sort(),
    [
      ["Coefs", "typeAlias"],
      ["MAX_DEGREE", "const"],
      ["Poly", "class { coefs, derivative, evaluate }"],
      ["square", "function"],
    ],
  );
});

Deno.test("diffExports reports missing members, changed kinds and extra names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const other = join(dir, "poly.ts");
    await Deno.writeTextFile(
      other,
      "export type Coefs = number[];\nexport let MAX_DEGREE = 3;\n" +
        "export class Poly { coefs: number[] = []; evaluate() { return 0; } }\n" +
        "export const square = 2;\nexport function extra() {}\n",
    );
    const [stub, mine] = await readExports([join(ROOT, "katas/90/poly.ts"), other], null);
    deepEqual(diffExports(stub, mine), [
      "MAX_DEGREE: const in the stub, let here",
      "Poly: class { coefs, derivative, evaluate } in the stub, class { coefs, evaluate } here",
      "square: function in the stub, const here",
      "extra: exported here only",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
