/**
 * Kata 14, steps 14.8–14.10: Adam, the training loop (the published first
 * losses) and sampling at temperature 0.5 (CPython's first names after a
 * short run).
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { Value } from "./autograd.ts";
import { assertAllNear, PUBLISHED_LOSSES, REF, type Setup, setup } from "./_checks.ts";
import { Adam, sampleName, train } from "./training.ts";

function same(name: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new KataAssertionError(
      `${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

Deno.test("14.8 Adam: three steps with β1 0.85, β2 0.99, bias-corrected moments", () => {
  const a = REF.adam;
  const params = a.start.map((x) => new Value(x));
  const adam = new Adam(params);
  a.grads.forEach((g, step) => {
    params.forEach((p, i) => (p.grad = g[i]));
    adam.step(a.lrs[step]);
    assertAllNear(`parameters after step ${step + 1}`, params.map((p) => p.data), a.after[step]);
    same(`grads after step ${step + 1} (zeroed)`, params.map((p) => p.grad), [0, 0, 0]);
  });
});

Deno.test("14.8 Adam's first step moves each parameter by lr · sign(grad) (bias correction)", () => {
  const p = [new Value(1), new Value(1)];
  const adam = new Adam(p);
  p[0].grad = 1e-3;
  p[1].grad = -50;
  adam.step(0.01);
  assertAllNear("1 - lr·g/(|g| + 1e-8)", p.map((v) => v.data), [
    1 - 0.01 * 1e-3 / (1e-3 + 1e-8),
    1 + 0.01 * 50 / (50 + 1e-8),
  ]);
});

/** The model after five steps and the losses they printed: trained once, shared by 14.9 and 14.10. */
let fiveSteps: Promise<{ setup: Setup; losses: number[]; seen: number[] }> | undefined;
function trainFive() {
  fiveSteps ??= setup().then((s) => {
    const seen: number[] = [];
    const losses = train({ sd: s.sd, config: s.config, tokenizer: s.tokenizer }, s.docs, {
      steps: 5,
      onStep: (step, l) => seen.push(step, l),
    });
    return { setup: s, losses, seen };
  });
  return fiveSteps;
}

Deno.test("14.9 train: the published first five losses 3.3660, 3.4243, 3.1778, 3.0664, 3.2209", async () => {
  const { setup: { sd }, losses, seen } = await trainFive();
  same("printed to 4 decimals", losses.map((l) => l.toFixed(4)), PUBLISHED_LOSSES);
  assertAllNear("losses (CPython, full precision)", losses, REF.train.losses_1000, 1e-11);
  same("onStep(step, loss) for steps 0..4", seen.filter((_, i) => i % 2 === 0), [0, 1, 2, 3, 4]);
  assertAllNear("wte[0][0] after 5 steps", [sd.wte[0][0].data], [REF.train.wte00_after_5], 1e-11);
});

Deno.test("14.9 train: lr decays linearly to 0 over numSteps (a schedule of 4 steps)", async () => {
  const { sd, config, tokenizer, docs } = await setup();
  const losses = train({ sd, config, tokenizer }, docs, { steps: 3, numSteps: 4 });
  assertAllNear(
    "losses with lr 0.01, 0.0075, 0.005 (the first three of a 4-step schedule)",
    losses,
    REF.train.losses_schedule_4.slice(0, 3),
    1e-11,
  );
});

Deno.test("14.10 sampleName: after 5 steps, CPython's names at temperature 0.5 are 'org', 'suem', ''", async () => {
  const { setup: { rng, sd, config, tokenizer } } = await trainFive();
  const model = { sd, config, tokenizer };
  const names = [0, 1, 2].map(() => sampleName(model, rng, 0.5));
  same("three names", names, REF.train.samples_after_5);
});
