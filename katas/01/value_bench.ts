// Kata 01 bench: your Value against the reference, building and back-propagating
// an expression graph of about 10,000 nodes.
//   deno bench katas/01/value_bench.ts
// (On the untouched stub the "yours" rows fail with KataTodo; that is expected.)
import { Value as Reference } from "../../solutions/01/value.ts";
import { Value as Yours } from "./value.ts";

/** What the bench needs from a Value class. */
interface Scalar<V> {
  data: number;
  add(other: V | number): V;
  mul(other: V | number): V;
  tanh(): V;
  backward(): void;
}

/**
 * 64 leaves, then 3,300 rounds of `acc = tanh(x_i * x_j + acc) * 0.5`: 9,900 operation nodes
 * plus the number constants, with leaves reused many times (so grads accumulate).
 */
function buildAndBackward<V extends Scalar<V>>(make: (x: number) => V): number {
  const xs = Array.from({ length: 64 }, (_, i) => make(Math.sin(i + 1)));
  let acc = make(0);
  for (let i = 0; i < 3300; i++) {
    acc = xs[i % 64].mul(xs[(i * 7 + 3) % 64]).add(acc).tanh().mul(0.5);
  }
  acc.backward();
  return acc.data;
}

const group = "kata 01: build + backward, ~10k nodes";

Deno.bench({
  name: "reference (solutions/01)",
  group,
  baseline: true,
  fn: () => {
    buildAndBackward((x) => new Reference(x));
  },
});

Deno.bench({
  name: "yours (katas/01/value.ts)",
  group,
  fn: () => {
    buildAndBackward((x) => new Yours(x));
  },
});
