/**
 * Embedding lookup (gather rows of a (V x C) table by index) and its
 * backward, a scatter-add of (N x C) gradient rows into (V x C). The backward
 * adds floats atomically through a compare-exchange loop on the bit pattern
 * (WGSL has no float atomics), so the summation order — and the last bits of a
 * row hit by several indices — may vary between runs.
 *
 * Loop steps (kernels/loop_steps.ts): no loop over the sizes; the compare-exchange loop retries
 * only while other invocations change the same element, so its steps are bounded by the
 * writers of one element in flight at once (a SIMD group of invocations adding to one element
 * runs it once per lane), not by the tensor sizes.
 *
 * @module
 */

import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";

/** Sizes of a lookup. */
export interface EmbeddingProblem {
  /** Number of indices N. */
  n: number;
  /** Row length C. */
  cols: number;
  /** Rows V of the table (indices must lie in [0, V)). */
  vocab: number;
}

const WORKGROUP = 256;
const FIELDS: UniformField[] = [
  { name: "n", type: "u32" },
  { name: "cols", type: "u32" },
  { name: "vocab", type: "u32" },
];

const MAIN = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u; // i = row * cols + col of the (N x C) side
  if (i >= params.n * params.cols) { return; }
  let row = i / params.cols;
  let col = i % params.cols;
  let v = u32(clamp(indices[row], 0, i32(params.vocab) - 1));`;

/**
 * WGSL of the gather: out[r, c] = table[indices[r], c]. Buffers: table, indices (i32), out.
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { embeddingWGSL } from "./embedding.ts";
 * ok(embeddingWGSL().includes("out[i] = table[v * params.cols + col];"));
 * ```
 */
export function embeddingWGSL(): string {
  return `// embedding gather, one thread per output element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN}
  out[i] = table[v * params.cols + col];
}
`;
}

/**
 * WGSL of the scatter-add: dtable[indices[r], c] += dout[r, c]. Buffers:
 * dout, indices (i32), dtable (accumulated into; zero it first for a fresh gradient).
 *
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { embeddingBackwardWGSL } from "./embedding.ts";
 * ok(embeddingBackwardWGSL().includes("atomicCompareExchangeWeak"));
 * ```
 */
export function embeddingBackwardWGSL(): string {
  return `// embedding backward: scatter-add with a compare-exchange loop per element
${uniformStructWGSL(FIELDS)}
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<atomic<u32>>;
${MAIN}
  let target_index = v * params.cols + col;
  let add = dout[i];
  var old = atomicLoad(&dtable[target_index]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + add);
    let result = atomicCompareExchangeWeak(&dtable[target_index], old, next);
    if (result.exchanged) { break; }
    old = result.old_value;
  }
}
`;
}

function launch(
  name: string,
  source: string,
  p: EmbeddingProblem,
  maxPerDim: number,
): KernelLaunch {
  return {
    name,
    source,
    workgroups: grid1d(Math.ceil((p.n * p.cols) / WORKGROUP), maxPerDim),
    uniforms: packUniforms(FIELDS, { n: p.n, cols: p.cols, vocab: p.vocab }),
  };
}

/**
 * Launch of the gather. Buffers: [table, indices, out (N·C floats)].
 *
 * @param p sizes
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function embeddingLaunch(p: EmbeddingProblem, maxPerDim = 65535): KernelLaunch {
  return launch("embedding", embeddingWGSL(), p, maxPerDim);
}

/**
 * Launch of the scatter-add. Buffers: [dout, indices, dtable (V·C floats, accumulated)].
 *
 * @param p sizes
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function embeddingBackwardLaunch(p: EmbeddingProblem, maxPerDim = 65535): KernelLaunch {
  return launch("embedding_backward", embeddingBackwardWGSL(), p, maxPerDim);
}

/**
 * CPU twin of the gather.
 *
 * @param table (V x C)
 * @param indices N indices
 * @param p sizes
 * @returns (N x C)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { embeddingCPU } from "./embedding.ts";
 * const out = embeddingCPU(new Float32Array([1, 2, 3, 4]), new Int32Array([1, 1, 0]),
 *   { n: 3, cols: 2, vocab: 2 });
 * deepEqual([...out], [3, 4, 3, 4, 1, 2]);
 * ```
 */
export function embeddingCPU(
  table: Float32Array,
  indices: Int32Array,
  p: EmbeddingProblem,
): Float32Array {
  const out = new Float32Array(p.n * p.cols);
  for (let r = 0; r < p.n; r++) {
    out.set(table.subarray(indices[r] * p.cols, (indices[r] + 1) * p.cols), r * p.cols);
  }
  return out;
}

/**
 * CPU twin of the scatter-add (in index order).
 *
 * @param dout (N x C)
 * @param indices N indices
 * @param dtable (V x C), accumulated into
 * @param p sizes
 */
export function embeddingBackwardCPU(
  dout: Float32Array,
  indices: Int32Array,
  dtable: Float32Array,
  p: EmbeddingProblem,
): void {
  for (let r = 0; r < p.n; r++) {
    for (let c = 0; c < p.cols; c++) dtable[indices[r] * p.cols + c] += dout[r * p.cols + c];
  }
}
