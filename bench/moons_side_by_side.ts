/**
 * Kata 02's two-moons run (bench/moons_run.ts) beside a Python micrograd-style engine
 * (bench/peers/moons_micrograd.py) on the same points and initial weights, interleaved:
 * ours, Python, ours, Python, … Prints each side's seconds, the ratio, and checks that both
 * reach the same losses (both sum in float64 in the same order). Each side's CPU time is printed
 * beside its wall time: on a shared machine it is the steadier figure, and the ratio quoted.
 *
 *   deno run -A bench/moons_side_by_side.ts [--rounds 2]
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { makeMoons, seededUniform } from "../mod.ts";
import { MLP } from "../solutions/02/nn.ts";
import { MOONS_SEEDS, moonsRun } from "./moons_run.ts";

const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string" } } });
const rounds = Number(values.rounds ?? 2);

const { X, y } = makeMoons(100, { noise: 0.1, seed: MOONS_SEEDS.data });
const model = new MLP(2, [16, 16, 1], { nonlin: "relu", rng: seededUniform(MOONS_SEEDS.weights) });
const spec = { X, y, params: model.parameters().map((p) => p.data) };
const path = await Deno.makeTempFile({ suffix: ".json" });
await Deno.writeTextFile(path, JSON.stringify(spec));
const script = new URL("./peers/moons_micrograd.py", import.meta.url).pathname;

interface PeerResult {
  python: string;
  seconds: number;
  cpu_seconds: number;
  loss: number;
  losses: number[];
}

const best = { ours: Infinity, oursCpu: Infinity, peer: Infinity, peerCpu: Infinity };
let maxDiff = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const history = moonsRun();
  const c = process.cpuUsage(c0);
  const ours = (performance.now() - t0) / 1000, oursCpu = (c.user + c.system) / 1e6;
  const res = await new Deno.Command("/usr/bin/python3", { args: [script, path] }).output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  const peer: PeerResult = JSON.parse(new TextDecoder().decode(res.stdout));
  best.ours = Math.min(best.ours, ours);
  best.oursCpu = Math.min(best.oursCpu, oursCpu);
  best.peer = Math.min(best.peer, peer.seconds);
  best.peerCpu = Math.min(best.peerCpu, peer.cpu_seconds);
  history.forEach((h, i) => maxDiff = Math.max(maxDiff, Math.abs(h.loss - peer.losses[i])));
  console.log(
    `round ${r + 1}: katagrad ${ours.toFixed(3)} s wall, ${oursCpu.toFixed(3)} s CPU; ` +
      `python ${peer.python} ${peer.seconds.toFixed(1)} s wall, ${
        peer.cpu_seconds.toFixed(1)
      } s CPU; ` +
      `final loss ${history.at(-1)!.loss.toFixed(6)} vs ${peer.loss.toFixed(6)}`,
  );
}
// the first round includes our JIT warm-up, as a fresh `deno run bench/moons_run.ts` would
console.log(
  `best: katagrad ${best.ours.toFixed(3)} s wall / ${best.oursCpu.toFixed(3)} s CPU, python ` +
    `${best.peer.toFixed(1)} s wall / ${best.peerCpu.toFixed(1)} s CPU; python/katagrad ` +
    `${(best.peer / best.ours).toFixed(1)}x by wall, ${
      (best.peerCpu / best.oursCpu).toFixed(1)
    }x ` +
    `by CPU time; max |loss difference| over 100 steps ${maxDiff.toExponential(2)}`,
);
await Deno.remove(path);
