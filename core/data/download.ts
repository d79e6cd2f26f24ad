/**
 * Downloading a file into memory with a progress bar and a size cap, and
 * hashing bytes with WebCrypto. Used by the data set loader.
 *
 * @module
 */

import { ProgressBar, type ProgressOutput } from "./progress_bar.ts";

/**
 * The part of `fetch` katagrad uses; tests inject a fake. The `signal` aborts
 * the request when a download times out (a fake may ignore it).
 */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/** How long a download may wait for a response, or for the next bytes of the body (30 s). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;

/** Options of {@link downloadBytes}. */
export interface DownloadOptions {
  /** The function that fetches (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Where progress goes (default `Deno.stderr`). */
  progress?: ProgressOutput;
  /**
   * Milliseconds to wait for the server to answer, and then for each next piece
   * of the body, before giving up with a {@link DownloadTimeoutError}
   * (default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}).
   */
  timeoutMs?: number;
}

/**
 * A download that timed out: the server never answered, or stopped sending
 * part-way through the body. The message names the URL, the wait and what to do.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DownloadTimeoutError } from "./download.ts";
 * const e = new DownloadTimeoutError("https://x/names.txt", 30_000, 0);
 * equal(e.name, "DownloadTimeoutError");
 * equal(e.receivedBytes, 0);
 * ```
 */
export class DownloadTimeoutError extends Error {
  /** Always `"DownloadTimeoutError"`. */
  override name = "DownloadTimeoutError";
  /** The URL. */
  readonly url: string;
  /** How long it waited, in milliseconds. */
  readonly timeoutMs: number;
  /** Bytes received before the wait; `null` when the server never answered. */
  readonly receivedBytes: number | null;

  /**
   * Creates the error.
   *
   * @param url the URL
   * @param timeoutMs the wait that ran out
   * @param receivedBytes bytes received before it (`null`: no response at all)
   * @param expectedBytes the file's size, for the message
   */
  constructor(url: string, timeoutMs: number, receivedBytes: number | null, expectedBytes = 0) {
    const wait = timeoutMs < 1000 ? `${timeoutMs} ms` : `${timeoutMs / 1000} s`;
    const what = receivedBytes === null
      ? `no response from the server within ${wait}`
      : `the transfer stalled: no data for ${wait} after ${receivedBytes.toLocaleString("en-US")}` +
        (expectedBytes > 0 ? ` of ${expectedBytes.toLocaleString("en-US")} bytes` : " bytes");
    super(
      `Cannot download ${url}: ${what}. Check the network connection (and any proxy) and try ` +
        `again, allow longer with { timeoutMs }, or download the file yourself`,
    );
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.receivedBytes = receivedBytes;
  }
}

/**
 * Fetches `url` into memory, showing progress, refusing an HTTP error status
 * and any body longer than `expectedBytes` (so a wrong or hostile server
 * cannot fill memory), and giving up when the server does not answer, or stops
 * sending, for `timeoutMs`.
 *
 * @param url the source
 * @param label the name shown beside the progress bar
 * @param expectedBytes the size the file should have
 * @param options the fetch function, progress output and timeout
 * @returns the bytes received
 * @throws {DownloadTimeoutError} when the server is silent for `timeoutMs`
 * @throws {RangeError} for a `timeoutMs` that is not a positive number
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || timeoutMs === Infinity) {
    throw new RangeError(
      `Cannot download ${url}: timeoutMs is ${
        String(timeoutMs)
      }: expected a positive number of milliseconds`,
    );
  }
  const fetchFn: FetchLike = options.fetch ?? ((u, init) => fetch(u, init));
  const abort = new AbortController();
  const giveUp = (received: number | null) => () => {
    const e = new DownloadTimeoutError(url, timeoutMs, received, expectedBytes);
    abort.abort(e);
    return e;
  };
  const res = await withTimeout(fetchFn(url, { signal: abort.signal }), timeoutMs, giveUp(null));
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
      const { done, value } = await withTimeout(reader.read(), timeoutMs, giveUp(received));
      if (done) break;
      if (received + value.length > expectedBytes) {
        throw new Error(`the server sent more than ${expectedBytes} bytes`);
      }
      out.set(value, received);
      received += value.length;
      bar.update(received);
    }
  } catch (e) {
    bar.fail();
    await reader.cancel(e).catch(() => {});
    throw e;
  } finally {
    reader.releaseLock();
  }
  bar.finish();
  return out.subarray(0, received);
}

/** `p`, or a rejection with `onTimeout()` if it has not settled after `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
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
