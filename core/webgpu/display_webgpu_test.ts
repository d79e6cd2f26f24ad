import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { linePlot } from "../plot/line_plot.ts";
import { gpuTensorTest } from "./test_util.ts";

gpuTensorTest(
  "a webgpu tensor displays in deno jupyter as its description, with no readback",
  () => {
    const t = tensor([[1, 2], [3, 4]], { device: "webgpu" });
    const bundle = (t as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for("Jupyter.display")
    ]();
    deepEqual(Object.keys(bundle), ["text/plain"]);
    equal(bundle["text/plain"], t.toString());
    ok(bundle["text/plain"].includes("webgpu"));
  },
);

gpuTensorTest(
  "plots refuse a webgpu tensor with a TypeError that says how to read it",
  async () => {
    const y = tensor([1, 2, 3], { device: "webgpu" });
    throws(() => linePlot({ series: [{ y }] }), (e: unknown) => {
      ok(e instanceof TypeError);
      ok(
        e.message.startsWith(
          "linePlot: cannot read series[0].y, a tensor on webgpu, synchronously (",
        ),
        e.message,
      );
      ok(e.message.endsWith('pass `await t.toDevice("cpu")` or `await t.data()`'), e.message);
      return true;
    });
    // and the advice works
    const fig = linePlot({ series: [{ y: await y.data() }] });
    ok(fig.toSvg().includes('class="series"'));
  },
);
