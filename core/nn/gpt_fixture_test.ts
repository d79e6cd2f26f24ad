// GPT against PyTorch 1.13 (testdata/gpt/gen_gpt.py): nanoGPT's init from the same seed, bit for
// bit, then logits, loss and every parameter's gradient on one batch with the same weights.
import { deepEqual, equal } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { assertAllClose, type GPTFixtureModel, loadGPTFixture } from "../testing/gpt_checks.ts";
import { GPT } from "./gpt.ts";

const fx = await loadGPTFixture();

for (const [key, bias] of [["a", true], ["b", false]] as const) {
  const ref: GPTFixtureModel = fx[key];

  Deno.test(`GPT (bias ${bias}) from Generator(seed) has nanoGPT's weights from manual_seed(seed)`, () => {
    const m = new GPT({ ...fx.config, bias }, { generator: new Generator(fx.seed) });
    const sd = m.stateDict();
    deepEqual(Object.keys(sd).sort(), Object.keys(ref.init).sort());
    for (const [name, t] of Object.entries(sd)) {
      deepEqual(t.dataSync(), ref.init[name].dataSync(), name); // 0 ulps
    }
  });

  Deno.test(`GPT (bias ${bias}) logits, loss and gradients match PyTorch's`, () => {
    const m = new GPT({ ...fx.config, bias }, { generator: new Generator(0) });
    m.loadStateDict(ref.init); // the fixture's weights, whatever our init did
    const { logits, loss } = m.forward(fx.idx, fx.targets);
    deepEqual(logits.shape, [3, 7, fx.config.vocabSize]);
    // float32 in other summation orders; measured: logits within 5e-8, loss 2.4e-7, gradients
    // within 6e-8. Asserted: logits 1e-6 + 1e-5·|x|, loss 1e-6 relative, gradients 1e-6 + 1e-4·|g|.
    assertAllClose("logits", logits.dataSync(), ref.logits, 1e-6, 1e-5);
    assertAllClose("loss", [loss!.itemSync()], [ref.loss], 0, 1e-6);
    loss!.backward();
    const params = m.namedParameters();
    equal(params.length, Object.keys(ref.grads).length);
    for (const [name, p] of params) {
      assertAllClose(`grad of ${name}`, p.grad!.dataSync(), ref.grads[name], 1e-6, 1e-4);
    }
  });
}
