/**
 * Kata 02, steps 02.1–02.3: Neuron, Layer and MLP. Run `deno test katas/02`.
 *
 * @module
 */

import { equal, ok, throws } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { seededUniform, Value } from "../../mod.ts";
import { Layer, MLP, Neuron } from "./nn.ts";

/** A random source that returns `xs` in order and throws when asked for more. */
function sequence(...xs: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= xs.length) throw new Error(`rng called more than the ${xs.length} times expected`);
    return xs[i++];
  };
}

/** Central finite difference of `f` with respect to `v.data`. */
function numericGrad(f: () => number, v: Value, h = 1e-6): number {
  const old = v.data;
  v.data = old + h;
  const up = f();
  v.data = old - h;
  const down = f();
  v.data = old;
  return (up - down) / (2 * h);
}

Deno.test("02.1 Neuron draws its weights, then its bias, from rng", () => {
  const n = new Neuron(3, { rng: sequence(0.5, -0.25, 0.75, 0.1) });
  equal(n.w.length, 3);
  ok(n.w.every((w) => w instanceof Value) && n.b instanceof Value, "w and b are Values");
  assertClose("w[0]", n.w[0].data, 0.5);
  assertClose("w[1]", n.w[1].data, -0.25);
  assertClose("w[2]", n.w[2].data, 0.75);
  assertClose("b", n.b.data, 0.1);
  equal(n.nonlin, "tanh", "the default nonlinearity");
});

Deno.test("02.1 Neuron without rng draws weights uniformly in [-1, 1)", () => {
  const ws = new Neuron(500).w.map((w) => w.data);
  ok(ws.every((w) => w >= -1 && w < 1), "every weight in [-1, 1)");
  ok(ws.some((w) => w < -0.5) && ws.some((w) => w > 0.5), "weights spread over [-1, 1)");
  ok(new Set(ws).size > 490, "weights differ from each other");
});

Deno.test("02.1 Neuron.forward computes tanh(w·x + b)", () => {
  const n = new Neuron(3, { rng: sequence(0.5, -0.25, 0.75, 0.1) });
  // 0.5·2 - 0.25·3 + 0.75·(-1) + 0.1 = -0.4
  assertClose("tanh(-0.4)", n.forward([2, 3, -1]).data, Math.tanh(-0.4), 1e-12);
  // Inputs may be Values as well as numbers.
  const x = [new Value(1), new Value(2), new Value(0.5)];
  assertClose("tanh(0.475)", n.forward(x).data, Math.tanh(0.475), 1e-12);
});

Deno.test("02.1 Neuron applies relu or no nonlinearity when asked", () => {
  const relu = new Neuron(2, { nonlin: "relu", rng: sequence(1.5, -0.5, 0.25) });
  equal(relu.nonlin, "relu");
  assertClose("relu(2.75)", relu.forward([2, 1]).data, 2.75, 1e-12);
  assertClose("relu(-1.25)", relu.forward([-1, 1]).data, 0, 1e-12);
  const linear = new Neuron(2, { nonlin: "linear", rng: sequence(1.5, -0.5, 0.25) });
  assertClose("linear(2.75)", linear.forward([2, 1]).data, 2.75, 1e-12);
  assertClose("linear(-1.75)", linear.forward([-1, 1]).data, -1.75, 1e-12);
});

Deno.test("02.1 Neuron.parameters returns the weights, then the bias", () => {
  const n = new Neuron(4, { rng: seededUniform(3) });
  const ps = n.parameters();
  equal(ps.length, 5);
  for (let i = 0; i < 4; i++) equal(ps[i], n.w[i], `parameters()[${i}] is w[${i}]`);
  equal(ps[4], n.b, "parameters()[4] is b");
});

Deno.test("02.1 Neuron gradients match finite differences", () => {
  const rng = seededUniform(11);
  for (const nonlin of ["tanh", "relu", "linear"] as const) {
    const n = new Neuron(5, { nonlin, rng });
    const x = [0.3, -1.2, 2.0, 0.7, -0.4].map((v) => new Value(v));
    // Make sure relu is in its active region so its gradient is not all zeros.
    if (nonlin === "relu" && n.forward(x).data <= 0) n.b.data += 5;
    const f = () => n.forward(x).data;
    n.forward(x).backward();
    for (
      const [name, v] of [
        ...n.w.map((w, i) => [`${nonlin} w[${i}].grad`, w] as const),
        [`${nonlin} b.grad`, n.b] as const,
        ...x.map((xi, i) => [`${nonlin} x[${i}].grad`, xi] as const),
      ]
    ) {
      assertClose(name, v.grad, numericGrad(f, v), 1e-6);
    }
  }
});

Deno.test("02.1 Neuron.forward throws on the wrong number of inputs", () => {
  const n = new Neuron(3, { rng: seededUniform(1) });
  throws(() => n.forward([1, 2]), {
    name: "RangeError",
    message: "Cannot run a Neuron with 3 inputs on 2 values",
  });
});

Deno.test("02.2 Layer builds nout neurons, each drawing its weights then its bias", () => {
  const layer = new Layer(2, 3, { nonlin: "relu", rng: sequence(1, 2, 3, 4, 5, 6, 7, 8, 9) });
  equal(layer.neurons.length, 3);
  layer.neurons.forEach((n, i) => {
    ok(n instanceof Neuron, `neurons[${i}] is a Neuron`);
    equal(n.nonlin, "relu", `neurons[${i}].nonlin`);
    equal(n.w.length, 2, `neurons[${i}].w.length`);
    assertClose(`neurons[${i}].w[0]`, n.w[0].data, 3 * i + 1);
    assertClose(`neurons[${i}].w[1]`, n.w[1].data, 3 * i + 2);
    assertClose(`neurons[${i}].b`, n.b.data, 3 * i + 3);
  });
});

Deno.test("02.2 Layer.forward returns one Value per neuron", () => {
  const rng = sequence(0.5, -1, 0.25, 2, 0.5, -0.75, -1, -1, 0);
  const layer = new Layer(2, 3, { nonlin: "linear", rng });
  const out = layer.forward([2, -3]);
  equal(out.length, 3);
  ok(out.every((o) => o instanceof Value), "outputs are Values");
  assertClose("out[0]", out[0].data, 0.5 * 2 + 1 * 3 + 0.25, 1e-12);
  assertClose("out[1]", out[1].data, 2 * 2 - 0.5 * 3 - 0.75, 1e-12);
  assertClose("out[2]", out[2].data, -1 * 2 + 1 * 3 + 0, 1e-12);
  const tanh = new Layer(2, 1, { rng: sequence(0.5, -1, 0.25) });
  assertClose("tanh out[0]", tanh.forward([2, -3])[0].data, Math.tanh(4.25), 1e-12);
});

Deno.test("02.2 Layer.parameters lists every neuron's weights and bias, in order", () => {
  const layer = new Layer(3, 4, { rng: seededUniform(5) });
  const ps = layer.parameters();
  equal(ps.length, 16);
  const expected = layer.neurons.flatMap((n) => [...n.w, n.b]);
  expected.forEach((p, i) => equal(ps[i], p, `parameters()[${i}]`));
});

Deno.test("02.3 MLP stacks layers of sizes nouts, nonlinear except the last", () => {
  const mlp = new MLP(3, [4, 5, 1], { rng: seededUniform(1) });
  equal(mlp.layers.length, 3);
  const shapes = mlp.layers.map((l) => `${l.neurons.length}x${l.neurons[0].w.length}`);
  equal(shapes.join(" "), "4x3 5x4 1x5", "neurons x inputs per layer");
  const acts = (m: MLP) =>
    m.layers.map((l) => l.neurons.map((n) => n.nonlin).join(",")).join(" | ");
  equal(acts(mlp), "tanh,tanh,tanh,tanh | tanh,tanh,tanh,tanh,tanh | linear");
  const relu = new MLP(2, [3, 2], { nonlin: "relu", rng: seededUniform(1) });
  equal(acts(relu), "relu,relu,relu | linear,linear");
});

Deno.test("02.3 MLP.parameters: 41 for MLP(3, [4, 4, 1]), 337 for MLP(2, [16, 16, 1])", () => {
  const small = new MLP(3, [4, 4, 1], { rng: seededUniform(1) });
  const ps = small.parameters();
  equal(ps.length, 41); // 4·(3+1) + 4·(4+1) + 1·(4+1)
  equal(new Set(ps).size, 41, "no parameter listed twice");
  equal(ps[0], small.layers[0].neurons[0].w[0], "first: layer 0, neuron 0, w[0]");
  equal(ps[3], small.layers[0].neurons[0].b, "then that neuron's bias");
  equal(ps[40], small.layers[2].neurons[0].b, "last: the output neuron's bias");
  equal(new MLP(2, [16, 16, 1], { rng: seededUniform(1) }).parameters().length, 337);
});

Deno.test("02.3 MLP.forward: tanh hidden layer, linear output", () => {
  // Layer 0: two neurons of 2 inputs; layer 1: one neuron of 2 inputs.
  const rng = sequence(0.5, -1, 0.25, 1, 1, -0.5, 2, 3, 0.5);
  const mlp = new MLP(2, [2, 1], { rng });
  const x = [1.5, 0.5];
  const h0 = Math.tanh(0.5 * 1.5 - 1 * 0.5 + 0.25);
  const h1 = Math.tanh(1 * 1.5 + 1 * 0.5 - 0.5);
  const out = mlp.forward(x);
  equal(out.length, 1);
  assertClose("output", out[0].data, 2 * h0 + 3 * h1 + 0.5, 1e-12);
  ok(out[0].data > 1, "the output layer is linear, so it can leave (-1, 1)");
});

Deno.test("02.3 MLP gradients match finite differences", () => {
  const mlp = new MLP(3, [4, 4, 1], { rng: seededUniform(7) });
  const x = [2, 3, -1];
  const f = () => mlp.forward(x)[0].data ** 2;
  const out = mlp.forward(x)[0];
  out.mul(out).backward();
  mlp.parameters().forEach((p, i) => {
    assertClose(`parameters()[${i}].grad`, p.grad, numericGrad(f, p), 1e-5);
  });
});

Deno.test("02.3 zeroGrad resets the grad of every weight and bias", () => {
  const mlp = new MLP(3, [4, 4, 1], { rng: seededUniform(2) });
  const out = mlp.forward([2, 3, -1])[0];
  out.mul(out).backward();
  const neurons = mlp.layers.flatMap((l) => l.neurons);
  ok(neurons.some((n) => n.b.grad !== 0), "backward gave the biases a gradient");
  mlp.zeroGrad();
  neurons.forEach((n, i) => {
    n.w.forEach((w, j) => equal(w.grad, 0, `neuron ${i} w[${j}].grad`));
    equal(n.b.grad, 0, `neuron ${i} b.grad`);
  });
  // Neurons and layers are modules too.
  const neuron = neurons[0];
  neuron.forward([1, 1, 1]).backward();
  neuron.zeroGrad();
  ok(neuron.parameters().every((p) => p.grad === 0), "Neuron.zeroGrad");
});
