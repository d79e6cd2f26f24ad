/**
 * Downloading a file into memory with a progress bar and a size cap, and
 * hashing bytes with WebCrypto. Used by the data set loader.
 *
 * @module
 */

import { ProgressBar, type ProgressOutput } from "./progress_bar.ts";

/** The part of `fetch` katagrad uses; tests inject a fake. */
export type FetchLike = (url: string) => Promise<Response>;

/** Options of {@link downloadBytes}. */
export interface DownloadOptions {
  /** The function that fetches (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Where progress goes (default `Deno.stderr`). */
  progress?: ProgressOutput;
}

/**
 * Fetches `url` into memory, showing progress, refusing an HTTP error status
 * and any body longer than `expectedBytes` (so a wrong or hostile server
 * cannot fill memory).
 *
 * @param url the source
 * @param label the name shown beside the progress bar
 * @param expectedBytes the size the file should have
 * @param options the fetch function and progress output
 * @returns the bytes received
 * @throws {Error} "HTTP <status> <text>" for an error status, "more than N bytes"
 *   for an overlong body, or whatever the fetch function throws
 * @example With a fake fetch
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { downloadBytes } from "./download.ts";
 * const fetch = () => Promise.resolve(new Response(new Uint8Array([1, 2, 3])));
 * const quiet = { writeSync: (p: Uint8Array) => p.length, isTerminal: () => false };
 * deepEqual([...await downloadBytes("https://x/y", "y", 3, { fetch, progress: quiet })], [1, 2, 3]);
 * ```
 */
export async function downloadBytes(
  url: string,
  label: string,
  expectedBytes: number,
  options: DownloadOptions = {},
): Promise<Uint8Array> {
  const fetchFn: FetchLike = options.fetch ?? ((u) => fetch(u));
  const res = await fetchFn(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status} ${res.statusText}`.trimEnd());
  }
  if (!res.body) throw new Error("the response has no body");
  const bar = new ProgressBar(label, expectedBytes, options.progress);
  const out = new Uint8Array(expectedBytes);
  let received = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > expectedBytes) {
        await reader.cancel();
        throw new Error(`the server sent more than ${expectedBytes} bytes`);
      }
      out.set(value, received);
      received += value.length;
      bar.update(received);
    }
  } finally {
    reader.releaseLock();
  }
  bar.finish();
  return out.subarray(0, received);
}

/**
 * The sha256 of some bytes, lowercase hex (WebCrypto).
 *
 * @param bytes the data
 * @returns 64 hex digits
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { sha256Hex } from "./download.ts";
 * equal(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
