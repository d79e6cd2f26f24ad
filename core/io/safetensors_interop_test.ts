import { deepEqual, equal, ok } from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors, loadSafetensors } from "./safetensors.ts";
import { float32ArrayToFloat16 } from "./float16.ts";
import { katagradSample } from "../../testdata/safetensors/write_katagrad.ts";
import pyWritten from "../../testdata/safetensors/python_written.json" with { type: "json" };
import pyMeta from "../../testdata/safetensors/python_meta.json" with { type: "json" };
import kgWritten from "../../testdata/safetensors/katagrad_written.json" with { type: "json" };

const fixture = (name: string) => new URL(`../../testdata/safetensors/${name}`, import.meta.url);

interface Described {
  dtype: string;
  shape: number[];
  bits?: number[];
  values?: number[];
}

/** The stored numbers of a tensor as the fixtures describe them: bit patterns for floats. */
function asDescribed(t: { dtype: string; shape: number[]; data: ArrayLike<number> }): Described {
  if (t.dtype === "F32") {
    const f = Float32Array.from(t.data);
    return { dtype: "F32", shape: t.shape, bits: [...new Uint32Array(f.buffer)] };
  }
  if (t.dtype === "F16") return { dtype: "F16", shape: t.shape, bits: Array.from(t.data) };
  return { dtype: "I32", shape: t.shape, values: Array.from(t.data) };
}

Deno.test("reads a file written by Python safetensors (torch save_file)", async () => {
  const { tensors, metadata } = await loadSafetensors(
    fixture("python_written.safetensors").pathname,
  );
  deepEqual(metadata, pyWritten.metadata);
  deepEqual(Object.keys(tensors).sort(), Object.keys(pyWritten.tensors).sort());
  for (const [name, expected] of Object.entries(pyWritten.tensors)) {
    deepEqual(asDescribed(tensors[name]), expected, name);
  }
  equal(tensors["f16_edge"].data[4], 0x7e00); // torch's NaN
  equal(pyWritten.versions.safetensors, "0.8.0");
});

Deno.test("re-encoding a Python-written file gives Python's bytes", async () => {
  const bytes = await Deno.readFile(fixture("python_written.safetensors"));
  const { tensors, metadata } = decodeSafetensors(bytes);
  deepEqual(encodeSafetensors(tensors, metadata), bytes);
});

Deno.test("reads Python metadata with quotes, newlines and non-ASCII text", async () => {
  const { tensors, metadata } = await loadSafetensors(fixture("python_meta.safetensors").pathname);
  deepEqual(metadata, pyMeta.metadata);
  deepEqual([...tensors.w.data], [0, 1, 2, 3, 4, 5]);
  deepEqual(tensors.w.shape, [2, 3]);
});

Deno.test("our writer's bytes are the file Python safetensors read and re-wrote identically", async () => {
  const { tensors, metadata } = katagradSample();
  const ours = encodeSafetensors(tensors, metadata);
  // the committed file was written by this writer and checked with Python
  // (check_katagrad_written.py); a change in our bytes must be checked again
  deepEqual(ours, await Deno.readFile(fixture("katagrad_written.safetensors")));
  equal(kgWritten.file_bytes, ours.length);
  ok(kgWritten.python_resave_identical, "Python's writer gave other bytes for the same tensors");
  deepEqual(kgWritten.metadata, metadata);
  deepEqual([...kgWritten.keys].sort(), Object.keys(tensors).sort());
  for (const [name, t] of Object.entries(tensors)) {
    const stored = t.dtype === "F16" && t.data instanceof Float32Array
      ? { ...t, data: float32ArrayToFloat16(t.data) }
      : t;
    deepEqual(
      (kgWritten.tensors as Record<string, Described>)[name],
      asDescribed(stored),
      `what Python read for ${name}`,
    );
  }
});
