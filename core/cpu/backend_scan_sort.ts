/**
 * The CPU backend's scan and sort methods: thin adapters from views to the kernels of
 * `scan.ts` and `sort.ts`.
 *
 * @module
 */

import type { Backend, StridedView } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import type { CpuStorage } from "./backend.ts";
import { scanKernel } from "./scan.ts";
import { sortKernel } from "./sort.ts";

const data = (v: StridedView): TypedArray => (v.storage as CpuStorage).data;

/** The CPU backend's `scan` and `sort`. */
export const cpuScanSortMethods: Pick<Backend, "scan" | "sort"> = {
  scan(op, x, outer, n, inner, out) {
    scanKernel(op, data(x), x.offset, outer, n, inner, data(out), out.offset);
  },
  sort(x, rows, n, k, descending, values, indices) {
    const idx = data(indices) as Int32Array;
    sortKernel(
      data(x),
      x.offset,
      rows,
      n,
      k,
      descending,
      data(values),
      values.offset,
      idx,
      indices.offset,
    );
  },
};
