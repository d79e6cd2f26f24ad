import { equal, match, ok } from "node:assert/strict";
import { GPT_PRESETS } from "../core/nn/gpt_config.ts";
import { sample } from "./sample.ts";
import { runCaptured } from "./testing.ts";
import { train } from "./train.ts";
import { evalLine, formatDuration, learningRateAt, progressLine } from "./progress.ts";

Deno.test("learningRateAt is nanoGPT's get_lr: warmup lr·(it+1)/(warmup+1), cosine to minLr", () => {
  const baby = GPT_PRESETS.baby.train; // lr 1e-3, warmup 100, decay to 1e-4 at maxIters 2000
  const at = (it: number) => learningRateAt(it, baby).toPrecision(6);
  equal(at(0), (1e-3 / 101).toPrecision(6));
  equal(at(99), (1e-3 * 100 / 101).toPrecision(6));
  equal(at(100), "0.00100000");
  equal(at(1050), "0.000550000"); // halfway: minLr + (lr - minLr) / 2
  equal(at(2000), "0.000100000");
  equal(at(5000), "0.000100000");
  equal(learningRateAt(123, GPT_PRESETS.gpt.train), 3e-4); // constant, as gpt.py
  // a decay that ends inside the warmup: warmup, then minLr (no 0/0)
  const short = { ...baby, maxIters: 30 };
  equal(learningRateAt(29, short), 1e-3 * 30 / 101);
  equal(learningRateAt(100, { ...baby, maxIters: 100 }), 1e-4);
});

Deno.test("progress and evaluation lines read as a person expects", () => {
  equal(formatDuration(45.2), "45s");
  equal(formatDuration(185), "3m05s");
  equal(formatDuration(7620), "2h07m");
  const line = progressLine({
    step: 120,
    maxIters: 2000,
    loss: 2.43121,
    lr: 1e-3,
    msPerStep: 85.2,
    tokensPerStep: 768,
  });
  equal(line, "step  120/2000 | loss 2.4312 | lr 1.00e-3 | 85.2 ms/step | 9,014 tok/s | ETA 2m40s");
  equal(evalLine(250, 2000, 2.01234, 2.04561), "step  250: train loss 2.0123, val loss 2.0456");
});

Deno.test("--help lists every flag and exits 0", async () => {
  const t = await runCaptured(train, ["--help"]);
  equal(t.code, 0);
  const help = t.out.join("\n");
  for (const flag of ["--preset", "--n-embd", "--steps", "--lr", "--weight-decay", "--resume"]) {
    ok(help.includes(flag), flag);
  }
  match(help, /baby \(nanoGPT's CPU 'baby' run/);
  const s = await runCaptured(sample, ["--help"]);
  equal(s.code, 0);
  match(s.out.join("\n"), /--top-k <int> +sample among the k likeliest/);
});
