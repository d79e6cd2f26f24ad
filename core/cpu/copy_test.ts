import { deepEqual } from "node:assert/strict";
import { copyView } from "./copy.ts";

/** Element-by-element reference: out[idx] = x[idx] over every index of `shape`. */
function naive(
  shape: number[],
  xs: number[],
  xo: number,
  x: ArrayLike<number>,
  os: number[],
  oo: number,
  o: Float32Array | Int32Array | Uint8Array,
) {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < n; i++) {
    let rem = i, xi = xo, oi = oo;
    for (let d = shape.length - 1; d >= 0; d--) {
      const k = rem % shape[d];
      rem = (rem - k) / shape[d];
      xi += k * xs[d];
      oi += k * os[d];
    }
    o[oi] = x[xi];
  }
}

const contiguous = (shape: number[]) => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) (s[d] = acc), (acc *= shape[d]);
  return s;
};

Deno.test("copyView matches an element-by-element copy: permutations, slices, strided outputs", () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let trial = 0; trial < 300; trial++) {
    const nd = 1 + rand(4);
    const shape = Array.from({ length: nd }, () => 1 + rand(trial % 3 === 0 ? 70 : 9));
    // the source: a permuted view of a bigger, offset buffer
    const perm = shape.map((_, i) => i).sort(() => rand(3) - 1);
    const base = perm.map((p) => shape[p] + rand(2));
    const bs = contiguous(base);
    const xs = new Array<number>(nd);
    perm.forEach((p, i) => (xs[p] = bs[i]));
    const xo = rand(5), size = xo + base.reduce((a, b) => a * b, 1);
    // the destination: contiguous, or a slice of a wider buffer
    const wide = rand(2) === 1;
    const outBase = shape.map((s, d) => (wide && d === nd - 1 ? s + 3 : s));
    const os = contiguous(outBase), oo = wide ? 2 : 0;
    const osize = oo + outBase.reduce((a, b) => a * b, 1);
    for (const Arr of [Float32Array, Int32Array, Uint8Array]) {
      const x = new Arr(size);
      for (let i = 0; i < size; i++) x[i] = i % 251;
      const got = new Arr(osize), want = new Arr(osize);
      copyView({ shape, strides: xs, offset: xo }, x, { shape, strides: os, offset: oo }, got);
      naive(shape, xs, xo, x, os, oo, want);
      deepEqual(got, want, `shape ${shape} strides ${xs} into ${os}`);
    }
  }
});

Deno.test("copyView converts between array types as assignment does (int32 into float32)", () => {
  const x = new Int32Array([1, -2, 3, 2 ** 30]), o = new Float32Array(4);
  copyView({ shape: [4], strides: [1], offset: 0 }, x, { shape: [4], strides: [1], offset: 0 }, o);
  deepEqual(Array.from(o), [1, -2, 3, 2 ** 30]);
  const t = new Float32Array(4);
  copyView({ shape: [2, 2], strides: [1, 2], offset: 0 }, x, {
    shape: [2, 2],
    strides: [2, 1],
    offset: 0,
  }, t);
  deepEqual(Array.from(t), [1, 3, -2, 2 ** 30]);
});
