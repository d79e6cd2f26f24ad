/**
 * cl100k_base encoding throughput on taylorswift.txt and tinyshakespeare.txt:
 * ours beside the npm tokenizers (gpt-tokenizer, js-tiktoken, and tiktoken's
 * Rust core as WebAssembly), in one `deno bench` group per file. MB/s = the
 * file's bytes / the time per iteration.
 *
 * ```sh
 * KATAGRAD_DATA=/path/to/data deno bench -A --lock=bench/deno.lock bench/tokenizer_encode_bench.ts
 * ```
 *
 * Ours runs twice: with its chunk cache warm (the steady state of a long
 * run; gpt-tokenizer keeps a cache as well) and with the cache emptied before
 * each iteration. The peers are loaded at run time (built specifiers, as in
 * `tfjs_peer.ts`), so they never reach deno.json or the learner's lockfile.
 *
 * @module
 */

import { DATASETS, loadDataset } from "../core/data/datasets.ts";
import { loadEncoding } from "../core/tokenizer/encodings.ts";
import { rankFileDir } from "../core/testing/tiktoken_ranks.ts";

const npm = (name: string, version: string, path = "") => `npm:${name}@${version}${path}`;
const gptTokenizer = await import(npm("gpt-tokenizer", "4.0.0", "/encoding/cl100k_base"));
const { Tiktoken: JsTiktoken } = await import(npm("js-tiktoken", "1.0.21", "/lite"));
const jsRanks = (await import(npm("js-tiktoken", "1.0.21", "/ranks/cl100k_base"))).default;
const { get_encoding } = await import(npm("tiktoken", "1.0.22"));

const ours = await loadEncoding("cl100k_base", { dataDir: await rankFileDir(), download: false })
  .catch(() => loadEncoding("cl100k_base"));
const jsTiktoken = new JsTiktoken(jsRanks);
const tiktoken = get_encoding("cl100k_base");

for (const name of ["taylorswift", "tinyshakespeare"] as const) {
  const text = await loadDataset(name);
  const group = `cl100k encode ${DATASETS[name].file} (${DATASETS[name].bytes} bytes)`;
  const expected = ours.encodeOrdinary(text).length;
  const check = (n: number, who: string) => {
    if (n !== expected) throw new Error(`${who}: ${n} tokens, ours ${expected}`);
  };
  check(gptTokenizer.encode(text).length, "gpt-tokenizer");
  check(tiktoken.encode_ordinary(text).length, "tiktoken");
  Deno.bench("katagrad (cache warm)", { group, baseline: true }, () => {
    ours.encodeOrdinary(text);
  });
  Deno.bench("katagrad (cache emptied each iteration)", { group }, () => {
    ours.clearCache();
    ours.encodeOrdinary(text);
  });
  Deno.bench("gpt-tokenizer 4.0.0", { group }, () => {
    gptTokenizer.encode(text);
  });
  Deno.bench("tiktoken 1.0.22 (Rust core, WebAssembly)", { group }, () => {
    tiktoken.encode_ordinary(text);
  });
  Deno.bench("js-tiktoken 1.0.21", { group }, () => {
    jsTiktoken.encode(text);
  });
}
