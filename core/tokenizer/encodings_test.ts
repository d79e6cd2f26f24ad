/** loadEncoding / loadRanks through the data-set loader: sha256-pinned, bad names, wrong counts. */

import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { DatasetChecksumError, DATASETS } from "../data/datasets.ts";
import { rankFileBytes, rankFileDir } from "../testing/tiktoken_ranks.ts";
import { encodingFromRanks, type EncodingName, loadEncoding, loadRanks } from "./encodings.ts";

Deno.test("loadRanks reads the pinned rank file: 100,256 cl100k tokens, rank 0 is '!'", async () => {
  const ranks = await loadRanks("cl100k_base", { dataDir: await rankFileDir(), download: false });
  equal(ranks.length, 100256);
  deepEqual([...ranks[0]], [33]);
  deepEqual(new TextDecoder().decode(ranks[1917]), " world");
});

Deno.test("a rank file with one byte changed is refused by its sha256", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = await rankFileBytes("r50k_base");
    bytes[100] ^= 1;
    await Deno.writeFile(join(dir, DATASETS.r50k_base.file), bytes);
    await rejects(
      loadEncoding("r50k_base", { dataDir: dir, cacheDir: dir, download: false }),
      DatasetChecksumError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unknown encodings and wrong rank counts are refused with the known names", async () => {
  await rejects(loadEncoding("p50k_base" as EncodingName), {
    name: "TypeError",
    message: 'Cannot load encoding "p50k_base": unknown name; known: cl100k_base, r50k_base',
  });
  throws(() => encodingFromRanks("r50k_base", [new Uint8Array([1])]), {
    name: "RangeError",
    message: "Cannot build r50k_base: expected 50256 ranks, got 1",
  });
});
