/**
 * Kata 03, steps 03.1–03.2: the data, the model and the loss. Run
 * `deno test katas/03`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, assertClose } from "../_lib/assert.ts";
import { KataTodo } from "../_lib/todo.ts";
import { Generator, nn, noGrad, ShapeError, tensor } from "../../mod.ts";
import { datasetLoss, makeData, makeModel, mse, splitData } from "./data.ts";
import { assertParamsClose, snapshot } from "./_setup.ts";

/** The rows of an `(n, 1)` tensor as numbers. */
const rows = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());

Deno.test("03.1 makeData: n evenly spaced x from -1 to 1 as an (n, 1) column, y = x²", () => {
  const { x, y } = makeData(5);
  deepEqual(x.shape, [5, 1], "x is a column: one example per row, one feature");
  deepEqual(y.shape, [5, 1], "y has the shape of x");
  assertAllClose("x", { data: x.dataSync(), shape: x.shape }, {
    data: [-1, -0.5, 0, 0.5, 1],
    shape: [5, 1],
  }, 1e-7);
  assertAllClose("y = x²", { data: y.dataSync(), shape: y.shape }, {
    data: [1, 0.25, 0, 0.25, 1],
    shape: [5, 1],
  }, 1e-7);
});

Deno.test("03.1 makeData takes the interval from options: both ends included", () => {
  const { x, y } = makeData(7, { low: 2, high: 3 });
  deepEqual(x.shape, [7, 1]);
  const xs = [2, 2 + 1 / 6, 2 + 2 / 6, 2.5, 3 - 2 / 6, 3 - 1 / 6, 3];
  assertAllClose("x on [2, 3]", { data: x.dataSync(), shape: x.shape }, {
    data: xs,
    shape: [7, 1],
  }, 1e-6);
  assertAllClose("y = x² on [2, 3]", { data: y.dataSync(), shape: y.shape }, {
    data: xs.map((v) => v * v),
    shape: [7, 1],
  }, 1e-6);
});

Deno.test("03.1 splitData holds out the first nHeldOut of generator.randperm(n), trains on the rest", () => {
  const data = makeData(11);
  const { train, heldOut } = splitData(data, 3, new Generator(42));
  deepEqual(heldOut.x.shape, [3, 1], "heldOut.x shape");
  deepEqual(train.x.shape, [8, 1], "train.x shape");
  deepEqual(heldOut.y.shape, [3, 1], "heldOut.y shape");
  deepEqual(train.y.shape, [8, 1], "train.y shape");
  const perm = Array.from(new Generator(42).randperm(11));
  const xs = rows(data.x);
  assertAllClose("heldOut.x = x[perm[0..3]]", { data: heldOut.x.dataSync(), shape: [3] }, {
    data: perm.slice(0, 3).map((i) => xs[i]),
    shape: [3],
  }, 0);
  assertAllClose("train.x = x[perm[3..]]", { data: train.x.dataSync(), shape: [8] }, {
    data: perm.slice(3).map((i) => xs[i]),
    shape: [8],
  }, 0);
  const all = [...rows(heldOut.x), ...rows(train.x)].sort((a, b) => a - b);
  deepEqual(all, [...xs].sort((a, b) => a - b), "every point is in exactly one of the two sets");
});

Deno.test("03.1 splitData keeps every y with its own x", () => {
  const { train, heldOut } = splitData(makeData(11), 4, new Generator(7));
  for (const [name, d] of [["train", train], ["heldOut", heldOut]] as const) {
    const xs = rows(d.x), ys = rows(d.y);
    xs.forEach((x, i) =>
      assertClose(`${name}.y[${i}] (x = ${x}): shuffle x and y with the same perm`, ys[i], x * x)
    );
  }
});

Deno.test("03.2 makeModel: Linear(1, 16), Tanh, Linear(16, 16), Tanh, Linear(16, 1): 321 parameters", () => {
  const model = makeModel({ generator: new Generator(1) });
  ok(model instanceof nn.Sequential, "makeModel returns an nn.Sequential");
  equal(model.length, 5, "five modules: Linear, activation, Linear, activation, Linear");
  const sizes = [0, 2, 4].map((i) => {
    const l = model.at(i);
    ok(l instanceof nn.Linear, `module ${i} is an nn.Linear`);
    return `${l.inFeatures}->${l.outFeatures}`;
  });
  equal(sizes.join(" "), "1->16 16->16 16->1", "the Linear layers' sizes");
  ok(model.at(1) instanceof nn.Tanh && model.at(3) instanceof nn.Tanh, "tanh is the default");
  equal(model.numParameters(), 321, "(1+1)·16 + (16+1)·16 + (16+1)·1");
});

Deno.test("03.2 makeModel follows the activation and hidden options", () => {
  const relu = makeModel({ activation: "relu", hidden: 8, generator: new Generator(1) });
  ok(relu.at(1) instanceof nn.ReLU && relu.at(3) instanceof nn.ReLU, "both activations are ReLU");
  equal(relu.numParameters(), 97, "(1+1)·8 + (8+1)·8 + (8+1)·1");
});

Deno.test("03.2 makeModel draws each layer's weights from the generator, input side first", () => {
  const g = new Generator(3);
  const expected = new nn.Sequential(
    new nn.Linear(1, 16, { generator: g }),
    new nn.Tanh(),
    new nn.Linear(16, 16, { generator: g }),
    new nn.Tanh(),
    new nn.Linear(16, 1, { generator: g }),
  );
  const model = makeModel({ generator: new Generator(3) });
  assertParamsClose(
    "makeModel({ generator: new Generator(3) })",
    snapshot(model),
    snapshot(expected),
    0,
  );
  assertParamsClose(
    "makeModel() (the default generator is new Generator(0))",
    snapshot(makeModel()),
    snapshot(makeModel({ generator: new Generator(0) })),
    0,
  );
});

Deno.test("03.2 mse is mean((pred - y)²) as a scalar, with gradient 2·(pred - y)/n", () => {
  const pred = tensor([[0.5], [-2], [1], [0.25]], { requiresGrad: true });
  const y = tensor([[1], [-1], [1], [-0.5]]);
  const loss = mse(pred, y);
  deepEqual(loss.shape, [], "the loss is a scalar (shape [])");
  assertClose("mse", loss.itemSync(), (0.25 + 1 + 0 + 0.5625) / 4, 1e-7);
  loss.backward();
  assertAllClose("pred.grad", { data: pred.grad!.dataSync(), shape: pred.shape }, {
    data: [-0.25, -0.5, 0, 0.375],
    shape: [4, 1],
  }, 1e-7);
});

Deno.test("03.2 mse throws a ShapeError when pred and y differ in shape (they would broadcast)", () => {
  // (4, 1) - (4) broadcasts to (4, 4): a loss over 16 wrong pairs, with no error.
  let caught: unknown;
  try {
    mse(tensor([[1], [2], [3], [4]]), tensor([1, 2, 3, 4]));
  } catch (e) {
    caught = e;
  }
  if (caught instanceof KataTodo) throw caught;
  ok(
    caught instanceof ShapeError,
    `mse((4, 1), (4)) should throw a ShapeError, not ${caught ?? "return a loss"}`,
  );
  equal(
    caught.message,
    "Cannot compute mse: prediction shape [4, 1] differs from target shape [4]",
  );
});

Deno.test("03.2 datasetLoss returns a function that evaluates the model's current weights", () => {
  const model = makeModel({ generator: new Generator(2) });
  const data = makeData(9);
  const loss = datasetLoss(model, data);
  equal(typeof loss, "function", "datasetLoss returns a function");
  const expected = () => noGrad(() => mse(model.forward(data.x), data.y).itemSync());
  const first = loss();
  assertClose("loss() on the initial weights", first.itemSync(), expected(), 1e-7);
  first.backward();
  ok(
    model.parameters().every((p) => p.grad !== null),
    "loss() keeps the graph: backward reaches every parameter",
  );
  noGrad(() => model.parameters().forEach((p) => p.mul_(0.5)));
  const second = loss().itemSync();
  ok(
    Math.abs(second - first.itemSync()) > 1e-6,
    "loss() after the weights changed must change too",
  );
  assertClose("loss() on the changed weights", second, expected(), 1e-7);
});
