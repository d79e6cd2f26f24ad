/**
 * The errors of the data set loader: not found anywhere, or found with the
 * wrong sha256.
 *
 * @module
 */

import type { DatasetInfo, DatasetName } from "./datasets.ts";

/**
 * No copy of a data set was found (and none could be downloaded). The message
 * lists each place tried and where the file can be put.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { DatasetNotFoundError, loadDataset } from "./datasets.ts";
 * const empty = await Deno.makeTempDir();
 * await rejects(
 *   loadDataset("taylorswift", { dataDir: empty, cacheDir: empty, download: false }),
 *   (e) => e instanceof DatasetNotFoundError && e.tried.length === 3,
 * );
 * await Deno.remove(empty);
 * ```
 */
export class DatasetNotFoundError extends Error {
  /** The data set. */
  readonly dataset: DatasetName;
  /** The places that were tried, in order, each with why it failed. */
  readonly tried: readonly string[];

  /**
   * Creates the error.
   *
   * @param info the data set
   * @param tried the places tried, with reasons
   * @param putAt where the user can put the file
   * @param cause the download error, if any
   */
  constructor(
    info: DatasetInfo,
    tried: readonly string[],
    putAt: readonly string[],
    cause?: unknown,
  ) {
    super(
      `Cannot load dataset "${info.name}": ${info.file} was not found.\n` +
        `Looked in:\n${tried.map((t) => `  - ${t}`).join("\n")}\n` +
        `Download ${info.url}\n(${info.bytes.toLocaleString("en-US")} bytes, ` +
        `sha256 ${info.sha256}) and put it at one of:\n` +
        putAt.map((p) => `  - ${p}`).join("\n") + `\nor pass { path: "/path/to/${info.file}" }.`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "DatasetNotFoundError";
    this.dataset = info.name;
    this.tried = tried;
  }
}

/**
 * A data set file whose sha256 is not the expected one; it is never used. The
 * message has the path and both hashes.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { DatasetChecksumError, loadDataset } from "./datasets.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "not the names\n");
 * await rejects(loadDataset("names", { path }), DatasetChecksumError);
 * await Deno.remove(path);
 * ```
 */
export class DatasetChecksumError extends Error {
  /** The data set. */
  readonly dataset: DatasetName;
  /** The file (or download destination) that was refused. */
  readonly path: string;
  /** The sha256 katagrad expects. */
  readonly expected: string;
  /** The sha256 of the bytes found. */
  readonly actual: string;

  /**
   * Creates the error.
   *
   * @param info the data set
   * @param path the refused file (or the URL and destination of a download)
   * @param actual the sha256 of the bytes found
   * @param hint what the user can do
   */
  constructor(info: DatasetInfo, path: string, actual: string, hint: string) {
    super(
      `Cannot use ${path} as dataset "${info.name}": sha256 mismatch\n` +
        `  expected ${info.sha256}\n  actual   ${actual}\n${hint}`,
    );
    this.name = "DatasetChecksumError";
    this.dataset = info.name;
    this.path = path;
    this.expected = info.sha256;
    this.actual = actual;
  }
}
