/**
 * Kata 13 benchmark, steps 13.1–13.5: your elementwise kernels beside the reference solution's
 * and the library's strided elementwise kernel (kernels/strided.ts) doing the same op, in GB/s.
 * Run `deno bench -A katas/13/elementwise_bench.ts`.
 *
 * @module
 */

import { stridedLaunch } from "../../kernels/strided.ts";
import { benchKernels, isFallback } from "./_timing.ts";
import { broadcastCase, guardCase, mapCase, Rng, transposeCase, zipCase } from "./_steps.ts";
import * as yours from "./elementwise.ts";
import * as reference from "../../solutions/13/elementwise.ts";

const N = isFallback ? 1 << 18 : 1 << 24; // floats of the 1-d ops
const S = isFallback ? 512 : 4096; // side of the 2-d ops
const WG = 256, GRID: [number, number] = [16, 16];
const rng = new Rng(13);
const a = rng.floats(N), b = rng.floats(N), row = rng.floats(S), col = rng.floats(S);
const ten = new Float32Array([10]);
const flat = (...strides: number[]) => ({ strides, offset: 0 });
const fmt = (n: number) => n.toLocaleString("en-US");

await benchKernels([
  {
    name: `13.1 map, n = ${fmt(N)}`,
    unit: "GB/s",
    amount: 8 * N,
    yours: () => mapCase(yours.mapWGSL(WG), WG, N / WG, new Rng(1)).run,
    reference: () => mapCase(reference.mapWGSL(WG), WG, N / WG, new Rng(1)).run,
    library: {
      what: "x + 10, a broadcast scalar",
      launch: stridedLaunch("add", [N], [flat(1), flat(0)], flat(1)),
      buffers: [a, ten, new Float32Array(N)],
    },
  },
  {
    name: `13.2 zip, n = ${fmt(N)}`,
    unit: "GB/s",
    amount: 12 * N,
    yours: () => zipCase(yours.zipWGSL(WG), WG, N / WG, new Rng(2)).run,
    reference: () => zipCase(reference.zipWGSL(WG), WG, N / WG, new Rng(2)).run,
    library: {
      what: "a + b",
      launch: stridedLaunch("add", [N], [flat(1), flat(1)], flat(1)),
      buffers: [a, b, new Float32Array(N)],
    },
  },
  {
    name: `13.3 guards, n = ${fmt(N - 3)}`,
    unit: "GB/s",
    amount: 8 * (N - 3),
    yours: () => guardCase(yours.guardWGSL(WG), WG, N - 3, new Rng(3)).run,
    reference: () => guardCase(reference.guardWGSL(WG), WG, N - 3, new Rng(3)).run,
    library: {
      what: "x + 10, a broadcast scalar",
      launch: stridedLaunch("add", [N - 3], [flat(1), flat(0)], flat(1)),
      buffers: [a, ten, new Float32Array(N)],
    },
  },
  {
    name: `13.4 transpose, ${S}×${S}`,
    unit: "GB/s",
    amount: 8 * S * S,
    yours: () => transposeCase(yours.transposeWGSL(GRID), GRID, S, S, new Rng(4)).run,
    reference: () => transposeCase(reference.transposeWGSL(GRID), GRID, S, S, new Rng(4)).run,
    library: {
      what: "contiguous() of a transposed view",
      launch: stridedLaunch("copy", [S, S], [flat(1, S)], flat(S, 1)),
      buffers: [rng.floats(S * S), new Float32Array(S * S)],
    },
  },
  {
    name: `13.5 broadcast, ${S}×${S}`,
    unit: "GB/s",
    amount: 4 * S * S,
    yours: () => broadcastCase(yours.broadcastWGSL(GRID), GRID, S, S, new Rng(5)).run,
    reference: () => broadcastCase(reference.broadcastWGSL(GRID), GRID, S, S, new Rng(5)).run,
    library: {
      what: "column + row",
      launch: stridedLaunch("add", [S, S], [flat(1, 0), flat(0, 1)], flat(S, 1)),
      buffers: [col, row, new Float32Array(S * S)],
    },
  },
]);
