import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { randn, tensor, zeros } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import * as nn from "./mod.ts";

class Block extends nn.Module {
  fc: nn.Linear;
  bn: nn.BatchNorm1d;
  constructor(g: Generator) {
    super();
    this.fc = this.registerModule("fc", new nn.Linear(6, 4, { generator: g }));
    this.bn = this.registerModule("bn", new nn.BatchNorm1d(4));
  }
  forward(x: Tensor): Tensor {
    return this.bn.forward(this.fc.forward(x)).tanh();
  }
}

class Net extends nn.Module {
  scale: Tensor;
  layers: nn.ModuleList<Block>;
  head: nn.Linear;
  constructor(g: Generator) {
    super();
    this.scale = this.registerParameter("scale", tensor([1.5]));
    this.layers = this.registerModule("layers", new nn.ModuleList([new Block(g)]));
    this.head = this.registerModule("head", new nn.Linear(4, 3, { generator: g }));
  }
  forward(x: Tensor): Tensor {
    for (const b of this.layers) x = b.forward(x);
    return this.head.forward(x).mul(this.scale);
  }
}

Deno.test("stateDict names nested parameters and buffers as PyTorch does", () => {
  const net = new Net(new Generator(1));
  deepEqual(Object.keys(net.stateDict()), [
    "scale",
    "layers.0.fc.weight",
    "layers.0.fc.bias",
    "layers.0.bn.weight",
    "layers.0.bn.bias",
    "layers.0.bn.running_mean",
    "layers.0.bn.running_var",
    "layers.0.bn.num_batches_tracked",
    "head.weight",
    "head.bias",
  ]);
  deepEqual(net.namedBuffers().map(([n]) => n), [
    "layers.0.bn.running_mean",
    "layers.0.bn.running_var",
    "layers.0.bn.num_batches_tracked",
  ]);
  equal(net.parameters().length, 7);
  equal(net.numParameters(), 1 + 6 * 4 + 4 + 4 + 4 + 4 * 3 + 3);
  ok(net.parameters().every((p) => p.requiresGrad));
  deepEqual(net.namedModules().map(([n]) => n), [
    "",
    "layers",
    "layers.0",
    "layers.0.fc",
    "layers.0.bn",
    "head",
  ]);
});

Deno.test("train()/eval() reach every descendant; zeroGrad clears all grads", () => {
  const net = new Net(new Generator(2));
  net.eval();
  ok(net.namedModules().every(([, m]) => !m.training));
  net.train();
  ok(net.namedModules().every(([, m]) => m.training));
  net.forward(randn([5, 6], { generator: new Generator(3) })).sum().backward();
  ok(net.parameters().every((p) => p.grad !== null));
  net.zeroGrad();
  ok(net.parameters().every((p) => p.grad === null));
});

Deno.test("loadStateDict copies values into the model and round-trips stateDict", () => {
  const a = new Net(new Generator(4)), b = new Net(new Generator(5));
  notEqual(a.head.weight.dataSync()[0], b.head.weight.dataSync()[0]);
  a.forward(randn([8, 6])); // moves a's running stats
  const res = b.loadStateDict(a.stateDict());
  deepEqual(res, { missingKeys: [], unexpectedKeys: [] });
  const sa = a.stateDict(), sb = b.stateDict();
  for (const k of Object.keys(sa)) deepEqual(sb[k].dataSync(), sa[k].dataSync(), k);
  // copies, not aliases: the models stay independent
  a.head.weight.grad = null;
  const before = b.head.weight.dataSync()[0];
  a.stateDict()["head.weight"].fill_(7);
  equal(b.head.weight.dataSync()[0], before);
  equal(a.head.weight.dataSync()[0], 7); // stateDict shares storage with the model
});

Deno.test("loadStateDict strict refuses missing and unexpected keys with a StateDictError", () => {
  const net = new Net(new Generator(6));
  const sd = net.stateDict();
  delete sd["head.bias"];
  sd["head.gain"] = zeros([3]);
  throws(() => net.loadStateDict(sd), {
    name: "StateDictError",
    message: 'Cannot load state dict: missing keys "head.bias"; unexpected keys "head.gain"',
  });
  ok(new nn.StateDictError("x") instanceof TypeError);
  const res = net.loadStateDict(sd, { strict: false });
  deepEqual(res, { missingKeys: ["head.bias"], unexpectedKeys: ["head.gain"] });
});

Deno.test("loadStateDict refuses a shape mismatch naming the key and both shapes, copying nothing", () => {
  const net = new Net(new Generator(7));
  const sd = net.stateDict();
  const scale0 = net.scale.dataSync()[0];
  const sd2 = { ...sd, scale: tensor([9]), "head.weight": zeros([4, 3]) };
  throws(() => net.loadStateDict(sd2), {
    name: "ShapeError",
    message:
      'Cannot load state dict: "head.weight" has shape (4, 3) in the state dict but (3, 4) in the model',
  });
  equal(net.scale.dataSync()[0], scale0);
});

Deno.test("register* refuses a taken or invalid name", () => {
  class Bad extends nn.Module {
    constructor(name: string) {
      super();
      this.registerParameter("w", zeros([2]));
      this.registerBuffer(name, zeros([2]));
    }
  }
  throws(() => new Bad("w"), {
    name: "TypeError",
    message: 'Cannot register "w": the name is already taken',
  });
  throws(() => new Bad("a.b"), {
    name: "TypeError",
    message: 'Cannot register "a.b": names must be identifiers',
  });
});

Deno.test("a tensor registered twice is listed once in parameters() (weight tying)", () => {
  class Tied extends nn.Module {
    constructor() {
      super();
      const emb = this.registerModule("wte", new nn.Embedding(5, 4));
      const head = this.registerModule("head", new nn.Linear(4, 5, { bias: false }));
      head.registerParameter("tied", emb.weight);
    }
  }
  const m = new Tied();
  deepEqual(m.namedParameters().map(([n]) => n), ["wte.weight", "head.weight"]);
  deepEqual(Object.keys(m.stateDict()), ["wte.weight", "head.weight", "head.tied"]);
});

Deno.test("a module or trainable tensor in a field that was never registered is an error", () => {
  class Forgot extends nn.Module {
    fc1 = new nn.Linear(3, 4);
  }
  throws(() => new Forgot().parameters(), {
    name: "TypeError",
    message:
      'Cannot collect the modules of Forgot: field "fc1" holds a Linear that is not registered; use this.fc1 = this.registerModule("fc1", ...)',
  });
  class ForgotTensor extends nn.Module {
    W = randn([3, 4], { requiresGrad: true });
  }
  throws(() => new ForgotTensor().stateDict(), {
    name: "TypeError",
    message:
      'Cannot collect the modules of ForgotTensor: field "W" holds a tensor that requires grad but is not registered; use this.W = this.registerParameter("W", ...)',
  });
  class ArrayOfBlocks extends nn.Module {
    blocks = [new nn.Tanh()];
  }
  throws(() => new ArrayOfBlocks().train(), {
    name: "TypeError",
    message:
      'Cannot collect the modules of ArrayOfBlocks: field "blocks[0]" holds a Tanh that is not registered; use a ModuleList',
  });
  // references to registered things anywhere in the tree are fine, as are #private fields
  class Tied extends nn.Module {
    emb = this.registerModule("emb", new nn.Embedding(5, 4));
    alias = this.emb.weight;
    #cache = new nn.Linear(2, 2);
    cacheSize = () => this.#cache.numParameters();
  }
  deepEqual(Object.keys(new Tied().stateDict()), ["emb.weight"]);
});

Deno.test("toString prints the module tree as PyTorch prints a model", () => {
  const model = new nn.Sequential(
    new nn.Linear(30, 200, { bias: false }),
    new nn.BatchNorm1d(200),
    new nn.Tanh(),
    new nn.Sequential(new nn.Dropout(0.1)),
  );
  equal(
    String(model),
    [
      "Sequential(",
      "  (0): Linear(inFeatures=30, outFeatures=200, bias=false)",
      "  (1): BatchNorm1d(200, eps=0.00001, momentum=0.1, affine=true)",
      "  (2): Tanh()",
      "  (3): Sequential(",
      "    (0): Dropout(p=0.1)",
      "  )",
      ")",
    ].join("\n"),
  );
  const net = String(new Net(new Generator(1)));
  ok(
    net.startsWith(
      "Net(\n  (layers): ModuleList(\n    (0): Block(\n      (fc): Linear(inFeatures=6",
    ),
  );
  ok(net.endsWith("  (head): Linear(inFeatures=4, outFeatures=3, bias=true)\n)"));
});

Deno.test("apply visits children first, then the module (nanoGPT's _init_weights)", () => {
  const net = new Net(new Generator(8));
  const seen: string[] = [];
  net.apply((m) => {
    seen.push(m.constructor.name);
    if (m instanceof nn.Linear) {
      nn.normal_(m.weight, { std: 0.02, generator: new Generator(0) });
      if (m.bias) nn.zeros_(m.bias);
    }
  });
  deepEqual(seen, ["Linear", "BatchNorm1d", "Block", "ModuleList", "Linear", "Net"]);
  deepEqual([...net.head.bias!.dataSync()], [0, 0, 0]);
  ok(net.head.weight.abs().max().itemSync() < 0.2);
  ok(net.head.weight.requiresGrad && net.head.weight.isLeaf);
});

Deno.test("registerBuffer({ persistent: false }) lists the buffer but keeps it out of the state dict", () => {
  class Masked extends nn.Module {
    mask = this.registerBuffer("mask", tensor([true, false]), { persistent: false });
    count = this.registerBuffer("count", tensor([0], { dtype: "int32" }));
  }
  const m = new Masked();
  deepEqual(m.namedBuffers().map(([n]) => n), ["mask", "count"]);
  deepEqual(Object.keys(m.stateDict()), ["count"]);
  deepEqual(m.loadStateDict({ count: tensor([3], { dtype: "int32" }) }), {
    missingKeys: [],
    unexpectedKeys: [],
  });
  throws(() => m.registerBuffer("other", tensor([1]), { persistent: 1 as unknown as boolean }), {
    name: "TypeError",
    message: "registerBuffer: persistent must be true or false, got 1",
  });
});
