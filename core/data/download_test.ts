import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { DatasetNotFoundError, DATASETS, DownloadTimeoutError, loadDataset } from "./datasets.ts";
import type { ProgressOutput } from "./progress_bar.ts";

// Downloads that never answer or stall mid-body fail after timeoutMs (fake fetches, no network).

const DATA = Deno.env.get("KATAGRAD_DATA");
const needsData = { ignore: !DATA }; // tests read ../shared/data via KATAGRAD_DATA

function quiet(): ProgressOutput & { text: () => string } {
  let text = "";
  return {
    writeSync: (p) => (text += new TextDecoder().decode(p), p.length),
    isTerminal: () => false,
    text: () => text,
  };
}

async function withTempDirs<T>(f: (data: string, cache: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "katagrad_dl_" });
  const data = join(root, "data"), cache = join(root, "cache");
  await Deno.mkdir(data);
  try {
    return await f(data, cache);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** A fake fetch whose server never answers; it counts the aborts it is sent. */
function silentFetch() {
  const aborted: unknown[] = [];
  const fn = (_url: string, init?: { signal?: AbortSignal }) =>
    new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener("abort", () => {
        aborted.push(init.signal!.reason);
        reject(init.signal!.reason);
      });
    });
  return { fn, aborted };
}

/** A fake fetch that answers, sends `sendBytes`, then goes quiet without closing. */
function stallingFetch(sendBytes: number) {
  let cancelled = false;
  const fn = () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (!sent) {
          sent = true;
          c.enqueue(new Uint8Array(sendBytes));
        }
        return new Promise(() => {}); // and then nothing, ever
      },
      cancel() {
        cancelled = true;
      },
    });
    return Promise.resolve(new Response(body));
  };
  return { fn, cancelled: () => cancelled };
}

Deno.test("a server that never answers fails after timeoutMs, naming the URL and the wait", async () => {
  await withTempDirs(async (data, cache) => {
    const f = silentFetch();
    const t0 = performance.now();
    await rejects(
      loadDataset("names", {
        dataDir: data,
        cacheDir: cache,
        fetch: f.fn,
        progress: quiet(),
        timeoutMs: 150,
      }),
      (e: unknown) => {
        ok(e instanceof DatasetNotFoundError);
        const cause = e.cause;
        ok(cause instanceof DownloadTimeoutError);
        const expected =
          `Cannot download ${DATASETS.names.url}: no response from the server within 150 ms. ` +
          `Check the network connection (and any proxy) and try again, allow longer with { timeoutMs }, ` +
          `or download the file yourself`;
        equal(cause.message, expected);
        equal(cause.url, DATASETS.names.url);
        equal(cause.timeoutMs, 150);
        equal(cause.receivedBytes, null);
        // the data set error carries it, and says where to put a copy
        ok(e.message.includes(`(download failed: ${expected})`), e.message);
        ok(e.message.includes(`put it at one of:\n  - ${cache}/names.txt`), e.message);
        return true;
      },
    );
    const waited = performance.now() - t0;
    ok(waited >= 140 && waited < 5000, `waited ${waited} ms`);
    equal(f.aborted.length, 1, "the request was aborted");
    ok(f.aborted[0] instanceof DownloadTimeoutError);
    deepEqual(await listDir(cache), []);
  });
});

Deno.test("a download that stalls mid-body fails after timeoutMs, saying how far it got", async () => {
  await withTempDirs(async (data, cache) => {
    const f = stallingFetch(65_536);
    const out = quiet();
    await rejects(
      loadDataset("names", {
        dataDir: data,
        cacheDir: cache,
        fetch: f.fn,
        progress: out,
        timeoutMs: 120,
      }),
      (e: unknown) => {
        ok(e instanceof DatasetNotFoundError);
        ok(e.cause instanceof DownloadTimeoutError);
        equal(
          e.cause.message,
          `Cannot download ${DATASETS.names.url}: the transfer stalled: no data for 120 ms after ` +
            `65,536 of 228,145 bytes. Check the network connection (and any proxy) and try again, ` +
            `allow longer with { timeoutMs }, or download the file yourself`,
        );
        equal(e.cause.receivedBytes, 65_536);
        return true;
      },
    );
    ok(f.cancelled(), "the body stream was cancelled");
    equal(
      out.text(),
      "names.txt: downloading 228,145 bytes\nnames.txt: failed after 65,536 bytes\n",
    );
    deepEqual(await listDir(cache), []);
  });
});

Deno.test("a slow but steady download is not cut off by the timeout", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    const bytes = await Deno.readFile(join(DATA!, "names.txt"));
    // four chunks, each 40 ms apart: 160 ms in all, more than the 100 ms timeout
    const fetch = () => {
      let offset = 0;
      const chunk = Math.ceil(bytes.length / 4);
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          await new Promise((r) => setTimeout(r, 40));
          if (offset >= bytes.length) return c.close();
          c.enqueue(bytes.slice(offset, offset + chunk));
          offset += chunk;
        },
      });
      return Promise.resolve(new Response(body));
    };
    const text = await loadDataset("names", {
      dataDir: data,
      cacheDir: cache,
      fetch,
      progress: quiet(),
      timeoutMs: 100,
    });
    equal(text.split("\n").length, 32_033);
  });
});

Deno.test("timeoutMs must be a positive number", async () => {
  await withTempDirs(async (data, cache) => {
    for (const timeoutMs of [0, -1, NaN, Infinity]) {
      await rejects(
        loadDataset("names", {
          dataDir: data,
          cacheDir: cache,
          fetch: silentFetch().fn,
          timeoutMs,
        }),
        {
          name: "RangeError",
          message:
            `Cannot load dataset "names": timeoutMs is ${timeoutMs}: expected a positive number of milliseconds`,
        },
      );
    }
  });
});
