import { equal, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { tensor } from "./creation.ts";
import { linear } from "./linear.ts";
import { F } from "./nn_functional.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

Deno.test("F.linear is input · weightᵀ + bias for 1-d, 2-d and 3-d inputs", () => {
  const w = tensor([[1, 0, 2], [0, -1, 1]]), b = tensor([10, 20]);
  assertClose(F.linear(tensor([1, 2, 3]), w, b), [17, 21]);
  assertClose(F.linear(tensor([[1, 2, 3], [0, 0, 1]]), w), [[7, 1], [2, 1]]);
  const x = rnd([2, 3, 3], false);
  assertClose(linear(x, w, b), x.matmul(w.t()).add(b).toArraySync(), { rtol: 1e-6 });
  equal(linear(x, w, null).shape.join(), "2,3,2");
});

Deno.test("F.linear gradients reach input, weight and bias", () => {
  checkGrads((x, w, b) => linear(x, w, b), [rnd([4, 3]), rnd([2, 3]), rnd([2])]);
  checkGrads((x, w) => linear(x, w), [rnd([2, 2, 3]), rnd([5, 3])]);
});

Deno.test("F.linear checks shapes, types and devices", () => {
  const x = tensor([[1, 2, 3]]), w = tensor([[1, 0, 2], [0, -1, 1]]);
  throws(() => linear(x, tensor([1, 2, 3])), {
    name: "ShapeError",
    message: "linear: weight must be 2-d (out_features, in_features), got shape (3)",
  });
  throws(() => linear(tensor([[1, 2]]), w), {
    name: "ShapeError",
    message:
      "linear: input of shape (1, 2) does not match weight of shape (2, 3): the last dim of input must be in_features = 3",
  });
  throws(() => linear(x, w, tensor([1, 2, 3])), {
    name: "ShapeError",
    message: "linear: bias must have shape (2) (out_features), got (3)",
  });
  throws(() => linear(x, [[1]] as never), {
    name: "TypeError",
    message: /linear: weight must be a Tensor/,
  });
});

Deno.test("F.relu, F.gelu and F.tanh are the activations", () => {
  const x = tensor([-1, 0.5]);
  assertClose(F.relu(x), [0, 0.5]);
  assertClose(F.tanh(x), [Math.tanh(-1), Math.tanh(0.5)], { rtol: 1e-6 });
  assertClose(F.gelu(x, { approximate: "tanh" }), x.gelu({ approximate: "tanh" }).toArraySync());
});
