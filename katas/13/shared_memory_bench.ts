/**
 * Kata 13 benchmark, steps 13.6–13.8: your workgroup-memory kernels beside the reference
 * solution's and the library's kernel for the same op — a sum over blocks (kernels/reduce.ts),
 * prefix sums of rows (kernels/scan.ts, `cumsum`) and a softmax of rows (kernels/softmax.ts) —
 * in GB/s. The workgroup size is the library's for row kernels on this adapter (16 on a software
 * one, 256 on a GPU). Run `deno bench -A katas/13/shared_memory_bench.ts`.
 *
 * @module
 */

import { rowThreads } from "../../kernels/launch.ts";
import { reduceLaunch } from "../../kernels/reduce.ts";
import { scanBlocksLaunch } from "../../kernels/scan.ts";
import { softmaxLaunch } from "../../kernels/softmax.ts";
import { benchKernels, isFallback } from "./_timing.ts";
import { blockSumCase, prefixSumCase, Rng, softmaxCase } from "./_steps.ts";
import * as yours from "./shared_memory.ts";
import * as reference from "../../solutions/13/shared_memory.ts";

const WG = rowThreads(isFallback);
const N = isFallback ? 1 << 18 : 1 << 24; // floats summed
const ROWS = isFallback ? 256 : 8192, COLS = 1024; // the row kernels' matrix
const x = new Rng(13).floats(Math.max(N, ROWS * COLS));
const fmt = (n: number) => n.toLocaleString("en-US");

await benchKernels([
  {
    name: `13.6 block sums, n = ${fmt(N)}, blocks of ${WG}`,
    unit: "GB/s",
    amount: 4 * N,
    yours: () => blockSumCase(yours.blockSumWGSL(WG), WG, N, new Rng(6)).run,
    reference: () => blockSumCase(reference.blockSumWGSL(WG), WG, N, new Rng(6)).run,
    library: {
      what: `sum over the last dim of (${fmt(N / WG)}, ${WG})`,
      launch: reduceLaunch("sum", { outer: N / WG, len: WG, inner: 1, threads: WG }),
      buffers: [x.subarray(0, N), new Float32Array(N / WG)],
    },
  },
  {
    name: `13.7 prefix sums of rows, ${ROWS}×${COLS}`,
    unit: "GB/s",
    amount: 8 * ROWS * COLS,
    yours: () => prefixSumCase(yours.prefixSumWGSL(WG), WG, ROWS, COLS, new Rng(7)).run,
    reference: () => prefixSumCase(reference.prefixSumWGSL(WG), WG, ROWS, COLS, new Rng(7)).run,
    library: {
      what: "cumsum over the last dim",
      launch: scanBlocksLaunch("sum", "f32", {
        outer: ROWS,
        n: COLS,
        inner: 1,
        xOffset: 0,
        outOffset: 0,
      }),
      buffers: [x.subarray(0, ROWS * COLS), new Float32Array(ROWS * COLS), new Float32Array(ROWS)],
    },
  },
  {
    name: `13.8 softmax of rows, ${ROWS}×${COLS}`,
    unit: "GB/s",
    amount: 8 * ROWS * COLS,
    yours: () => softmaxCase(yours.softmaxWGSL(WG), WG, ROWS, COLS, new Rng(8)).run,
    reference: () => softmaxCase(reference.softmaxWGSL(WG), WG, ROWS, COLS, new Rng(8)).run,
    library: {
      what: "F.softmax over the last dim",
      launch: softmaxLaunch("softmax", { rows: ROWS, cols: COLS, threads: WG }),
      buffers: [x.subarray(0, ROWS * COLS), new Float32Array(ROWS * COLS)],
    },
  },
]);
