import { deepEqual } from "node:assert/strict";
import { tensor } from "./ops/creation.ts";

Deno.test("slices' gradients land in their parts of the input's gradient (q, k, v split)", () => {
  const x = tensor([[1, 2, 3, 4, 5, 6]], { requiresGrad: true });
  const y = x.mul(1); // not a leaf: its gradient is summed by the engine
  y.retainGrad();
  const [a, b, c] = y.split(2, 1);
  const d = y.slice(1, 1, 3); // overlaps a and b
  const loss = a.sum().add(b.mul(2).sum()).add(c.mul(3).sum()).add(d.mul(10).sum());
  loss.backward();
  deepEqual(y.grad!.toArraySync(), [[1, 11, 12, 2, 3, 3]]);
  deepEqual(x.grad!.toArraySync(), [[1, 11, 12, 2, 3, 3]]);
});

Deno.test("strided slices and a slice after a full gradient add up", () => {
  const x = tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true });
  const y = x.mul(2);
  const loss = y.mul(y).sum().add(y.slice(0, 0, 6, 2).sum()).add(y.slice(0, 1, 6, 2).mul(-1).sum());
  loss.backward();
  // d/dy = 2y ± 1 on even / odd positions, times dy/dx = 2
  deepEqual(x.grad!.toArraySync(), [10, 14, 26, 30, 42, 46]);
});

/** Every order of the terms, so that each gradient reaches the engine first in one of them. */
function orders<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) =>
    orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r])
  );
}

Deno.test("a gradient shared by two inputs (add's) is never summed into in place", () => {
  for (const order of orders([0, 1, 2, 3])) {
    const x = tensor([1, 2], { requiresGrad: true });
    const p = x.mul(1), q = x.mul(1);
    p.retainGrad();
    q.retainGrad();
    const s = p.add(q); // add's rule hands the same gradient to p and to q
    const terms = [s.sum(), p.mul(3).sum(), p.mul(4).sum(), q.mul(5).sum()];
    order.map((i) => terms[i]).reduce((acc, t) => acc.add(t)).backward();
    deepEqual(p.grad!.toArraySync(), [8, 8], `order ${order}`);
    deepEqual(q.grad!.toArraySync(), [6, 6], `order ${order}`);
    deepEqual(x.grad!.toArraySync(), [14, 14], `order ${order}`);
  }
});

Deno.test("a summed gradient, once handed on, is not summed into again", () => {
  for (const order of orders([0, 1, 2])) {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = x.mul(1), b = x.mul(1);
    a.retainGrad();
    b.retainGrad();
    const t = a.add(b); // its gradient is a sum the engine made, then given to both a and b
    const terms = [t.mul(2).sum(), t.mul(3).sum(), a.mul(7).sum()];
    order.map((i) => terms[i]).reduce((acc, u) => acc.add(u)).backward();
    deepEqual(a.grad!.toArraySync(), [12, 12], `order ${order}`);
    deepEqual(b.grad!.toArraySync(), [5, 5], `order ${order}`);
  }
});
