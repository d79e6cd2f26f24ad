/**
 * Kata 10, steps 10.3–10.4: gpt.py's FeedFoward and Block. Run
 * `deno test katas/10`.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, nn, noGrad, randn } from "../../mod.ts";
import {
  assertMatches,
  asTensor,
  feedForwardLinears,
  plain,
  refBlock,
  refFeedForward,
  shapeOf,
} from "./_checks.ts";
import { MultiHeadAttention } from "./attention.ts";
import { Block, FeedForward } from "./block.ts";

const CONFIG = { vocabSize: 65, blockSize: 8, nEmbd: 12, nHead: 3, nLayer: 1, dropout: 0 };

Deno.test("10.3 FeedForward: net = Linear(C, 4C), ReLU, Linear(4C, C), Dropout", () => {
  const f = new FeedForward(CONFIG, { generator: new Generator(1) });
  ok(f.net instanceof nn.Sequential, "net is an nn.Sequential");
  const [l1, l2] = feedForwardLinears(f);
  equal(shapeOf(l1.weight), "(48, 12)", "net[0] = Linear(nEmbd, 4 · nEmbd)");
  equal(shapeOf(l2.weight), "(12, 48)", "net[2] = Linear(4 · nEmbd, nEmbd)");
  const layers = [...f.net];
  ok(layers[1] instanceof nn.ReLU, "net[1] is nn.ReLU (gpt.py's; nanoGPT uses GELU)");
  ok(layers[3] instanceof nn.Dropout, "net[3] is nn.Dropout(config.dropout)");
  equal(f.numParameters(), 12 * 48 + 48 + 48 * 12 + 12, "8C² + 5C");
});

Deno.test("10.3 FeedForward.forward: the same MLP at every position", () => {
  const f = new FeedForward(CONFIG, { generator: new Generator(2) });
  const x = randn([2, 5, 12], { generator: new Generator(3) });
  const out = asTensor("ffwd.forward(x)", f.forward(x));
  equal(shapeOf(out), "(2, 5, 12)", "(B, T, C) in, (B, T, C) out");
  assertMatches("ffwd.forward(x) = Linear2(relu(Linear1(x)))", out, refFeedForward(f, plain(x)));
});

Deno.test("10.4 Block: sa (nHead heads of nEmbd / nHead), ffwd, ln1, ln2", () => {
  const b = new Block(CONFIG, { generator: new Generator(4) });
  ok(b.sa instanceof MultiHeadAttention, "sa is a MultiHeadAttention (10.2)");
  equal(b.sa.heads.length, 3, "nHead heads");
  equal(shapeOf(b.sa.heads.at(0).key.weight), "(4, 12)", "headSize = nEmbd / nHead = 4");
  ok(b.ffwd instanceof FeedForward, "ffwd is a FeedForward (10.3)");
  ok(b.ln1 instanceof nn.LayerNorm && b.ln2 instanceof nn.LayerNorm, "ln1, ln2: nn.LayerNorm(C)");
  equal(shapeOf(b.ln1.weight!), "(12)");
});

Deno.test("10.4 Block.forward: x + sa(ln1(x)), then x + ffwd(ln2(x)) — pre-LayerNorm residuals", () => {
  const b = new Block(CONFIG, { generator: new Generator(5) });
  // LayerNorm gains and biases away from 1 and 0, so that each of them matters.
  noGrad(() => {
    for (const ln of [b.ln1, b.ln2]) {
      ln.weight!.copy_(randn([12], { generator: new Generator(6) }).mul(0.5).add(1));
      ln.bias!.copy_(randn([12], { generator: new Generator(7) }).mul(0.5));
    }
  });
  const x = randn([2, 6, 12], { generator: new Generator(8) }).mul(4).add(1);
  const out = asTensor("block.forward(x)", b.forward(x));
  equal(shapeOf(out), "(2, 6, 12)", "(B, T, C) in, (B, T, C) out");
  assertMatches(
    "block.forward(x) = x + sa(ln1(x)); x + ffwd(ln2(x)) (LayerNorm inside the branch, " +
      "the residual stream x itself never normalised)",
    out,
    refBlock(b, plain(x)),
  );
});

Deno.test("10.4 Block: with both branches silenced, the block passes x through unchanged", () => {
  const b = new Block(CONFIG, { generator: new Generator(9) });
  noGrad(() => {
    b.sa.proj.weight.zero_();
    b.sa.proj.bias!.zero_();
    const [, l2] = feedForwardLinears(b.ffwd);
    l2.weight.zero_();
    l2.bias?.zero_();
  });
  const x = randn([2, 5, 12], { generator: new Generator(10) }).mul(3);
  const out = asTensor("block.forward(x)", b.forward(x));
  const d = Math.max(...out.sub(x).abs().dataSync());
  if (d > 1e-6) {
    throw new KataAssertionError(
      `with sa and ffwd writing zeros, block.forward(x) differs from x by ${d.toFixed(4)}: ` +
        `each branch is added to x (x = x + sa(ln1(x))), and nothing normalises x itself ` +
        `(pre-LayerNorm: ln1 and ln2 act on the branch's input only)`,
    );
  }
});
