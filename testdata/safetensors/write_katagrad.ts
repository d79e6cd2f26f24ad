/**
 * Writes katagrad_written.safetensors with katagrad's writer, for the reverse interop check:
 *
 *   deno run -A testdata/safetensors/write_katagrad.ts
 *   PYTHONPATH=/path/to/safetensors /usr/bin/python3 testdata/safetensors/check_katagrad_written.py
 *
 * The second step reads the file with the Python `safetensors` library and records what it read
 * (and whether Python's own writer gives the same bytes) in katagrad_written.json.
 * core/io/safetensors_interop_test.ts checks that the writer still produces exactly these bytes.
 *
 * @module
 */

import { type SafetensorsInput, saveSafetensors } from "../../core/io/safetensors.ts";

/**
 * The tensors of the reverse interop fixture: F32 of odd shapes, F16 given as float32 values
 * (so the writer rounds them), I32, a scalar, an empty tensor, an integer-like and a
 * non-ASCII name.
 *
 * @returns the tensors and metadata
 */
export function katagradSample(): {
  tensors: Record<string, SafetensorsInput>;
  metadata: Record<string, string>;
} {
  const f32 = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  return {
    tensors: {
      "tok_emb.weight": { dtype: "F32", shape: [4, 6], data: f32(24, (i) => Math.sin(i * 1.7) * 3) },
      "head.weight": {
        dtype: "F16",
        shape: [3, 5],
        // exact ties (1 + 2^-11, 1 + 3 * 2^-11), a subnormal, overflow, and plain values
        data: Float32Array.of(
          1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -20, 70000, -65504,
          0.1, -0.2, 0.3, 1 / 3, Math.PI,
          -0, 6.1e-5, 2 ** -25, 1e-8, 12345.678,
        ),
      },
      "counts": { dtype: "I32", shape: [27], data: Int32Array.from({ length: 27 }, (_, i) => (i - 13) * 99_991) },
      "0": { dtype: "F32", shape: [2], data: Float32Array.of(-1.5, 2.25) },
      "größe": { dtype: "F32", shape: [1, 1], data: Float32Array.of(42) },
      "scalar": { dtype: "F32", shape: [], data: Float32Array.of(0.5) },
      "empty": { dtype: "I32", shape: [0, 3], data: new Int32Array(0) },
    },
    metadata: { format: "pt" }, // one entry: Python orders several in a random (hash) order
  };
}

if (import.meta.main) {
  const { tensors, metadata } = katagradSample();
  const path = new URL("./katagrad_written.safetensors", import.meta.url).pathname;
  await saveSafetensors(path, tensors, metadata);
  console.log(`wrote ${path}`);
}
