import { deepEqual } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { sortKernel } from "./sort.ts";

Deno.test("sortKernel: the float64-key path and the comparator path give the same stable order", () => {
  const g = new Generator(11);
  const specials = [NaN, -0, 0, Infinity, -Infinity, 2 ** 24, -(2 ** 24), 1e-30, -1e-30];
  for (const isFloat of [true, false]) {
    const n = 257, rows = 3;
    const raw = g.uniform(rows * n);
    const x = isFloat
      ? Float32Array.from(
        raw,
        (v, i) => i % 29 < specials.length ? specials[i % 29] : Math.round(v * 8) - 4,
      )
      : Int32Array.from(
        raw,
        (v, i) =>
          i % 31 === 0 ? 2 ** 31 - 1 - i : Math.round(v * 8) - 4 - (i % 37 === 0 ? 2 ** 31 - 5 : 0),
      );
    for (const descending of [false, true]) {
      const run = (maxKeyed: number) => {
        const v = isFloat ? new Float32Array(rows * 100) : new Int32Array(rows * 100);
        const i = new Int32Array(rows * 100);
        sortKernel(x, 0, rows, n, 100, descending, v, 0, i, 0, maxKeyed);
        return [Array.from(v, (e) => Object.is(e, -0) ? "-0" : e), [...i]];
      };
      deepEqual(run(2 ** 21), run(0), `${isFloat ? "float" : "int"} descending ${descending}`);
    }
  }
});
