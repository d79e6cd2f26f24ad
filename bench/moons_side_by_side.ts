/**
 * Kata 02's two-moons run (bench/moons_run.ts) beside a Python micrograd-style engine
 * (bench/peers/moons_micrograd.py) on the same points and initial weights, interleaved:
 * ours, Python, ours, Python, … Prints each side's seconds, the ratio, and checks that both
 * reach the same losses (both sum in float64 in the same order).
 *
 *   deno run -A bench/moons_side_by_side.ts [--rounds 2]
 *
 * @module
 */

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
  loss: number;
  losses: number[];
}

let oursBest = Infinity, peerBest = Infinity, maxDiff = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  const history = moonsRun();
  const ours = (performance.now() - t0) / 1000;
  oursBest = Math.min(oursBest, ours);
  const res = await new Deno.Command("/usr/bin/python3", { args: [script, path] }).output();
  if (!res.success) throw new Error(new TextDecoder().decode(res.stderr));
  const peer: PeerResult = JSON.parse(new TextDecoder().decode(res.stdout));
  peerBest = Math.min(peerBest, peer.seconds);
  history.forEach((h, i) => maxDiff = Math.max(maxDiff, Math.abs(h.loss - peer.losses[i])));
  console.log(
    `round ${r + 1}: katagrad ${ours.toFixed(3)} s, python ${peer.python} ${
      peer.seconds.toFixed(1)
    } s, ratio ${(peer.seconds / ours).toFixed(1)}x; final loss ${
      history.at(-1)!.loss.toFixed(6)
    } vs ${peer.loss.toFixed(6)}`,
  );
}
// a fresh Deno process per round would add JIT warm-up; the first round already includes it
console.log(
  `best: katagrad ${oursBest.toFixed(3)} s, python ${peerBest.toFixed(1)} s, ` +
    `python/katagrad ${(peerBest / oursBest).toFixed(1)}x; ` +
    `max |loss difference| over 100 steps ${maxDiff.toExponential(2)}`,
);
await Deno.remove(path);
