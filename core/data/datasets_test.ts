import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import {
  DatasetChecksumError,
  DatasetNotFoundError,
  datasetPath,
  DATASETS,
  loadDataset,
  userCacheDir,
} from "./datasets.ts";
import { sha256Hex } from "./download.ts";
import type { ProgressOutput } from "./progress_bar.ts";

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

/** A fake fetch serving `bytes` in 64 KiB chunks, counting its calls. */
function fakeFetch(bytes: Uint8Array, opts: { status?: number; failAt?: number } = {}) {
  const calls: string[] = [];
  const fn = (url: string) => {
    calls.push(url);
    if (opts.status && opts.status !== 200) {
      return Promise.resolve(
        new Response("nope", { status: opts.status, statusText: "Not Found" }),
      );
    }
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (opts.failAt !== undefined && offset >= opts.failAt) {
          c.error(new Error("connection reset"));
          return;
        }
        if (offset >= bytes.length) return c.close();
        c.enqueue(bytes.slice(offset, offset + 65536));
        offset += 65536;
      },
    });
    return Promise.resolve(new Response(body));
  };
  return { fn, calls };
}

async function withTempDirs<T>(f: (data: string, cache: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "katagrad_ds_" });
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

Deno.test("loadDataset() reads names.txt from $KATAGRAD_DATA", needsData, async () => {
  const text = await loadDataset("names", { cacheDir: "/nonexistent", download: false });
  equal(text.length, 228_145);
  const words = text.split("\n");
  equal(words.length, 32_033);
  deepEqual(words.slice(0, 3), ["emma", "olivia", "ava"]);
  equal(await datasetPath("names", { download: false }), join(DATA!, "names.txt"));
});

Deno.test("loadDataset() reads all three data sets with their sizes", needsData, async () => {
  equal((await loadDataset("tinyshakespeare", { download: false })).length, 1_115_394);
  const taylor = await loadDataset("taylorswift", { download: false });
  equal([...taylor].length, 185_561); // UTF-8 with multibyte characters
  equal(new TextEncoder().encode(taylor).length, DATASETS.taylorswift.bytes);
});

Deno.test("datasetPath() looks at path, then data dir, then cache", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    const src = join(DATA!, "names.txt");
    const none = { fn: () => Promise.reject(new Error("no network in tests")) };
    const opts = { dataDir: data, cacheDir: cache, fetch: none.fn };
    await Deno.mkdir(cache);
    await Deno.copyFile(src, join(cache, "names.txt"));
    equal(await datasetPath("names", opts), join(cache, "names.txt"));
    await Deno.copyFile(src, join(data, "names.txt"));
    equal(await datasetPath("names", opts), join(data, "names.txt"));
    equal(await datasetPath("names", { ...opts, path: src }), src);
  });
});

Deno.test("datasetPath() uses $KATAGRAD_DATA when no dataDir is given", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    await Deno.copyFile(join(DATA!, "taylorswift.txt"), join(data, "taylorswift.txt"));
    const saved = Deno.env.get("KATAGRAD_DATA");
    Deno.env.set("KATAGRAD_DATA", data);
    try {
      equal(await datasetPath("taylorswift", { cacheDir: cache }), join(data, "taylorswift.txt"));
    } finally {
      if (saved === undefined) Deno.env.delete("KATAGRAD_DATA");
      else Deno.env.set("KATAGRAD_DATA", saved);
    }
  });
});

Deno.test("a file with another sha256 is refused with both hashes and its path", async () => {
  await withTempDirs(async (data, cache) => {
    const bad = join(data, "names.txt");
    await Deno.writeTextFile(bad, "emma\nolivia\n");
    const actual = await sha256Hex(new TextEncoder().encode("emma\nolivia\n"));
    let fetched = 0;
    const fetch = () => (fetched++, Promise.reject(new Error("must not be called")));
    const check = (hint: string, path: string) => (e: unknown) => {
      ok(e instanceof DatasetChecksumError);
      equal(e.path, path);
      equal(e.expected, DATASETS.names.sha256);
      equal(e.actual, actual);
      equal(
        e.message,
        `Cannot use ${path} as dataset "names": sha256 mismatch\n` +
          `  expected ${DATASETS.names.sha256}\n  actual   ${actual}\n${hint}`,
      );
      return true;
    };
    // the cache and the download are not tried behind a bad file
    await rejects(
      datasetPath("names", { dataDir: data, cacheDir: cache, fetch }),
      check("replace it with an unmodified copy", bad),
    );
    await rejects(
      datasetPath("names", { path: bad }),
      check("pass the path of an unmodified copy", bad),
    );
    await Deno.mkdir(cache);
    const cached = join(cache, "names.txt");
    await Deno.copyFile(bad, cached);
    await rejects(
      datasetPath("names", { dataDir: cache + "_none", cacheDir: cache, fetch }),
      check("delete it and katagrad downloads it again", cached),
    );
    equal(fetched, 0);
  });
});

Deno.test("unknown dataset names are a TypeError listing the known ones", async () => {
  // deno-lint-ignore no-explicit-any
  await rejects(loadDataset("shakespeare" as any), {
    name: "TypeError",
    message:
      'Cannot load dataset "shakespeare": unknown name; known: names, tinyshakespeare, taylorswift, cl100k_base, r50k_base, gpt2-124m',
  });
});

Deno.test("DatasetNotFoundError says where it looked and where to put the file", async () => {
  await withTempDirs(async (data, cache) => {
    await rejects(
      datasetPath("tinyshakespeare", { dataDir: data, cacheDir: cache, download: false }),
      (e: unknown) => {
        ok(e instanceof DatasetNotFoundError);
        const info = DATASETS.tinyshakespeare;
        equal(
          e.message,
          `Cannot load dataset "tinyshakespeare": tinyshakespeare.txt was not found.\n` +
            `Looked in:\n` +
            `  - ${data}/tinyshakespeare.txt ($KATAGRAD_DATA: not found)\n` +
            `  - ${cache}/tinyshakespeare.txt (the cache: not found)\n` +
            `  - ${info.url} (download disabled)\n` +
            `Download ${info.url}\n(1,115,394 bytes, sha256 ${info.sha256}) and put it at one of:\n` +
            `  - ${cache}/tinyshakespeare.txt\n  - ${data}/tinyshakespeare.txt\n` +
            `or pass { path: "/path/to/tinyshakespeare.txt" }.`,
        );
        return true;
      },
    );
    await rejects(datasetPath("names", { path: join(data, "missing.txt") }), {
      name: "DatasetNotFoundError",
      message: new RegExp(`missing\\.txt \\(the explicit path: not found\\)`),
    });
  });
});

Deno.test("a missing file is downloaded into the cache, verified, once", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    const bytes = await Deno.readFile(join(DATA!, "names.txt"));
    const f = fakeFetch(bytes);
    const out = quiet();
    const opts = { dataDir: data, cacheDir: cache, fetch: f.fn, progress: out };
    const text = await loadDataset("names", opts);
    equal(text.split("\n").length, 32_033);
    deepEqual(f.calls, [DATASETS.names.url]);
    deepEqual(await listDir(cache), ["names.txt"]); // no temporary file left
    equal(
      out.text(),
      "names.txt: downloading 228,145 bytes\nnames.txt: done (228,145 bytes)\n",
    );
    equal(await datasetPath("names", opts), join(cache, "names.txt"));
    equal(f.calls.length, 1); // the second call found the cached copy
  });
});

Deno.test("the progress bar is redrawn in place on a terminal", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    const bytes = await Deno.readFile(join(DATA!, "names.txt"));
    let text = "";
    const tty = {
      writeSync: (p: Uint8Array) => (text += new TextDecoder().decode(p), p.length),
      isTerminal: () => true,
    };
    await datasetPath("names", {
      dataDir: data,
      cacheDir: cache,
      fetch: fakeFetch(bytes).fn,
      progress: tty,
    });
    const frames = text.split("\r").filter((s) => s);
    ok(frames.length >= 4, `expected several frames, got ${frames.length}`);
    equal(frames[0], `names.txt [${"-".repeat(30)}]   0% 0 bytes`);
    equal(frames.at(-1), `names.txt [${"#".repeat(30)}] 100% 228,145 bytes\n`);
  });
});

Deno.test("a corrupted download is refused and nothing is written", needsData, async () => {
  await withTempDirs(async (data, cache) => {
    const bytes = await Deno.readFile(join(DATA!, "names.txt"));
    bytes[1000] ^= 1;
    await rejects(
      loadDataset("names", {
        dataDir: data,
        cacheDir: cache,
        fetch: fakeFetch(bytes).fn,
        progress: quiet(),
      }),
      (e: unknown) => {
        ok(e instanceof DatasetChecksumError);
        ok(
          e.message.startsWith(
            `Cannot use ${DATASETS.names.url} (downloaded for ${cache}/names.txt) as dataset "names": sha256 mismatch\n  expected ${DATASETS.names.sha256}\n  actual   `,
          ),
          e.message,
        );
        ok(e.actual !== e.expected);
        return true;
      },
    );
    deepEqual(await listDir(cache), []);
  });
});

Deno.test("failed downloads leave nothing under the real name", async () => {
  await withTempDirs(async (data, cache) => {
    const opts = { dataDir: data, cacheDir: cache, progress: quiet() };
    const cases: [string, (u: string) => Promise<Response>][] = [
      ["HTTP 404 Not Found", fakeFetch(new Uint8Array(0), { status: 404 }).fn],
      ["network down", () => Promise.reject(new TypeError("network down"))],
      ["connection reset", fakeFetch(new Uint8Array(300_000), { failAt: 131072 }).fn],
      ["the server sent more than 228145 bytes", fakeFetch(new Uint8Array(300_000)).fn],
    ];
    for (const [why, fetch] of cases) {
      await rejects(loadDataset("names", { ...opts, fetch }), (e: unknown) => {
        ok(e instanceof DatasetNotFoundError);
        ok(
          e.message.includes(`${DATASETS.names.url} (download failed: ${why})`),
          e.message,
        );
        ok(e.cause instanceof Error);
        return true;
      });
      deepEqual(await listDir(cache), [], why);
    }
  });
});

Deno.test("userCacheDir() follows XDG_CACHE_HOME on Linux", () => {
  if (Deno.build.os !== "linux") return;
  const saved = Deno.env.get("XDG_CACHE_HOME");
  try {
    Deno.env.set("XDG_CACHE_HOME", "/tmp/xdg");
    equal(userCacheDir(), "/tmp/xdg/katagrad");
    Deno.env.delete("XDG_CACHE_HOME");
    equal(userCacheDir(), join(Deno.env.get("HOME")!, ".cache", "katagrad"));
  } finally {
    if (saved === undefined) Deno.env.delete("XDG_CACHE_HOME");
    else Deno.env.set("XDG_CACHE_HOME", saved);
  }
});
