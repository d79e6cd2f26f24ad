/**
 * The course's data sets by name, each pinned by its sha256. Lookup order: an
 * explicit path → `$KATAGRAD_DATA/<file>` → the user cache directory → a
 * download from the public source (progress on stderr, verified, written
 * atomically into the cache) → a {@link DatasetNotFoundError} that says where
 * the file can be put. A file whose hash differs is refused, never used.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { type ProgressOutput } from "./progress_bar.ts";
import { downloadBytes, type FetchLike, sha256Hex } from "./download.ts";
import { env, userCacheDir } from "./cache_dir.ts";
import { DatasetChecksumError, DatasetNotFoundError } from "./dataset_errors.ts";
import { checkBoolean, checkFunction, checkOptions, checkString, describe } from "../validate.ts";

export { DownloadTimeoutError, type FetchLike } from "./download.ts";
export { userCacheDir } from "./cache_dir.ts";
export { DatasetChecksumError, DatasetNotFoundError } from "./dataset_errors.ts";

/**
 * The names of the known data sets: the course's texts and tiktoken's rank
 * files (`cl100k_base`: GPT-4, `r50k_base`: GPT-2), which the tokenizer loads.
 */
export type DatasetName =
  | "names"
  | "tinyshakespeare"
  | "taylorswift"
  | "cl100k_base"
  | "r50k_base"
  | "gpt2-124m";

/** What katagrad knows about a data set. */
export interface DatasetInfo {
  /** The data set's name. */
  readonly name: DatasetName;
  /** Its file name (in `$KATAGRAD_DATA` and the cache). */
  readonly file: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The sha256 of its bytes, lowercase hex. */
  readonly sha256: string;
  /** Where it is downloaded from. */
  readonly url: string;
}

/**
 * The known data sets: file name, size, sha256 and source URL.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DATASETS } from "./datasets.ts";
 * equal(DATASETS.names.file, "names.txt");
 * equal(DATASETS.tinyshakespeare.bytes, 1_115_394);
 * ```
 */
export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = Object.freeze({
  names: {
    name: "names",
    file: "names.txt",
    bytes: 228_145,
    sha256: "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d",
    url: "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt",
  },
  tinyshakespeare: {
    name: "tinyshakespeare",
    file: "tinyshakespeare.txt",
    bytes: 1_115_394,
    sha256: "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    url:
      "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
  },
  taylorswift: {
    name: "taylorswift",
    file: "taylorswift.txt",
    bytes: 185_768,
    sha256: "c2e39cb822d4ae0caac22152cefc306d466e31217a9c5524e493ad2b76792f57",
    url: "https://raw.githubusercontent.com/karpathy/minbpe/master/tests/taylorswift.txt",
  },
  cl100k_base: {
    name: "cl100k_base",
    file: "cl100k_base.tiktoken",
    bytes: 1_681_126,
    sha256: "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    url: "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
  },
  r50k_base: {
    name: "r50k_base",
    file: "r50k_base.tiktoken",
    bytes: 835_554,
    sha256: "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
    url: "https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken",
  },
  "gpt2-124m": {
    name: "gpt2-124m",
    file: "gpt2-124m.safetensors",
    bytes: 548_105_171,
    sha256: "248dfc3911869ec493c76e65bf2fcf7f615828b0254c12b473182f0f81d3a707",
    url: "https://huggingface.co/openai-community/gpt2/resolve/main/model.safetensors",
  },
});

/** Options of {@link datasetPath} and {@link loadDataset}. */
export interface DatasetOptions {
  /** Use this file (it must exist and match the sha256); nothing else is tried. */
  path?: string;
  /** The data directory; defaults to `$KATAGRAD_DATA`. */
  dataDir?: string;
  /** The cache directory; defaults to {@link userCacheDir}. */
  cacheDir?: string;
  /** Whether to download a missing file into the cache (default `true`). */
  download?: boolean;
  /** The function that downloads (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Where download progress goes (default `Deno.stderr`). */
  progress?: ProgressOutput;
  /**
   * Milliseconds a download waits for the server to answer, and then for each
   * next piece of the file, before failing (default 30,000).
   */
  timeoutMs?: number;
}

/**
 * Finds (or downloads) a data set and returns its verified path.
 *
 * @param name a {@link DatasetName}: `"names"`, `"tinyshakespeare"`, `"taylorswift"`, or a rank file
 * @param options an explicit path, directories, download switch and fetch
 * @returns the path of a file whose sha256 matches
 * @throws {TypeError} for an unknown name (the message lists the known ones)
 * @throws {RangeError} for a `timeoutMs` that is not a positive number
 * @throws {DatasetChecksumError} when the file found (or downloaded) has another sha256
 * @throws {DatasetNotFoundError} when no copy is found and none could be downloaded
 *   (its `cause` says why, e.g. a {@link DownloadTimeoutError})
 * @example Nowhere to be found, download disabled
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { datasetPath, DatasetNotFoundError } from "./datasets.ts";
 * const empty = await Deno.makeTempDir();
 * await rejects(
 *   datasetPath("names", { dataDir: empty, cacheDir: empty, download: false }),
 *   DatasetNotFoundError,
 * );
 * await Deno.remove(empty);
 * ```
 */
export async function datasetPath(
  name: DatasetName,
  options: DatasetOptions = {},
): Promise<string> {
  return (await resolveDataset(name, checkDatasetOptions("datasetPath", options))).path;
}

/**
 * Finds (or downloads) a data set and returns its text (UTF-8).
 *
 * @param name a {@link DatasetName}: `"names"`, `"tinyshakespeare"`, `"taylorswift"`, or a rank file
 * @param options an explicit path, directories, download switch and fetch
 * @returns the text
 * @throws {TypeError} for an unknown name (the message lists the known ones)
 * @throws {RangeError} for a `timeoutMs` that is not a positive number
 * @throws {DatasetChecksumError} when the file found (or downloaded) has another sha256
 * @throws {DatasetNotFoundError} when no copy is found and none could be downloaded
 *   (its `cause` says why, e.g. a {@link DownloadTimeoutError})
 * @example An unknown name
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { type DatasetName, loadDataset } from "./datasets.ts";
 * await rejects(loadDataset("mnist" as DatasetName), {
 *   name: "TypeError",
 *   message: 'Cannot load dataset "mnist": unknown name; known: names, tinyshakespeare, taylorswift, cl100k_base, r50k_base, gpt2-124m',
 * });
 * ```
 */
export async function loadDataset(
  name: DatasetName,
  options: DatasetOptions = {},
): Promise<string> {
  const { bytes } = await resolveDataset(name, checkDatasetOptions("loadDataset", options));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function checkDatasetOptions(op: string, options: DatasetOptions): DatasetOptions {
  const o = checkOptions(op, options, [
    "path",
    "dataDir",
    "cacheDir",
    "download",
    "fetch",
    "progress",
    "timeoutMs",
  ]);
  for (const k of ["path", "dataDir", "cacheDir"] as const) {
    if (o[k] !== undefined) checkString(op, k, o[k]);
  }
  if (o.download !== undefined) checkBoolean(op, "download", o.download);
  if (o.fetch !== undefined) checkFunction(op, "fetch", o.fetch);
  if (o.progress !== undefined && (typeof o.progress !== "object" || o.progress === null)) {
    throw new TypeError(
      `${op}: progress must be an output such as Deno.stderr, got ${describe(o.progress)}`,
    );
  }
  return o;
}

async function resolveDataset(
  name: DatasetName,
  options: DatasetOptions,
): Promise<{ path: string; bytes: Uint8Array }> {
  const info = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!info) {
    throw new TypeError(
      `Cannot load dataset ${JSON.stringify(name)}: unknown name; known: ${
        Object.keys(DATASETS).join(", ")
      }`,
    );
  }
  const t = options.timeoutMs;
  if (t !== undefined && (typeof t !== "number" || !(t > 0) || t === Infinity)) {
    throw new RangeError(
      `Cannot load dataset ${JSON.stringify(name)}: timeoutMs is ${String(t)}: ` +
        `expected a positive number of milliseconds`,
    );
  }
  const tried: string[] = [];
  if (options.path !== undefined) {
    const found = await readVerified(info, options.path, "pass the path of an unmodified copy");
    if (found) return found;
    tried.push(`${options.path} (the explicit path: not found)`);
    throw new DatasetNotFoundError(info, tried, [options.path]);
  }

  const dataDir = options.dataDir ?? env("KATAGRAD_DATA");
  if (dataDir) {
    const p = join(dataDir, info.file);
    const found = await readVerified(info, p, "replace it with an unmodified copy");
    if (found) return found;
    tried.push(`${p} ($KATAGRAD_DATA: not found)`);
  } else tried.push("$KATAGRAD_DATA/" + info.file + " (KATAGRAD_DATA is not set)");

  const cacheDir = options.cacheDir ?? userCacheDir();
  if (cacheDir) {
    const p = join(cacheDir, info.file);
    const found = await readVerified(info, p, "delete it and katagrad downloads it again");
    if (found) return found;
    tried.push(`${p} (the cache: not found)`);
  } else tried.push("the user cache directory (no HOME, XDG_CACHE_HOME or LOCALAPPDATA)");

  const putAt = [
    ...(cacheDir ? [join(cacheDir, info.file)] : []),
    dataDir ? join(dataDir, info.file) : `a directory named by $KATAGRAD_DATA`,
  ];
  if (options.download === false || !cacheDir) {
    tried.push(`${info.url} (download ${cacheDir ? "disabled" : "needs a cache directory"})`);
    throw new DatasetNotFoundError(info, tried, putAt);
  }
  const dest = join(cacheDir, info.file);
  let bytes: Uint8Array;
  try {
    bytes = await downloadBytes(info.url, info.file, info.bytes, {
      fetch: options.fetch,
      progress: options.progress,
      timeoutMs: options.timeoutMs,
    });
  } catch (e) {
    tried.push(`${info.url} (download failed: ${(e as Error).message})`);
    throw new DatasetNotFoundError(info, tried, putAt, e);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== info.sha256) {
    throw new DatasetChecksumError(
      info,
      `${info.url} (downloaded for ${dest})`,
      actual,
      `Nothing was written; the source may have changed or the download was corrupted.`,
    );
  }
  await Deno.mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(dest, bytes);
  return { path: dest, bytes };
}

/** Reads and verifies a candidate; `undefined` when it does not exist. */
async function readVerified(
  info: DatasetInfo,
  path: string,
  hint: string,
): Promise<{ path: string; bytes: Uint8Array } | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const actual = await sha256Hex(bytes);
  if (actual !== info.sha256) throw new DatasetChecksumError(info, path, actual, hint);
  return { path, bytes };
}
