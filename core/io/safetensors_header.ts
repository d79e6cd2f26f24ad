/**
 * Reading and validating a safetensors header against the bytes that follow
 * it, before anything is allocated for the tensors: the part of the format
 * that hostile files attack.
 *
 * @module
 */

/** The dtypes katagrad reads and writes. */
export type SafetensorsDtype = "F32" | "F16" | "I32";

/**
 * A file or buffer that is not valid safetensors, or a state dict that cannot
 * be written. A `TypeError`, so `instanceof TypeError` also catches it.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { SafetensorsError } from "./safetensors_header.ts";
 * import { decodeSafetensors } from "./safetensors.ts";
 * throws(() => decodeSafetensors(new Uint8Array(3)), SafetensorsError);
 * ```
 */
export class SafetensorsError extends TypeError {
  /**
   * Creates the error.
   *
   * @param message "Cannot …: …" with the offending values
   */
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsError";
  }
}

/**
 * The largest header accepted, the Python library's limit (100 MB); a length
 * prefix above it is refused before anything is read.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { MAX_HEADER_BYTES } from "./safetensors_header.ts";
 * equal(MAX_HEADER_BYTES, 1e8);
 * ```
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each dtype. */
export const ITEM_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, I32: 4 };

/** One validated tensor entry: where its bytes lie in the data section. */
export interface HeaderEntry {
  /** The tensor's name. */
  name: string;
  /** Its dtype. */
  dtype: SafetensorsDtype;
  /** Its shape (non-negative integers; `[]` for a scalar). */
  shape: number[];
  /** First byte, relative to the data section. */
  start: number;
  /** One past the last byte, relative to the data section. */
  end: number;
}

/** A validated header. */
export interface ParsedHeader {
  /** The `__metadata__` strings (own properties, even `__proto__`). */
  metadata: Record<string, string>;
  /** The tensors, in header order. */
  entries: HeaderEntry[];
  /** Where the data section starts in the file (8 + header length). */
  dataStart: number;
}

/**
 * Parses and validates the header of a safetensors file: the length prefix
 * (at most {@link MAX_HEADER_BYTES} and within the file), UTF-8 JSON object
 * starting with `{`, string metadata, each tensor's dtype, shape and offsets,
 * and that the tensors tile the data section exactly (no overlap, no gap, no
 * trailing bytes) with byte lengths matching dtype × shape.
 *
 * @param bytes the whole file
 * @returns the metadata, the entries and where the data starts
 * @throws {SafetensorsError} "Cannot read safetensors: <why>" for any violation
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { parseSafetensorsHeader } from "./safetensors_header.ts";
 * const file = new Uint8Array(16);
 * file[0] = 200; // a 200-byte header in a 16-byte file
 * throws(() => parseSafetensorsHeader(file), {
 *   name: "SafetensorsError",
 *   message: "Cannot read safetensors: header length 200 runs past the end of the file (16 bytes)",
 * });
 * ```
 */
export function parseSafetensorsHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8) {
    fail(`the file has ${bytes.length} bytes, fewer than the 8-byte header length`);
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) {
    fail(`header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  }
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
    if (!text.startsWith("{")) fail(`the header does not start with "{"`);
    header = JSON.parse(text);
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    fail("the header is not a JSON object");
  }
  const dataLength = bytes.length - 8 - headerLen;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name !== "__metadata__") entries.push(parseEntry(name, raw, dataLength));
    else if (raw !== null) {
      if (typeof raw !== "object" || Array.isArray(raw)) fail("__metadata__ is not an object");
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__ ${JSON.stringify(k)} is not a string`);
        setOwn(metadata, k, v as string);
      }
    }
  }
  const spans = [...entries].sort((a, b) => a.start - b.start || a.end - b.end);
  let prev = 0;
  let prevName = "";
  for (const s of spans) {
    if (s.start < prev) {
      fail(`tensors ${JSON.stringify(prevName)} and ${JSON.stringify(s.name)} overlap`);
    }
    if (s.start > prev) {
      fail(`a gap of ${s.start - prev} bytes before tensor ${JSON.stringify(s.name)}`);
    }
    prev = s.end;
    prevName = s.name;
  }
  if (prev !== dataLength) {
    fail(`the tensors cover ${prev} bytes but the data section has ${dataLength}`);
  }
  return { metadata, entries, dataStart: 8 + headerLen };
}

function parseEntry(name: string, raw: unknown, dataLength: number): HeaderEntry {
  const what = `tensor ${JSON.stringify(name)}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    fail(`${what} is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== "string" || !Object.hasOwn(ITEM_BYTES, dtype)) {
    fail(`${what} has dtype ${JSON.stringify(dtype)}; katagrad reads F32, F16 and I32`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${what} has shape ${JSON.stringify(shape)}; expected non-negative integers`);
  }
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
  ) {
    fail(`${what} has data_offsets ${JSON.stringify(offsets)}; expected [start, end]`);
  }
  const [start, end] = offsets as [number, number];
  if (end < start) fail(`${what} has data_offsets [${start}, ${end}] with end before start`);
  if (end > dataLength) {
    fail(`${what} has data_offsets [${start}, ${end}] outside the ${dataLength}-byte data section`);
  }
  // the element count is capped by the (real) byte length, so a huge shape cannot overflow
  const dims = shape as number[];
  let count = dims.includes(0) ? 0 : 1;
  for (const d of dims) count = count * d > dataLength ? Infinity : count * d;
  if (count * ITEM_BYTES[dtype as SafetensorsDtype] !== end - start) {
    fail(`${what} is ${dtype} with shape [${dims.join(", ")}] but has ${end - start} bytes`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: [...dims], start, end };
}

function fail(why: string): never {
  throw new SafetensorsError(`Cannot read safetensors: ${why}`);
}

/**
 * Defines an own enumerable property, even for a key like `__proto__` (where
 * an assignment would set the prototype instead).
 *
 * @param obj the object
 * @param key the key
 * @param value the value
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { setOwn } from "./safetensors_header.ts";
 * const o: Record<string, string> = {};
 * setOwn(o, "__proto__", "x");
 * equal(Object.keys(o)[0], "__proto__");
 * ```
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
