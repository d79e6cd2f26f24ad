/**
 * Kata 13, steps 13.1–13.5 (reference solution): elementwise kernels — map, zip, a bounds guard,
 * 2-d indexing (a transpose) and broadcasting. Each function returns the WGSL of one compute
 * kernel whose entry point is `main`, declaring the workgroup size it is given.
 *
 * @module
 */

/**
 * 13.1 map: `out[i] = a[i] + 10`, one invocation per element. The harness launches exactly
 * `n / workgroupSize` workgroups, so every invocation has an element.
 *
 * @param workgroupSize invocations per workgroup (declare `@workgroup_size(workgroupSize)`)
 * @returns the WGSL source
 */
export function mapWGSL(workgroupSize: number): string {
  return `struct Params { n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  out[i] = a[i] + 10.0;
}
`;
}

/**
 * 13.2 zip: `out[i] = a[i] + b[i]`, one invocation per element (exactly `n` invocations).
 *
 * @param workgroupSize invocations per workgroup
 * @returns the WGSL source
 */
export function zipWGSL(workgroupSize: number): string {
  return `struct Params { n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  out[i] = a[i] + b[i];
}
`;
}

/**
 * 13.3 guards: `out[i] = a[i] + 10` for `i < n`, where `n` is not a multiple of the workgroup
 * size: the last workgroup has invocations with no element, and they must not write.
 *
 * @param workgroupSize invocations per workgroup
 * @returns the WGSL source
 */
export function guardWGSL(workgroupSize: number): string {
  return `struct Params { n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i < params.n) {
    out[i] = a[i] + 10.0;
  }
}
`;
}

/**
 * 13.4 2-d indexing: `out = aᵀ`. `a` is `(rows, cols)` row-major, `out` is `(cols, rows)`
 * row-major; invocation `(x, y)` of the 2-d grid handles `a[y][x]` (x runs along a row).
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function transposeWGSL(workgroupSize: readonly [number, number]): string {
  return `struct Params { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize[0]}, ${workgroupSize[1]})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col = gid.x;
  let row = gid.y;
  if (row < params.rows && col < params.cols) {
    out[col * params.rows + row] = a[row * params.cols + col];
  }
}
`;
}

/**
 * 13.5 broadcast: `out[r][c] = a[r] + b[c]` — a column of `rows` values plus a row of `cols`
 * values gives a `(rows, cols)` matrix; invocation `(x, y)` writes `out[y][x]`.
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function broadcastWGSL(workgroupSize: readonly [number, number]): string {
  return `struct Params { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize[0]}, ${workgroupSize[1]})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col = gid.x;
  let row = gid.y;
  if (row < params.rows && col < params.cols) {
    out[row * params.cols + col] = a[row] + b[col];
  }
}
`;
}
