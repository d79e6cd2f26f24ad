/**
 * torch.gather along one dim and its scatter-add backward, for the Tensor
 * backend (i32 indices, checked before by flat_index.ts and clamped here only to stay in
 * bounds). x and idx are contiguous; idx has x's rank.
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
  type WgslScalar,
} from "./launch.ts";

const WORKGROUP = 256;

function fields(rank: number): UniformField[] {
  const f: UniformField[] = [
    { name: "n", type: "u32" },
    { name: "size", type: "u32" },
    { name: "x_offset", type: "u32" },
    { name: "i_offset", type: "u32" },
  ];
  for (let d = 0; d < rank; d++) f.push({ name: `shape${d}`, type: "u32" });
  for (let d = 0; d < rank; d++) f.push({ name: `xs${d}`, type: "u32" });
  return f;
}

/**
 * WGSL of gather (`backward: false`: out[c] = x[c with c[dim] = idx[c]]) or of
 * its scatter-add (acc[c with c[dim] = idx[c]] += g[c]). Buffers: x or g, idx, out or acc.
 *
 * @param rank the rank of x and idx
 * @param dim the gathered dim
 * @param backward the scatter-add
 * @param type the element type of x and out (the scatter-add is f32)
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { gatherWGSL } from "./gather.ts";
 * ok(gatherWGSL(2, 1, false).includes("out[i] = x[xi];"));
 * ```
 */
export function gatherWGSL(
  rank: number,
  dim: number,
  backward: boolean,
  type: WgslScalar = "f32",
): string {
  const lines = ["  var rest = i;", backward ? "  var xi = 0u;" : "  var xi = params.x_offset;"];
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(`  let c${d} = rest % params.shape${d};`);
    if (d > 0) lines.push(`  rest = rest / params.shape${d};`);
    const coord = d === dim
      ? `u32(clamp(idx[params.i_offset + i], 0, i32(params.size) - 1))`
      : `c${d}`;
    lines.push(`  xi += ${coord} * params.xs${d};`);
  }
  const head = `${uniformStructWGSL(fields(rank))}
@group(0) @binding(2) var<storage, read> idx: array<i32>;`;
  const main = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
${lines.join("\n")}`;
  if (!backward) {
    return `// gather along dim ${dim}, rank ${rank}
${head}
@group(0) @binding(1) var<storage, read> x: array<${type}>;
@group(0) @binding(3) var<storage, read_write> out: array<${type}>;
${main}
  out[i] = x[xi];
}
`;
  }
  return `// scatter-add (gather backward) along dim ${dim}, rank ${rank}
${head}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> acc: array<atomic<u32>>;
${main}
  let add = g[params.x_offset + i];
  var old = atomicLoad(&acc[xi]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + add);
    let res = atomicCompareExchangeWeak(&acc[xi], old, next);
    if (res.exchanged) { break; }
    old = res.old_value;
  }
}
`;
}

/**
 * Launch of {@linkcode gatherWGSL}. Buffers: [x or g, idx, out or acc].
 *
 * @param xShape x's shape (x contiguous)
 * @param dim the gathered dim
 * @param idxShape idx's shape (= out's, = g's)
 * @param xOffset x's offset (g's for the backward; acc starts at 0)
 * @param iOffset idx's offset
 * @param backward the scatter-add
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @param type the element type of x and out (the scatter-add is f32)
 * @returns the launch
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { gatherLaunch } from "./gather.ts";
 * equal(gatherLaunch([2, 3], 1, [2, 2], 0, 0, false).name, "gather");
 * ```
 */
export function gatherLaunch(
  xShape: readonly number[],
  dim: number,
  idxShape: readonly number[],
  xOffset: number,
  iOffset: number,
  backward: boolean,
  maxPerDim = 65535,
  type: WgslScalar = "f32",
): KernelLaunch {
  const rank = xShape.length;
  const n = idxShape.reduce((p, s) => p * s, 1);
  const values: Record<string, number> = {
    n,
    size: xShape[dim],
    x_offset: xOffset,
    i_offset: iOffset,
  };
  let stride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    values[`shape${d}`] = idxShape[d];
    values[`xs${d}`] = stride;
    stride *= xShape[d];
  }
  return {
    name: backward ? "scatterAdd" : "gather",
    source: gatherWGSL(rank, dim, backward, type),
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(fields(rank), values),
  };
}
