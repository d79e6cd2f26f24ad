/**
 * Kata 08, step 08.5: the lecture's hierarchical network and the flat one,
 * as `Sequential`s of your layers, drawn from `torch.manual_seed(42)`'s
 * stream: PyTorch's first weights and the lecture's first loss, 3.3167.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import { F, noGrad, type Tensor } from "../../mod.ts";
import { assertShape, firstBatch, lectureGenerator, lectureSplit, TORCH } from "./_checks.ts";
import { BatchNorm1d, Embedding, FlattenConsecutive, Linear, Tanh } from "./layers.ts";
import { flatModel, hierarchicalModel, numParameters, setTraining } from "./model.ts";

const kinds = (layers: unknown[]) => layers.map((l) => (l as object).constructor.name);

Deno.test("08.5 hierarchicalModel: the lecture's 14 layers, 76,579 parameters", () => {
  const model = hierarchicalModel(lectureGenerator());
  const level = ["FlattenConsecutive", "Linear", "BatchNorm1d", "Tanh"];
  deepEqual(
    kinds(model.layers),
    ["Embedding", ...level, ...level, ...level, "Linear"],
    "Embedding, 3 × [FlattenConsecutive(2), Linear (no bias), BatchNorm1d, Tanh], Linear",
  );
  ok(model.layers[0] instanceof Embedding, "layer 0 is your Embedding");
  ok(
    model.layers[1] instanceof FlattenConsecutive && model.layers[1].n === 2,
    "FlattenConsecutive(2)",
  );
  ok(model.layers[3] instanceof BatchNorm1d && model.layers[12] instanceof Tanh);
  const lin = model.layers[2] as Linear;
  assertShape(
    "the first Linear's weight",
    lin.weight,
    [48, 128],
    "(n_embd · 2, n_hidden): two characters at a time",
  );
  equal(
    lin.bias,
    null,
    "the Linears before a BatchNorm have no bias (BatchNorm's beta does its job)",
  );
  assertShape("the second Linear's weight", (model.layers[6] as Linear).weight, [256, 128]);
  equal(
    numParameters(model),
    TORCH.hierarchical.parameters,
    "76,579 parameters (the lecture's cell 9)",
  );
  equal(
    numParameters(hierarchicalModel(lectureGenerator(), { nEmbd: 10, nHidden: 68 })),
    22_397,
    "the lecture's 22K hierarchical net",
  );
  ok(model.parameters().every((p) => p.requiresGrad), "every parameter requires grad");
});

Deno.test("08.5 hierarchicalModel draws from the generator in layer order: PyTorch's first weights", () => {
  const model = hierarchicalModel(lectureGenerator());
  const row = (t: Tensor) => Array.from(t.dataSync().subarray(0, 6));
  const check = (name: string, got: number[], want: number[], why: string) => {
    if (!got.every((v, i) => Math.abs(v - want[i]) < 1e-6)) {
      throw new KataAssertionError(`${name}: expected [${want}] (PyTorch), got [${got}]\n  ${why}`);
    }
  };
  check(
    "embedding weight[0, :6]",
    row((model.layers[0] as Embedding).weight),
    TORCH.hierarchical.first.emb,
    "the embedding is drawn first: randn((27, 24))",
  );
  check(
    "first Linear weight[0, :6]",
    row((model.layers[2] as Linear).weight),
    TORCH.hierarchical.first.W1,
    "then the Linears in order, randn((fanIn, fanOut)) / √fanIn",
  );
  check(
    "last Linear weight[0, :6]",
    row((model.layers[13] as Linear).weight),
    TORCH.hierarchical.first.W_last,
    'the last layer is drawn last and then scaled by 0.1 ("make less confident"), under noGrad',
  );
  ok(
    (model.layers[13] as Linear).weight.gradFn === null,
    "the scaled last weight is a leaf (scale it under noGrad)",
  );
});

Deno.test("08.5 the hierarchical shapes: (32, 8) -> (32, 4, 128) -> (32, 2, 128) -> (32, 128) -> (32, 27)", async () => {
  const { Xtr, Ytr } = await lectureSplit();
  const g = lectureGenerator();
  const model = hierarchicalModel(g);
  const { Xb } = firstBatch(g, Xtr, Ytr);
  let x = Xb;
  const want: Record<number, number[]> = {
    0: [32, 8, 24],
    1: [32, 4, 48],
    4: [32, 4, 128],
    8: [32, 2, 128],
    12: [32, 128],
    13: [32, 27],
  };
  noGrad(() => {
    model.layers.forEach((layer, i) => {
      x = layer.forward(x);
      if (want[i]) assertShape(`output of layer ${i} (${kinds([layer])[0]})`, x, want[i]);
    });
  });
});

Deno.test("08.5 the first loss is the lecture's 3.3167 (torch.manual_seed(42), then the first minibatch)", async () => {
  const { Xtr, Ytr } = await lectureSplit();
  const g = lectureGenerator();
  const model = hierarchicalModel(g);
  const { Xb, Yb } = firstBatch(g, Xtr, Ytr);
  const loss = F.crossEntropy(model.forward(Xb), Yb).itemSync();
  assertClose(
    "the hierarchical model's first loss (lecture: 3.3167)",
    loss,
    TORCH.hierarchical.losses[0],
    1e-5,
  );
});

Deno.test("08.5 flatModel: the whole context at once, 22,097 parameters, PyTorch's first loss", async () => {
  const { Xtr, Ytr } = await lectureSplit();
  const g = lectureGenerator();
  const model = flatModel(g);
  deepEqual(kinds(model.layers), [
    "Embedding",
    "FlattenConsecutive",
    "Linear",
    "BatchNorm1d",
    "Tanh",
    "Linear",
  ]);
  equal(
    (model.layers[1] as FlattenConsecutive).n,
    8,
    "FlattenConsecutive(8): all 8 characters in one vector",
  );
  equal(
    numParameters(model),
    TORCH.flat.parameters,
    '22,097 parameters (the lecture\'s "22K" flat net)',
  );
  const { Xb, Yb } = firstBatch(g, Xtr, Ytr);
  const loss = F.crossEntropy(model.forward(Xb), Yb).itemSync();
  assertClose("the flat model's first loss", loss, TORCH.flat.losses[0], 1e-5);
});

Deno.test("08.5 setTraining switches every layer's training flag", () => {
  const model = hierarchicalModel(lectureGenerator());
  setTraining(model, false);
  ok(
    model.layers.every((l) => l.training === false),
    "setTraining(model, false): every layer in evaluation",
  );
  setTraining(model, true);
  ok(
    model.layers.every((l) => l.training === true),
    "setTraining(model, true): every layer training",
  );
});
