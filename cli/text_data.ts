/**
 * The training text: Tiny Shakespeare by name, or any UTF-8 file; its character vocabulary, its
 * ids and the lecture's 90/10 train/val split — with one-line errors for files that cannot be
 * trained on.
 *
 * @module
 */

import { DatasetChecksumError, DatasetNotFoundError, loadDataset } from "../core/data/datasets.ts";
import { splitTrainVal } from "../core/data/gpt_batch.ts";
import { CharVocab } from "../core/data/vocab.ts";
import { sha256Hex } from "../core/data/download.ts";
import { CliError } from "./flags.ts";

/** An encoded text, split for training. */
export interface TextData {
  /** What was read: a path, or "tinyshakespeare". */
  source: string;
  /** The sha256 of the text's bytes (a resumed run must train on the same text). */
  sha256: string;
  /** The characters, sorted by code point. */
  vocab: CharVocab;
  /** The first 90% of the ids. */
  train: Int32Array;
  /** The last 10%. */
  val: Int32Array;
}

/**
 * Reads and encodes the training text.
 *
 * @param path a UTF-8 text file, or null for Tiny Shakespeare
 * @param blockSize the context length: each split needs more than blockSize characters
 * @returns the vocabulary and the two splits
 * @throws {CliError} for a missing, unreadable, empty, non-UTF-8 or too short file
 */
export async function loadTextData(path: string | null, blockSize: number): Promise<TextData> {
  let bytes: Uint8Array, source: string;
  if (path === null) {
    source = "tinyshakespeare";
    try {
      bytes = new TextEncoder().encode(await loadDataset("tinyshakespeare"));
    } catch (e) {
      if (e instanceof DatasetNotFoundError || e instanceof DatasetChecksumError) {
        throw new CliError(`${e.message.split("\n")[0]}`, 1);
      }
      throw e;
    }
  } else {
    source = path;
    bytes = await readFile(path);
  }
  const where = path === null ? "Tiny Shakespeare" : path;
  if (bytes.length === 0) {
    throw new CliError(`${where} is empty: give --data a text file to train on`, 1);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(
      `${where} is not UTF-8 text (byte ${firstInvalidByte(bytes)} starts an invalid sequence): ` +
        `convert it to UTF-8 or give --data another file`,
      1,
    );
  }
  const vocab = CharVocab.fromText(text);
  const { train, val } = splitTrainVal(vocab.encode(text), 0.9);
  if (val.length <= blockSize) {
    throw new CliError(
      `${where} is too short for --block-size ${blockSize}: its last 10% (the validation ` +
        `split) has ${val.length} characters and needs at least ${blockSize + 1}; use a longer ` +
        `file or a smaller --block-size`,
      1,
    );
  }
  return { source, sha256: await sha256Hex(bytes), vocab, train, val };
}

async function readFile(path: string): Promise<Uint8Array> {
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      throw new CliError(`--data ${path} is a directory: give a text file`, 1);
    }
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CliError(
        `--data ${path}: no such file; give a UTF-8 text file, or leave --data out for ` +
          `Tiny Shakespeare`,
        1,
      );
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new CliError(`--data ${path}: permission denied; make the file readable`, 1);
    }
    throw e;
  }
}

/** The offset of the first byte where UTF-8 decoding fails. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80
      ? 1
      : b >= 0xc2 && b < 0xe0
      ? 2
      : b >= 0xe0 && b < 0xf0
      ? 3
      : b >= 0xf0 && b < 0xf5
      ? 4
      : 0;
    if (n === 0 || i + n > bytes.length) return i;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return i;
}
