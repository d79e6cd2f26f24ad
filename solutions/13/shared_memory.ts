/**
 * Kata 13, steps 13.6–13.8 (reference solution): kernels whose invocations cooperate through
 * workgroup (shared) memory — a block sum, a prefix sum of each row and a softmax of each row.
 * Workgroup sizes here are powers of two.
 *
 * @module
 */

/**
 * 13.6 block sum: workgroup `w` sums `a[w·size .. (w+1)·size)` (the part below `n`) into
 * `out[w]`, by a tree in workgroup memory: each invocation adds its neighbour `width` away,
 * `width` halving from `size / 2` to 1, with a barrier between the levels.
 *
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function blockSumWGSL(workgroupSize: number): string {
  return `struct Params { n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, ${workgroupSize}>;

@compute @workgroup_size(${workgroupSize})
fn main(@builtin(global_invocation_id) gid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(workgroup_id) wid: vec3<u32>) {
  let t = lid.x;
  var v = 0.0;
  if (gid.x < params.n) {
    v = a[gid.x];
  }
  partial[t] = v;
  for (var width = ${workgroupSize / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) {
      partial[t] = partial[t] + partial[t + width];
    }
  }
  if (t == 0u) {
    out[wid.x] = partial[0];
  }
}
`;
}

/**
 * 13.7 prefix sum: `out[r][c] = a[r][0] + … + a[r][c]` (inclusive) for a `(rows, cols)`
 * matrix, one workgroup per row. The row is scanned in chunks of `size`: each chunk by
 * Hillis–Steele in workgroup memory (at distance 1, 2, 4, … every invocation adds the value that
 * far to its left), plus the carry of the chunks before it.
 *
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function prefixSumWGSL(workgroupSize: number): string {
  const size = workgroupSize;
  return `struct Params { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> scan: array<f32, ${size}>;

@compute @workgroup_size(${size})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let base = wid.x * params.cols;
  var carry = 0.0;
  for (var start = 0u; start < params.cols; start += ${size}u) {
    let c = start + t;
    var v = 0.0;
    if (c < params.cols) {
      v = a[base + c];
    }
    scan[t] = v;
    workgroupBarrier();
    for (var offset = 1u; offset < ${size}u; offset = offset * 2u) {
      var left = 0.0;
      if (t >= offset) {
        left = scan[t - offset];
      }
      workgroupBarrier();
      scan[t] = scan[t] + left;
      workgroupBarrier();
    }
    if (c < params.cols) {
      out[base + c] = carry + scan[t];
    }
    carry = carry + scan[${size - 1}];
    workgroupBarrier();
  }
}
`;
}

/**
 * 13.8 softmax over rows: `out[r][c] = exp(a[r][c] − max_r) / Σ_c' exp(a[r][c'] − max_r)`, one
 * workgroup per row of a `(rows, cols)` matrix. Invocation `t` visits columns `t, t + size, …`;
 * the row's max and sum are combined by trees in workgroup memory.
 *
 * @param workgroupSize invocations per workgroup, a power of two
 * @returns the WGSL source
 */
export function softmaxWGSL(workgroupSize: number): string {
  const size = workgroupSize;
  const tree = (combine: string) =>
    `  for (var width = ${size / 2}u; width > 0u; width = width / 2u) {
    workgroupBarrier();
    if (t < width) {
      ${combine}
    }
  }
  workgroupBarrier();`;
  return `struct Params { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, ${size}>;

@compute @workgroup_size(${size})
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let base = wid.x * params.cols;
  var m = -3.4028234663852886e38;
  for (var c = t; c < params.cols; c += ${size}u) {
    m = max(m, a[base + c]);
  }
  partial[t] = m;
${tree("partial[t] = max(partial[t], partial[t + width]);")}
  let row_max = partial[0];
  workgroupBarrier();
  var s = 0.0;
  for (var c = t; c < params.cols; c += ${size}u) {
    s += exp(a[base + c] - row_max);
  }
  partial[t] = s;
${tree("partial[t] = partial[t] + partial[t + width];")}
  let row_sum = partial[0];
  for (var c = t; c < params.cols; c += ${size}u) {
    out[base + c] = exp(a[base + c] - row_max) / row_sum;
  }
}
`;
}
