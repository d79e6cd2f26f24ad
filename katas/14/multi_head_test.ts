/**
 * Kata 14, steps 14.4–14.5: one attention head over the cached positions, then
 * four heads with the KV cache, on the untrained model's first three
 * positions of the first document.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { sum } from "./autograd.ts";
import { assertAllNear, data, REF, setup, values } from "./_checks.ts";
import { attendHead, attention, emptyCache } from "./multi_head.ts";

Deno.test("14.4 attendHead: softmax of q·k / sqrt(headDim) over the cache, weighted sum of values", () => {
  const h = REF.head;
  const q = values(h.q);
  const keys = h.keys.map((k) => values(k));
  const vals = h.values.map((v) => values(v));
  const out = attendHead(q, keys, vals);
  assertAllNear("attendHead(q, 3 keys, 3 values)", data(out), h.out);
  sum(out.map((o, i) => o.mul([1.0, -2.0, 0.5, 3.0][i]))).backward();
  assertAllNear("q.grad", q.map((v) => v.grad), h.q_grad, 1e-10);
  h.keys_grad.forEach((g, t) =>
    assertAllNear(`keys[${t}].grad`, keys[t].map((v) => v.grad), g, 1e-10)
  );
});

Deno.test("14.4 attendHead over a single cached position returns that position's value", () => {
  const v = [0.3, -0.7, 1.5, 2.0];
  const out = attendHead(values([1, 2, 3, 4]), [values([5, 6, 7, 8])], [values(v)]);
  assertAllNear("attendHead with T = 1", data(out), v, 1e-15);
});

Deno.test("14.5 attention: four heads, the KV cache grows by the projected key and value", async () => {
  const { sd, config } = await setup();
  const cache = emptyCache(config.nLayer)[0];
  REF.doc0.positions.forEach((ref, pos) => {
    const out = attention(values(ref.attn_in), sd.layers[0], cache, config.nHead);
    assertAllNear(`attention output at position ${pos} (after attn_wo)`, data(out), ref.attn_out);
    if (cache.keys.length !== pos + 1 || cache.values.length !== pos + 1) {
      throw new KataAssertionError(
        `after position ${pos} the cache should hold ${pos + 1} keys and values, ` +
          `got ${cache.keys.length} keys and ${cache.values.length} values`,
      );
    }
    assertAllNear(`cache.keys[${pos}] (x @ attn_wk)`, data(cache.keys[pos]), ref.key);
    assertAllNear(`cache.values[${pos}] (x @ attn_wv)`, data(cache.values[pos]), ref.value);
  });
});
