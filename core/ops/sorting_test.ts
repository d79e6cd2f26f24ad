import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { assertClose } from "../testing/assert_close.ts";
import { tensor } from "./creation.ts";
import { argsort, sort, topk } from "./sorting.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

/** A stable reference: positions sorted by value (NaN largest), ties by position. */
function stableOrder(row: number[], descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const rank = (v: number) => (Number.isNaN(v) ? 1 : 0); // NaN above +Inf
  return row.map((_, i) => i).sort((i, j) => {
    const a = row[i], b = row[j];
    const c = rank(a) - rank(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    return (descending ? -c : c) || i - j;
  });
}

Deno.test("sort: a stable sort along any dim, ascending and descending, as a reference", () => {
  const g = new Generator(7);
  const data = Array.from(g.uniform(4 * 9 * 3), (v) => Math.round(v * 6)); // many ties
  const x = tensor(data).reshape(4, 9, 3);
  for (const descending of [false, true]) {
    const { values, indices } = sort(x, 1, { descending });
    deepEqual(values.shape, [4, 9, 3]);
    for (let a = 0; a < 4; a++) {
      for (let c = 0; c < 3; c++) {
        const row = Array.from({ length: 9 }, (_, j) => data[(a * 9 + j) * 3 + c]);
        const order = stableOrder(row, descending);
        const idx = indices.toArraySync() as number[][][],
          val = values.toArraySync() as number[][][];
        deepEqual(idx[a].map((r) => r[c]), order);
        deepEqual(val[a].map((r) => r[c]), order.map((i) => row[i]));
      }
    }
  }
});

Deno.test("sort: NaN is largest, −0 ties with 0, ±Inf at the ends; int32 and bool keep their dtype", () => {
  const x = tensor([NaN, 1, -Infinity, -0, 0, Infinity, NaN]);
  deepEqual(sort(x).indices.toArraySync(), [2, 3, 4, 1, 5, 0, 6]);
  deepEqual(sort(x, 0, { descending: true }).indices.toArraySync(), [0, 6, 5, 1, 3, 4, 2]);
  ok(Object.is((sort(x).values.toArraySync() as number[])[1], -0));
  const i = sort(tensor([3, -1, 2], { dtype: "int32" }), -1, { descending: true });
  equal(i.values.dtype, "int32");
  deepEqual(i.values.toArraySync(), [3, 2, -1]);
  const b = sort(tensor([true, false, true, false]));
  equal(b.values.dtype, "bool");
  deepEqual(b.values.toArraySync(), [false, false, true, true]);
  deepEqual(b.indices.toArraySync(), [1, 3, 0, 2]);
});

Deno.test("sort of a 0-d tensor and of empty dims", () => {
  const s = sort(tensor(4.5));
  deepEqual([s.values.shape, s.indices.shape], [[], []]);
  equal(s.values.itemSync(), 4.5);
  equal(s.indices.itemSync(), 0);
  const e = sort(tensor([]).reshape(3, 0), 1);
  deepEqual(e.values.shape, [3, 0]);
  deepEqual(sort(tensor([]).reshape(0, 4), 1).indices.shape, [0, 4]);
});

Deno.test("topk: the k largest or smallest, sorted, ties by position; GPT sampling's mask", () => {
  const logits = tensor([[0.5, 3, -1, 3, 2], [1, 1, 1, 1, 1]]);
  const { values, indices } = topk(logits, 3);
  deepEqual(values.toArraySync(), [[3, 3, 2], [1, 1, 1]]);
  deepEqual(indices.toArraySync(), [[1, 3, 4], [0, 1, 2]]);
  const low = topk(logits, 2, 1, { largest: false });
  deepEqual(low.values.toArraySync(), [[-1, 0.5], [1, 1]]);
  deepEqual(low.indices.toArraySync(), [[2, 0], [0, 1]]);
  // nanoGPT: v, _ = torch.topk(logits, k); logits[logits < v[:, [-1]]] = -Inf
  const kth = values.narrow(1, 2, 1);
  const masked = logits.maskedFill(logits.lt(kth), -Infinity);
  deepEqual(masked.toArraySync(), [[-Infinity, 3, -Infinity, 3, 2], [1, 1, 1, 1, 1]]);
  const col = topk(tensor([[1, 9], [5, 2], [3, 4]]), 2, 0);
  deepEqual(col.values.toArraySync(), [[5, 9], [3, 4]]);
  deepEqual(col.indices.toArraySync(), [[1, 0], [2, 2]]);
  deepEqual(topk(logits, 0).values.shape, [2, 0]);
});

Deno.test("sort and topk gradients go back to the positions the values came from", () => {
  const x = rnd([3, 5]);
  checkGrads((a) => sort(a, 1, { descending: true }).values.mul(tensor([1, 2, 3, 4, 5])), [x]);
  checkGrads((a) => topk(a, 2, 0).values, [rnd([4, 3])]);
  const y = tensor([2, 7, 1, 7], { requiresGrad: true });
  topk(y, 2).values.mul(tensor([10, 1])).sum().backward();
  assertClose(y.grad!, [0, 10, 0, 1]); // the tie: the first 7 comes first
  equal(argsort(y).requiresGrad, false);
  equal(sort(y).values.gradFn, "sort");
  equal(topk(y, 1).values.gradFn, "topk");
});

Deno.test("sort, argsort and topk check their arguments", () => {
  const x = tensor([[1, 2, 3]]);
  throws(() => topk(x, 4), {
    name: "RangeError",
    message: "topk: k must be an integer in [0, 3], got 4",
  });
  throws(() => topk(x, 1.5), {
    name: "RangeError",
    message: /k must be an integer in \[0, 3\], got 1.5/,
  });
  throws(() => topk(x, 1, 2), { name: "IndexError", message: /topk: dim 2 is out of range/ });
  throws(() => sort(x, -1, { descend: true } as never), {
    name: "TypeError",
    message: "sort: unknown option descend; did you mean descending?",
  });
  throws(() => sort(x, -1, { descending: "yes" } as never), {
    name: "TypeError",
    message: 'sort: descending must be true or false, got "yes" (a string)',
  });
  throws(() => argsort([1, 2] as never), {
    name: "TypeError",
    message: "argsort: input must be a Tensor, got an array [1, 2]",
  });
  throws(() => sort(x, "1" as never), {
    name: "TypeError",
    message: /sort: dim must be an integer/,
  });
  throws(() => topk(x, 1, -1, { largest: 1 } as never), {
    name: "TypeError",
    message: "topk: largest must be true or false, got 1",
  });
});

Deno.test("Tensor methods sort, argsort and topk delegate to the ops", () => {
  const x = tensor([[0.5, -1, 4]]);
  deepEqual(x.sort(-1, { descending: true }).values.toArraySync(), [[4, 0.5, -1]]);
  deepEqual(x.argsort().toArraySync(), [[1, 0, 2]]);
  deepEqual(x.topk(1).indices.toArraySync(), [[2]]);
});
