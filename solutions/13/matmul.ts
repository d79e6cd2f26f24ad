/**
 * Kata 13, steps 13.9–13.11 (reference solution): `out = a · b` for `a` `(m, k)`, `b` `(k, n)`,
 * `out` `(m, n)`, all row-major — naive, tiled in workgroup memory, and register-blocked.
 *
 * @module
 */

/**
 * 13.9 naive matmul: invocation `(x, y)` computes `out[y][x]` as a dot product over k.
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function naiveMatmulWGSL(workgroupSize: readonly [number, number]): string {
  return `struct Params { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize[0]}, ${workgroupSize[1]})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.y;
  let col = gid.x;
  if (row < params.m && col < params.n) {
    var acc = 0.0;
    for (var i = 0u; i < params.k; i++) {
      acc += a[row * params.k + i] * b[i * params.n + col];
    }
    out[row * params.n + col] = acc;
  }
}
`;
}

/**
 * 13.10 tiled matmul: a `(tile, tile)` workgroup computes a `tile × tile` block of `out`, one
 * value per invocation. For each slab of `tile` values of k, every invocation loads one value of
 * `a`'s and one of `b`'s tile into workgroup memory (zero outside the matrices), the workgroup
 * waits, each invocation adds `tile` products from the tiles, and the workgroup waits again
 * before the next slab overwrites them.
 *
 * @param tile the tile's side; the workgroup is `[tile, tile]`
 * @returns the WGSL source
 */
export function tiledMatmulWGSL(tile: number): string {
  return `struct Params { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const TILE = ${tile}u;
var<workgroup> a_tile: array<f32, ${tile * tile}>;
var<workgroup> b_tile: array<f32, ${tile * tile}>;

@compute @workgroup_size(${tile}, ${tile})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let tx = lid.x;
  let ty = lid.y;
  let row = wid.y * TILE + ty;
  let col = wid.x * TILE + tx;
  var acc = 0.0;
  for (var k0 = 0u; k0 < params.k; k0 += TILE) {
    var av = 0.0;
    if (row < params.m && k0 + tx < params.k) {
      av = a[row * params.k + k0 + tx];
    }
    a_tile[ty * TILE + tx] = av;
    var bv = 0.0;
    if (k0 + ty < params.k && col < params.n) {
      bv = b[(k0 + ty) * params.n + col];
    }
    b_tile[ty * TILE + tx] = bv;
    workgroupBarrier();
    for (var i = 0u; i < TILE; i++) {
      acc += a_tile[ty * TILE + i] * b_tile[i * TILE + tx];
    }
    workgroupBarrier();
  }
  if (row < params.m && col < params.n) {
    out[row * params.n + col] = acc;
  }
}
`;
}

/**
 * 13.11 register-blocked matmul: invocation `(x, y)` computes the 4 × 4 block of `out` at rows
 * `4y .. 4y+3`, columns `4x .. 4x+3`. For each k it loads 4 values of `a`'s column and 4 of
 * `b`'s row into registers and adds their outer product to 16 accumulators: 8 loads for 16
 * multiply-adds, where the naive kernel does 2 loads per multiply-add.
 *
 * @param workgroupSize `[x, y]` invocations per workgroup
 * @returns the WGSL source
 */
export function registerMatmulWGSL(workgroupSize: readonly [number, number]): string {
  return `struct Params { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${workgroupSize[0]}, ${workgroupSize[1]})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  var acc: array<vec4<f32>, 4>;
  for (var i = 0u; i < params.k; i++) {
    var av = vec4<f32>();
    var bv = vec4<f32>();
    for (var j = 0u; j < 4u; j++) {
      if (row0 + j < params.m) {
        av[j] = a[(row0 + j) * params.k + i];
      }
      if (col0 + j < params.n) {
        bv[j] = b[i * params.n + col0 + j];
      }
    }
    for (var r = 0u; r < 4u; r++) {
      acc[r] += av[r] * bv;
    }
  }
  for (var r = 0u; r < 4u; r++) {
    for (var c = 0u; c < 4u; c++) {
      if (row0 + r < params.m && col0 + c < params.n) {
        out[(row0 + r) * params.n + col0 + c] = acc[r][c];
      }
    }
  }
}
`;
}
