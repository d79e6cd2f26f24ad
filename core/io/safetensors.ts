/**
 * Checkpoints in the safetensors format (the one PyTorch and Hugging Face
 * use): an 8-byte little-endian header length N, N bytes of JSON
 * (`{"__metadata__": {..}, "<name>": {"dtype", "shape", "data_offsets"}}`,
 * padded with spaces to a multiple of 8), then the tensors' bytes.
 *
 * Reading validates everything before allocating: a truncated file, a header
 * length beyond the file, a header that is not a JSON object, offsets that
 * overlap, leave gaps or point outside the data, a dtype or shape that does
 * not match the byte length — each is a {@link SafetensorsError}.
 * Writing orders tensors as the Python library does (F32, I32, F16, then by
 * name), so the same state dict gives the same bytes.
 *
 * @module
 */

import { writeFileAtomic } from "./atomic_write.ts";
import { float32ArrayToFloat16 } from "./float16.ts";
import {
  MAX_HEADER_BYTES,
  parseSafetensorsHeader,
  type SafetensorsDtype,
  SafetensorsError,
  setOwn,
} from "./safetensors_header.ts";
import { checkInstance, checkString, describe } from "../validate.ts";

export { MAX_HEADER_BYTES, type SafetensorsDtype, SafetensorsError };

/** One tensor as it is stored: dtype, shape and row-major data (F16 as raw bits). */
export type SafetensorsTensor =
  | { dtype: "F32"; shape: number[]; data: Float32Array }
  | { dtype: "F16"; shape: number[]; data: Uint16Array }
  | { dtype: "I32"; shape: number[]; data: Int32Array };

/** A tensor to save: like {@link SafetensorsTensor}, and F16 may be given as float32 values. */
export type SafetensorsInput =
  | SafetensorsTensor
  | { dtype: "F16"; shape: number[]; data: Float32Array };

/** A decoded file: the tensors by name and the `__metadata__` strings. */
export interface SafetensorsFile {
  /** The tensors, by name (own properties, even a name like `__proto__`). */
  tensors: Record<string, SafetensorsTensor>;
  /** The `__metadata__` map (empty when absent). */
  metadata: Record<string, string>;
}

/** Python's write order: larger dtypes first (F32 > I32 > F16 in its enum), then names. */
const WRITE_RANK: Record<SafetensorsDtype, number> = { F32: 0, I32: 1, F16: 2 };

/**
 * Serialises tensors and metadata to safetensors bytes.
 *
 * @param tensors the tensors by name; F16 data may be float32 values (rounded to nearest even)
 * @param metadata string → string pairs stored under `__metadata__`
 * @returns the file's bytes
 * @throws {SafetensorsError} for an unknown dtype, a data length that does not match the
 *   shape, a bad shape, a non-string metadata value or the reserved name `__metadata__`
 * @example A round trip
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const bytes = encodeSafetensors(
 *   { w: { dtype: "F32", shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) } },
 *   { format: "pt" },
 * );
 * equal(bytes.length % 8, 0); // 8 + padded header + 24 data bytes
 * const { tensors, metadata } = decodeSafetensors(bytes);
 * deepEqual(tensors.w.shape, [2, 3]);
 * deepEqual([...tensors.w.data], [1, 2, 3, 4, 5, 6]);
 * deepEqual(metadata, { format: "pt" });
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (typeof tensors !== "object" || tensors === null || Array.isArray(tensors)) {
    throw new TypeError(
      `encodeSafetensors: tensors must be an object of { dtype, shape, data } entries, got ${
        describe(tensors)
      }`,
    );
  }
  if (metadata != null && (typeof metadata !== "object" || Array.isArray(metadata))) {
    throw new TypeError(
      `encodeSafetensors: metadata must be an object of strings, got ${describe(metadata)}`,
    );
  }
  const entries = Object.keys(tensors).map((name) =>
    [name, toStored(name, tensors[name])] as const
  );
  entries.sort(([a, ta], [b, tb]) =>
    WRITE_RANK[ta.dtype] - WRITE_RANK[tb.dtype] || compareUtf8(a, b)
  );
  // the header is written field by field: a JS object would move integer-like names first
  const fields: string[] = [];
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const pairs = Object.entries(metadata).map(([k, v]) => {
      if (typeof v !== "string") {
        throw new SafetensorsError(
          `Cannot save metadata ${JSON.stringify(k)}: values must be strings, got ${typeof v}`,
        );
      }
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    fields.push(`"__metadata__":{${pairs.join(",")}}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.data.byteLength;
    const info = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${fields.join(",")}}`);
  const headerLen = Math.ceil(json.length / 8) * 8; // spaces pad the header to 8 bytes
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parses safetensors bytes, validating the header against the buffer first.
 * The tensors' data are copies (aligned, independent of `bytes`).
 *
 * @param bytes the file's bytes
 * @returns the tensors and metadata
 * @throws {SafetensorsError} for truncated or hostile input (see the module doc)
 * @example A truncated file
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { decodeSafetensors } from "./safetensors.ts";
 * throws(() => decodeSafetensors(new Uint8Array(5)), {
 *   name: "SafetensorsError",
 *   message: "Cannot read safetensors: the file has 5 bytes, fewer than the 8-byte header length",
 * });
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  checkInstance("decodeSafetensors", "bytes", bytes, Uint8Array, "a Uint8Array");
  const { metadata, entries, dataStart } = parseSafetensorsHeader(bytes);
  // only now, with every offset validated, are the tensors copied out (aligned copies)
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const { name, dtype, shape, start, end } of entries) {
    const slice = bytes.slice(dataStart + start, dataStart + end);
    setOwn(tensors, name, { dtype, shape, data: view(dtype, slice.buffer) } as SafetensorsTensor);
  }
  return { tensors, metadata };
}

/**
 * Writes tensors to a safetensors file atomically (temporary file, then rename),
 * through a symlink, keeping the file's mode, never over a write-protected file
 * (see `writeFileAtomic` in `atomic_write.ts`).
 *
 * @param path the destination
 * @param tensors the tensors by name (F16 may be given as float32 values)
 * @param metadata string pairs for `__metadata__`
 * @returns nothing once the file is in place
 * @throws {SafetensorsError} as {@link encodeSafetensors}
 * @throws {Deno.errors.PermissionDenied} for a write-protected file; other file-system errors
 *   (`NotFound`, `EROFS`, `ENOSPC`, …) with messages that name `path`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { loadSafetensors, saveSafetensors } from "./safetensors.ts";
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveSafetensors(path, { ix: { dtype: "I32", shape: [3], data: Int32Array.of(7, -1, 2) } });
 * deepEqual([...(await loadSafetensors(path)).tensors.ix.data], [7, -1, 2]);
 * await Deno.remove(path);
 * ```
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): Promise<void> {
  checkString("saveSafetensors", "path", path);
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads and validates a safetensors file.
 *
 * @param path the file
 * @returns the tensors and metadata
 * @throws {SafetensorsError} for an invalid file (the message names the path)
 * @throws {Deno.errors.NotFound} when the file does not exist
 * @example A file too short to hold a header
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { loadSafetensors } from "./safetensors.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeFile(path, new Uint8Array(4));
 * await rejects(loadSafetensors(path), { name: "SafetensorsError" });
 * await Deno.remove(path);
 * ```
 */
export async function loadSafetensors(path: string): Promise<SafetensorsFile> {
  checkString("loadSafetensors", "path", path);
  const bytes = await Deno.readFile(path);
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) {
      throw new SafetensorsError(
        e.message.replace("Cannot read safetensors:", `Cannot read ${path}:`),
      );
    }
    throw e;
  }
}

function toStored(name: string, t: SafetensorsInput): SafetensorsTensor {
  const what = `Cannot save tensor ${JSON.stringify(name)}`;
  if (name === "__metadata__") throw new SafetensorsError(`${what}: the name is reserved`);
  if (typeof t !== "object" || t === null) throw new SafetensorsError(`${what}: not a tensor`);
  const { dtype, shape, data } = t;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(
      `${what}: shape ${JSON.stringify(shape)} is not non-negative integers`,
    );
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const expected =
    { F32: [Float32Array], F16: [Uint16Array, Float32Array], I32: [Int32Array] }[dtype];
  if (!expected) {
    throw new SafetensorsError(
      `${what}: dtype ${JSON.stringify(dtype)}; katagrad writes F32, F16 and I32`,
    );
  }
  if (!expected.some((c) => data instanceof c)) {
    throw new SafetensorsError(
      `${what}: ${dtype} data must be a ${expected.map((c) => c.name).join(" or ")}, got ${
        data?.constructor?.name ?? typeof data
      }`,
    );
  }
  if (data.length !== count) {
    throw new SafetensorsError(
      `${what}: shape [${shape.join(", ")}] has ${count} elements but data has ${data.length}`,
    );
  }
  if (dtype === "F16" && data instanceof Float32Array) {
    return { dtype, shape: [...shape], data: float32ArrayToFloat16(data) };
  }
  return { dtype, shape: [...shape], data } as SafetensorsTensor;
}

function view(
  dtype: SafetensorsDtype,
  buffer: ArrayBufferLike,
): Float32Array | Uint16Array | Int32Array {
  switch (dtype) {
    case "F32":
      return new Float32Array(buffer);
    case "F16":
      return new Uint16Array(buffer);
    case "I32":
      return new Int32Array(buffer);
    default:
      return dtype satisfies never;
  }
}

/** Compares strings by their UTF-8 bytes, as Rust's `str` ordering does. */
function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
