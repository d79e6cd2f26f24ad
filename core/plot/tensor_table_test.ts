import { deepEqual, equal, ok } from "node:assert/strict";
import { ones, tensor, zeros } from "../ops/creation.ts";
import { TABLE_MAX_ELEMENTS, tensorDisplay } from "./tensor_table.ts";

const display = (t: unknown) =>
  (t as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
const cells = (html: string) => [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
const heads = (html: string) => [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);

Deno.test("a 2-d tensor displays in deno jupyter as a table, formatted as its printout", () => {
  const t = tensor([[1, 2.5, -3], [4, 5, 6]]);
  const bundle = display(t);
  equal(bundle["text/plain"], t.toString());
  const html = bundle["text/html"];
  deepEqual(cells(html), ["1.0000", "2.5000", "-3.0000", "4.0000", "5.0000", "6.0000"]);
  // column indices 0..2, then row indices 0, 1
  deepEqual(heads(html), ["", "0", "1", "2", "0", "1"]);
  equal(html.match(/<tr>/g)?.length, 3);
  ok(html.includes("tensor (2, 3) float32"));
});

Deno.test("1-d, int32 and bool tensors display as one-row tables", () => {
  deepEqual(cells(display(tensor([3, 1, 2], { dtype: "int32" }))["text/html"]), ["3", "1", "2"]);
  deepEqual(cells(display(tensor([1, 0]).gt(0.5))["text/html"]), ["True", "False"]);
  deepEqual(cells(display(tensor([1e-8, 1]))["text/html"]), ["1.0000e-08", "1.0000e+00"]);
});

Deno.test("a view (transpose) displays its own elements, not its storage order", () => {
  const t = tensor([[1, 2], [3, 4]]).t();
  deepEqual(cells(display(t)["text/html"]), ["1.", "3.", "2.", "4."]);
});

Deno.test("0-d, 3-d, empty and large tensors display as their printout only", () => {
  for (const t of [tensor(3), zeros([2, 2, 2]), zeros([0]), ones([TABLE_MAX_ELEMENTS + 1])]) {
    const bundle = display(t);
    deepEqual(Object.keys(bundle), ["text/plain"]);
    equal(bundle["text/plain"], t.toString());
  }
  ok("text/html" in display(ones([TABLE_MAX_ELEMENTS])));
});

Deno.test("a tensor off the CPU displays its description, with no readback", () => {
  const fake = {
    shape: [2],
    dtype: "float32" as const,
    dataSync: () => {
      throw new Error("no sync readback");
    },
    toString: () => "tensor(<webgpu: await t.toArray() to read>, shape=(2), dtype=float32)",
  };
  deepEqual(tensorDisplay(fake), { "text/plain": fake.toString() });
});
