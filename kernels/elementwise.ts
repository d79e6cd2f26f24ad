/**
 * Elementwise kernels: unary and binary ops over strided, broadcast views,
 * writing a contiguous output. Shapes, strides and offsets travel in uniforms;
 * only the rank and the op are baked into the WGSL.
 *
 * @module
 */

import {
  BINARY_OPS,
  type BinaryOp,
  ELEMENTWISE_HELPERS_WGSL,
  UNARY_OPS,
  type UnaryOp,
} from "./elementwise_ops.ts";
import {
  grid1d,
  type KernelLaunch,
  packUniforms,
  type UniformField,
  uniformStructWGSL,
} from "./launch.ts";

export { BINARY_OPS, type BinaryOp, UNARY_OPS, type UnaryOp };

/** A strided view of a flat buffer (element units). */
export interface StridedView {
  /** Shape of the view. */
  shape: readonly number[];
  /** Stride per dimension, in elements (0 for a broadcast dimension). */
  strides: readonly number[];
  /** Offset of element (0, ..., 0), in elements. */
  offset: number;
}

const WORKGROUP = 256;

/**
 * Row-major contiguous strides of a shape.
 *
 * @param shape the shape
 * @returns its strides
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { contiguousStrides } from "./elementwise.ts";
 * deepEqual(contiguousStrides([2, 3, 4]), [12, 4, 1]);
 * ```
 */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/**
 * The strides that read `view` broadcast to `outShape` (leading dims added,
 * size-1 dims given stride 0).
 *
 * @param view the input view
 * @param outShape the broadcast shape
 * @returns strides of length outShape.length
 * @throws {RangeError} when the view does not broadcast to outShape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { broadcastStrides } from "./elementwise.ts";
 * deepEqual(broadcastStrides({ shape: [3, 1], strides: [1, 1], offset: 0 }, [2, 3, 4]), [0, 1, 0]);
 * ```
 */
export function broadcastStrides(view: StridedView, outShape: readonly number[]): number[] {
  const lead = outShape.length - view.shape.length;
  if (lead < 0) {
    throw new RangeError(`Cannot broadcast shape (${view.shape}) to (${outShape})`);
  }
  return outShape.map((size, d) => {
    if (d < lead) return 0;
    const own = view.shape[d - lead];
    if (own === size) return own === 1 ? 0 : view.strides[d - lead];
    if (own === 1) return 0;
    throw new RangeError(`Cannot broadcast shape (${view.shape}) to (${outShape})`);
  });
}

function fields(rank: number, inputs: string[]): UniformField[] {
  const out: UniformField[] = [{ name: "n", type: "u32" }];
  for (let d = 0; d < rank; d++) out.push({ name: `shape${d}`, type: "u32" });
  for (const x of inputs) {
    out.push({ name: `${x}_offset`, type: "u32" });
    for (let d = 0; d < rank; d++) out.push({ name: `${x}_stride${d}`, type: "u32" });
  }
  return out;
}

function indexWGSL(rank: number, inputs: string[]): string {
  const lines = inputs.map((x) => `  var ${x}_index = params.${x}_offset;`);
  lines.push("  var rest = i;");
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(`  let c${d} = rest % params.shape${d};`);
    if (d > 0) lines.push(`  rest = rest / params.shape${d};`);
    for (const x of inputs) lines.push(`  ${x}_index += c${d} * params.${x}_stride${d};`);
  }
  return lines.join("\n");
}

/** Options of the elementwise templates. */
export interface ElementwiseWGSLOptions<Op> {
  /** The op. */
  op: Op;
  /** Rank of the output (inputs are broadcast to it). */
  rank: number;
}

function elementwiseWGSL(opName: string, expr: string, rank: number, inputs: string[]): string {
  const bindings = inputs.map((x, i) =>
    `@group(0) @binding(${i + 1}) var<storage, read> ${x}_data: array<f32>;`
  );
  const loads = inputs.map((x) => `  let ${x} = ${x}_data[${x}_index];`).join("\n");
  return `// elementwise ${opName}, rank ${rank}
${uniformStructWGSL(fields(rank, inputs))}
${bindings.join("\n")}
@group(0) @binding(${inputs.length + 1}) var<storage, read_write> out: array<f32>;
${ELEMENTWISE_HELPERS_WGSL}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * ${WORKGROUP}u;
  if (i >= params.n) { return; }
${indexWGSL(rank, inputs)}
${loads}
  out[i] = ${expr};
}
`;
}

/**
 * WGSL of a unary op over a strided view of the given rank.
 *
 * @param opts op and rank
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { unaryWGSL } from "./elementwise.ts";
 * ok(unaryWGSL({ op: "exp", rank: 2 }).includes("out[i] = exp(a);"));
 * ```
 */
export function unaryWGSL(opts: ElementwiseWGSLOptions<UnaryOp>): string {
  return elementwiseWGSL(opts.op, UNARY_OPS[opts.op].wgsl, opts.rank, ["a"]);
}

/**
 * WGSL of a binary op over two strided views broadcast to an output of the given rank.
 *
 * @param opts op and rank
 * @returns the WGSL source
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { binaryWGSL } from "./elementwise.ts";
 * ok(binaryWGSL({ op: "add", rank: 3 }).includes("out[i] = a + b;"));
 * ```
 */
export function binaryWGSL(opts: ElementwiseWGSLOptions<BinaryOp>): string {
  return elementwiseWGSL(opts.op, BINARY_OPS[opts.op].wgsl, opts.rank, ["a", "b"]);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, s) => p * s, 1);
}

function launch(
  name: string,
  source: string,
  outShape: readonly number[],
  views: Record<string, StridedView>,
  maxPerDim: number,
): KernelLaunch {
  const n = sizeOf(outShape);
  const values: Record<string, number> = { n };
  outShape.forEach((s, d) => values[`shape${d}`] = s);
  for (const [x, view] of Object.entries(views)) {
    values[`${x}_offset`] = view.offset;
    broadcastStrides(view, outShape).forEach((s, d) => values[`${x}_stride${d}`] = s);
  }
  return {
    name,
    source,
    workgroups: grid1d(Math.ceil(n / WORKGROUP), maxPerDim),
    uniforms: packUniforms(fields(outShape.length, Object.keys(views)), values),
  };
}

/**
 * Launch of a unary op: reads view `a`, writes `prod(a.shape)` contiguous floats.
 * Buffers: [a, out].
 *
 * @param op the op
 * @param a the input view
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 */
export function unaryLaunch(op: UnaryOp, a: StridedView, maxPerDim = 65535): KernelLaunch {
  const source = unaryWGSL({ op, rank: a.shape.length });
  return launch(`unary_${op}`, source, a.shape, { a }, maxPerDim);
}

/**
 * Launch of a binary op: reads views `a` and `b` broadcast to `outShape`,
 * writes `prod(outShape)` contiguous floats. Buffers: [a, b, out].
 *
 * @param op the op
 * @param a first input view
 * @param b second input view
 * @param outShape the broadcast output shape
 * @param maxPerDim the device's maxComputeWorkgroupsPerDimension
 * @returns the launch
 * @throws {RangeError} when a view does not broadcast to outShape
 */
export function binaryLaunch(
  op: BinaryOp,
  a: StridedView,
  b: StridedView,
  outShape: readonly number[],
  maxPerDim = 65535,
): KernelLaunch {
  const source = binaryWGSL({ op, rank: outShape.length });
  return launch(`binary_${op}`, source, outShape, { a, b }, maxPerDim);
}

function gather(data: Float32Array, view: StridedView, outShape: readonly number[]): Float32Array {
  const strides = broadcastStrides(view, outShape);
  const n = sizeOf(outShape);
  const out = new Float32Array(n);
  const coord = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let idx = view.offset;
    for (let d = 0; d < coord.length; d++) idx += coord[d] * strides[d];
    out[i] = data[idx];
    for (let d = coord.length - 1; d >= 0; d--) {
      if (++coord[d] < outShape[d]) break;
      coord[d] = 0;
    }
  }
  return out;
}

/**
 * CPU twin of {@linkcode unaryLaunch}.
 *
 * @param op the op
 * @param a input buffer
 * @param view view of it
 * @returns contiguous output
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { unaryCPU } from "./elementwise.ts";
 * const x = new Float32Array([1, -2, 3, -4]);
 * // the transpose of a 2x2 matrix, through relu
 * deepEqual([...unaryCPU("relu", x, { shape: [2, 2], strides: [1, 2], offset: 0 })], [1, 3, 0, 0]);
 * ```
 */
export function unaryCPU(op: UnaryOp, a: Float32Array, view: StridedView): Float32Array {
  const x = gather(a, view, view.shape);
  const fn = UNARY_OPS[op].cpu;
  for (let i = 0; i < x.length; i++) x[i] = fn(x[i]);
  return x;
}

/**
 * CPU twin of {@linkcode binaryLaunch}.
 *
 * @param op the op
 * @param a first input buffer
 * @param aView its view
 * @param b second input buffer
 * @param bView its view
 * @param outShape the broadcast output shape
 * @returns contiguous output
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { binaryCPU } from "./elementwise.ts";
 * const a = new Float32Array([1, 2, 3]);
 * const b = new Float32Array([10, 20]);
 * const out = binaryCPU("add", a, { shape: [1, 3], strides: [3, 1], offset: 0 },
 *   b, { shape: [2, 1], strides: [1, 1], offset: 0 }, [2, 3]);
 * deepEqual([...out], [11, 12, 13, 21, 22, 23]);
 * ```
 */
export function binaryCPU(
  op: BinaryOp,
  a: Float32Array,
  aView: StridedView,
  b: Float32Array,
  bView: StridedView,
  outShape: readonly number[],
): Float32Array {
  const x = gather(a, aView, outShape);
  const y = gather(b, bView, outShape);
  const fn = BINARY_OPS[op].cpu;
  for (let i = 0; i < x.length; i++) x[i] = fn(x[i], y[i]);
  return x;
}
