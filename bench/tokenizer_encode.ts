/**
 * cl100k_base encoding throughput in MB/s on taylorswift.txt and
 * tinyshakespeare.txt, ours beside the npm tokenizers, in interleaved rounds
 * in one process; each figure is the best round by wall clock and by this
 * process's CPU time (on a loaded machine the CPU-time figure is the steadier
 * one). `bench/tokenizer_encode_bench.ts` is the same comparison as a
 * `deno bench` group.
 *
 * ```sh
 * KATAGRAD_DATA=/path/to/data deno run -A --lock=bench/deno.lock bench/tokenizer_encode.ts
 * ```
 *
 * @module
 */

import process from "node:process";
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

const ROUNDS = Number(Deno.args[0] ?? 6);
const contenders: Array<[string, (text: string) => unknown]> = [
  ["katagrad (cache warm)", (t) => ours.encodeOrdinary(t)],
  ["katagrad (cache emptied)", (t) => (ours.clearCache(), ours.encodeOrdinary(t))],
  ["gpt-tokenizer 4.0.0", (t) => gptTokenizer.encode(t)],
  ["tiktoken 1.0.22 (WebAssembly)", (t) => tiktoken.encode_ordinary(t)],
  ["js-tiktoken 1.0.21", (t) => jsTiktoken.encode(t)],
];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

console.log(
  `load average ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}, ` +
    `${navigator.hardwareConcurrency} cores, best of ${ROUNDS} rounds`,
);
for (const name of ["taylorswift", "tinyshakespeare"] as const) {
  const text = await loadDataset(name);
  const mb = DATASETS[name].bytes / 1e6;
  const wall = contenders.map(() => Infinity), cpu = contenders.map(() => Infinity);
  contenders.forEach(([, f]) => f(text)); // warm up (and fill our cache)
  for (let r = 0; r < ROUNDS; r++) {
    contenders.forEach(([, f], i) => {
      const t0 = performance.now(), c0 = cpuMs();
      f(text);
      wall[i] = Math.min(wall[i], performance.now() - t0);
      cpu[i] = Math.min(cpu[i], cpuMs() - c0);
    });
  }
  console.log(
    `\n${DATASETS[name].file} (${DATASETS[name].bytes} bytes): MB/s by wall / by CPU time`,
  );
  contenders.forEach(([label], i) => {
    console.log(
      `  ${label.padEnd(30)} ${(mb / (wall[i] / 1000)).toFixed(2).padStart(6)} / ` +
        `${(mb / (cpu[i] / 1000)).toFixed(2).padStart(6)}`,
    );
  });
}
tiktoken.free();
