import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { SLAB_MAX_BYTES, slabArray } from "./slab.ts";

Deno.test("slab arrays are zeroed, disjoint, aligned, and of the asked dtype and length", () => {
  const arrays = [
    slabArray("float32", 77),
    slabArray("bool", 5),
    slabArray("int32", 1001),
    slabArray("float32", 3),
  ];
  deepEqual(arrays.map((a) => a.constructor.name), [
    "Float32Array",
    "Uint8Array",
    "Int32Array",
    "Float32Array",
  ]);
  deepEqual(arrays.map((a) => a.length), [77, 5, 1001, 3]);
  for (const a of arrays) {
    ok(a.every((v) => v === 0));
    equal(a.byteOffset % 16, 0);
    a.fill(7); // writes stay inside each array
  }
  for (const a of arrays) ok(a.every((v) => v === 7));
});

Deno.test("a full slab is followed by a fresh one; the largest array still fits", () => {
  const big = slabArray("float32", SLAB_MAX_BYTES / 4);
  equal(big.length, SLAB_MAX_BYTES / 4);
  const seen = new Set<ArrayBufferLike>([big.buffer]);
  for (let i = 0; i < 8; i++) seen.add(slabArray("float32", SLAB_MAX_BYTES / 4).buffer);
  ok(seen.size >= 2);
  const last = slabArray("float32", SLAB_MAX_BYTES / 4);
  ok(last.every((v) => v === 0));
  notEqual(last.buffer.byteLength, last.byteLength);
});
