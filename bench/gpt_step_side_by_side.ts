/**
 * The nanoGPT baby step (bench/gpt_step_bench.ts) beside PyTorch's (bench/peers/gpt_step_torch.py),
 * interleaved in one run: for each round, PyTorch and ours at 1 thread, then at 2 threads, and
 * ours on the WebAssembly matmul; each a fresh process. Prints ms/iteration (wall and CPU time),
 * the per-phase split, our time over PyTorch's at the same thread count, and the largest
 * difference between our first `--losses` losses and PyTorch's.
 *
 *   deno run -A bench/gpt_step_side_by_side.ts [--rounds 2 --steps 10 --losses 30]
 *
 * Both sides run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (OpenBLAS picks its kernels
 * for this CPU), OMP/OPENBLAS_NUM_THREADS set to the thread count, and OMP_WAIT_POLICY=passive
 * above one thread.
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { rounds: { type: "string" }, steps: { type: "string" }, losses: { type: "string" } },
});
const rounds = Number(values.rounds ?? 2), steps = values.steps ?? "10";
const nLosses = values.losses ?? "30";

interface Result {
  who: string;
  kernel: string;
  ms: number;
  cpuMs: number;
  phases: { forward: number; backward: number; optimizer: number };
  losses: number[];
}

const here = (p: string) => new URL(p, import.meta.url).pathname;

async function run(cmd: string, args: string[], threads: number): Promise<Result> {
  const env = { ...Deno.env.toObject() };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OMP_NUM_THREADS = env.OPENBLAS_NUM_THREADS = String(threads);
  // spinning OpenMP threads collapse on a busy 2-core machine: they wait passively here
  if (threads > 1) env.OMP_WAIT_POLICY = "passive";
  const res = await new Deno.Command(cmd, { args, env, clearEnv: true }).output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  const lines = new TextDecoder().decode(res.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

const common = ["--rounds", "3", "--steps", steps, "--profile", "--json", "--losses", nLosses];
const torch = (t: number) =>
  run("/usr/bin/python3", [here("./peers/gpt_step_torch.py"), ...common], t);
const ours = (t: number, matmul: string) =>
  run(Deno.execPath(), [
    "run",
    "-A",
    here("./gpt_step_bench.ts"),
    ...common,
    "--matmul",
    matmul,
    "--threads",
    String(t),
  ], t);

const runs: [string, () => Promise<Result>][] = [
  ["torch 1t", () => torch(1)],
  ["ours blas 1t", () => ours(1, "blas")],
  ["torch 2t", () => torch(2)],
  ["ours blas 2t", () => ours(2, "blas")],
  ["ours wasm", () => ours(1, "wasm")],
];
const best = new Map<string, Result>();
for (let r = 0; r < rounds; r++) {
  for (const [label, f] of runs) {
    const res = await f();
    const prev = best.get(label);
    if (!prev || res.cpuMs < prev.cpuMs) best.set(label, res);
    console.log(
      `round ${r + 1} ${label.padEnd(13)} ${res.ms.toFixed(1)} ms wall, ${
        res.cpuMs.toFixed(1)
      } ms CPU (${res.kernel})`,
    );
  }
}
const t1 = best.get("torch 1t")!, t2 = best.get("torch 2t")!;
console.log("\nbest round of each (by CPU time); phases are wall ms per step:");
for (const [label] of runs) {
  const r = best.get(label)!, p = r.phases;
  const peer = label.includes("2t") ? t2 : t1;
  const ratio = label.startsWith("ours")
    ? `  ${(r.ms / peer.ms).toFixed(2)}x torch's wall, ${
      (r.cpuMs / peer.cpuMs).toFixed(2)
    }x its CPU`
    : "";
  const diff = Math.max(...r.losses.map((l, i) => Math.abs(l - t1.losses[i])));
  console.log(
    `${label.padEnd(13)} ${r.ms.toFixed(1).padStart(6)} ms wall ${
      r.cpuMs.toFixed(1).padStart(6)
    } ms CPU` +
      `  fwd ${p.forward.toFixed(1)} bwd ${p.backward.toFixed(1)} opt ${p.optimizer.toFixed(1)}` +
      `  max|Δloss| ${diff.toExponential(1)}${ratio}`,
  );
}
