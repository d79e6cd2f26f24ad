/**
 * Training speed: byte-level BPE to vocab 512 on taylorswift.txt, ours
 * (incremental pair counts and a priority queue) beside minbpe's algorithm in
 * Python (`bench/peers/minbpe_train.py`: recount every pair per merge), Basic
 * and Regex (GPT-4 pattern). Both must produce minbpe's merges.
 *
 * ```sh
 * deno run -A bench/tokenizer_train.ts           # ours only
 * deno run -A bench/tokenizer_train.ts --python  # plus the Python peer, interleaved
 * ```
 *
 * Ours is the best of many rounds (other processes on a shared machine only
 * make a round slower); the peer runs between two of our rounds, and each
 * figure comes with the process's CPU time too.
 *
 * @module
 */

import process from "node:process";
import { loadDataset } from "../core/data/datasets.ts";
import { GPT4_SPLIT_PATTERN } from "../core/tokenizer/split_patterns.ts";
import { trainMerges } from "../core/tokenizer/train.ts";

const EXPECTED = {
  basic: { first: [[101, 32], [44, 32], [100, 32], [46, 32], [114, 32]], last: [49, 50] },
  regex: { first: [[101, 114], [50, 48], [111, 114], [105, 110], [101, 100]], last: [306, 263] },
} as const;
const LECTURE_SECONDS = { basic: 8.4, regex: 11.7 }; // minbpe, quoted in issue 14 for this machine

const text = await loadDataset("taylorswift");
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function ours(kind: "basic" | "regex", rounds: number): { wall: number; cpu: number } {
  const pattern = kind === "regex" ? GPT4_SPLIT_PATTERN : undefined;
  let wall = Infinity, cpu = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now(), c0 = cpuMs();
    const merges = trainMerges(text, { vocabSize: 512, pattern });
    wall = Math.min(wall, performance.now() - t0);
    cpu = Math.min(cpu, cpuMs() - c0);
    const e = EXPECTED[kind];
    if (JSON.stringify([merges.slice(0, 5), merges[255]]) !== JSON.stringify([e.first, e.last])) {
      throw new Error(`${kind}: merges differ from minbpe's`);
    }
  }
  return { wall: wall / 1000, cpu: cpu / 1000 };
}

interface PeerRow {
  tokenizer: "basic" | "regex";
  seconds: number;
  cpu: number;
  first: number[][];
  last: number[];
}

async function python(): Promise<Record<string, PeerRow>> {
  const path = new URL("./peers/minbpe_train.py", import.meta.url).pathname;
  const file = `${Deno.env.get("KATAGRAD_DATA") ?? "."}/taylorswift.txt`;
  const out = await new Deno.Command("/usr/bin/python3", { args: [path, file] }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const rows: Record<string, PeerRow> = {};
  for (const line of new TextDecoder().decode(out.stdout).trim().split("\n")) {
    const row = JSON.parse(line) as PeerRow;
    const e = EXPECTED[row.tokenizer];
    if (JSON.stringify([row.first, row.last]) !== JSON.stringify([e.first, e.last])) {
      throw new Error(`python ${row.tokenizer}: merges differ from minbpe's`);
    }
    rows[row.tokenizer] = row;
  }
  return rows;
}

ours("basic", 3); // warm up
ours("regex", 3);
const before = { basic: ours("basic", 15), regex: ours("regex", 15) };
const peer = Deno.args.includes("--python") ? await python() : undefined;
const after = { basic: ours("basic", 15), regex: ours("regex", 15) };

console.log(
  `load average ${
    Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
  }, ${navigator.hardwareConcurrency} cores`,
);
console.log(
  "tokenizer | ours: best wall, CPU (ms) | Python peer: wall, CPU (s) | minbpe quoted (s) | " +
    "speed-up vs peer: wall, CPU | vs quoted (our wall)",
);
for (const kind of ["basic", "regex"] as const) {
  const wall = Math.min(before[kind].wall, after[kind].wall);
  const cpu = Math.min(before[kind].cpu, after[kind].cpu);
  const p = peer?.[kind].seconds;

  console.log(
    [
      kind,
      `${(wall * 1000).toFixed(1)}, ${(cpu * 1000).toFixed(1)}`,
      p === undefined ? "-" : `${p.toFixed(2)}, ${peer![kind].cpu.toFixed(2)}`,
      LECTURE_SECONDS[kind].toFixed(1),
      p === undefined ? "-" : `${(p / wall).toFixed(0)}×, ${(peer![kind].cpu / cpu).toFixed(0)}×`,
      `${(LECTURE_SECONDS[kind] / wall).toFixed(0)}×`,
    ].join(" | "),
  );
}
