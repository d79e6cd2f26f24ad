/**
 * makemore part 2's MLP rewritten with `nn` and `optim` (as the later lectures
 * write it): Embedding → FlattenConsecutive → Linear → Tanh → Linear, trained
 * with `optim.SGD`, against PyTorch running `nn.Sequential` + `torch.optim.SGD`
 * with the same seed (testdata/lectures/makemore.json, testdata/gen_lectures.py).
 */

import { equal, ok } from "node:assert/strict";
import { F, Generator, index, nn, noGrad, optim, randint } from "../../mod.ts";
import { lectureFixture, makemoreSplitOrSkip, mean } from "./lecture_fixture.ts";

const fixture = lectureFixture<
  { parameters: number; steps: number; losses: number[]; dev_loss: number }
>("mlp_nn");

const { data, skip } = await makemoreSplitOrSkip();

Deno.test({
  name: "makemore 2 with nn + optim.SGD: 2,000 steps follow PyTorch's nn.Sequential" + skip,
  ignore: data === null,
  fn() {
    const { Xtr, Ytr, Xdev, Ydev } = data!;
    // torch.manual_seed(2147483647): the layers' inits, then the minibatches, from one generator
    const g = new Generator(2147483647);
    const model = new nn.Sequential(
      new nn.Embedding(27, 10, { generator: g }),
      new nn.FlattenConsecutive(3), // (32, 3, 10) -> (32, 30)
      new nn.Linear(30, 200, { generator: g }),
      new nn.Tanh(),
      new nn.Linear(200, 27, { generator: g }),
    );
    equal(model.numParameters(), 11_897);
    equal(fixture.parameters, 11_897);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const losses = new Float32Array(fixture.steps);
    for (let i = 0; i < fixture.steps; i++) {
      const ix = randint(0, Xtr.shape[0], [32], { generator: g });
      const loss = F.crossEntropy(model.forward(index(Xtr, ix)), index(Ytr, ix));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses[i] = loss.itemSync();
    }
    const torch = fixture.losses;
    // PyTorch's default init starts near ln(27) = 3.2958, not at the raw-randn 27.9.
    ok(Math.abs(losses[0] - 3.3634) < 1e-4, `first minibatch loss ${losses[0]}`);
    for (let i = 0; i <= 10; i++) {
      ok(Math.abs(losses[i] - torch[i]) < 1e-4, `step ${i}: ${losses[i]} vs torch ${torch[i]}`);
    }
    // This model is well conditioned: measured, its window means agree with PyTorch's to 1e-4.
    const windows: number[] = [];
    for (let k = 0; k < fixture.steps; k += 250) {
      const ours = mean(losses, k, k + 250), theirs = mean(torch, k, k + 250);
      ok(Math.abs(ours - theirs) < 0.01, `steps ${k}..${k + 250}: mean ${ours} vs torch ${theirs}`);
      windows.push(ours);
    }
    ok(windows[0] > 2.6 && windows.at(-1)! < 2.45, `from ${windows[0]} to ${windows.at(-1)}`);
    model.eval();
    const dev = noGrad(() => F.crossEntropy(model.forward(Xdev), Ydev).itemSync());
    ok(
      dev < 2.5 && Math.abs(dev - fixture.dev_loss) < 0.01,
      `dev ${dev}, torch ${fixture.dev_loss}`,
    );
  },
});
