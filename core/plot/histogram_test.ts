import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { histogram } from "./histogram.ts";
import { findAll, num, parseSvg, textOf } from "./test_util.ts";

const heights = (svg: ReturnType<typeof parseSvg>) =>
  findAll(svg, "bar").map((b) => num(b, "height"));

Deno.test("histogram() draws one bar per bin, heights proportional to the counts", () => {
  // bins of width 0.25 over [0, 1]: counts 3, 1, 0, 2 (1.0 goes into the last bin)
  const svg = parseSvg(
    histogram({ series: [{ values: [0, 0.1, 0.2, 0.3, 0.8, 1.0] }], bins: 4 }).toSvg(),
  );
  const h = heights(svg);
  equal(h.length, 4);
  const unit = h[1];
  deepEqual(h.map((v) => Math.round((v / unit) * 1000) / 1000), [3, 1, 0, 2]);
  // bars tile the x range: each starts where the previous one ends
  const bars = findAll(svg, "bar");
  for (let i = 1; i < 4; i++) {
    ok(Math.abs(num(bars[i], "x") - (num(bars[i - 1], "x") + num(bars[i - 1], "width"))) < 0.02);
  }
  deepEqual(findAll(svg, "y-label").map(textOf), ["count"]);
});

Deno.test("histogram() with several series: shared bins, outlines, a legend entry each", () => {
  const svg = parseSvg(
    histogram({
      series: [
        { values: tensor([[-1, 0], [0, 1]]), label: "layer 1 (Tanh)" },
        { values: new Float32Array([0.5, 0.5, 0.5]), label: "layer 2 (Tanh)" },
      ],
      bins: 10,
      title: "activation distribution",
    }).toSvg(),
  );
  equal(findAll(svg, "bar").length, 20);
  equal(findAll(svg, "outline").length, 2);
  deepEqual(findAll(svg, "legend-entry").map(textOf), ["layer 1 (Tanh)", "layer 2 (Tanh)"]);
  // the bins span both series: -1 (series 1) to 1, so 0.5 falls into bin 7 of 10
  const h = heights(svg);
  deepEqual(h.slice(10).map((v) => v > 0), Array.from({ length: 10 }, (_, i) => i === 7));
  // x ticks cover [-1, 1]
  const xt = findAll(svg, "x-tick").map(textOf);
  equal(xt[0], "-1.0");
  equal(xt.at(-1), "1.0");
});

Deno.test("histogram() with density: true has bars of total area 1", () => {
  const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
  const svg = parseSvg(histogram({ series: [{ values }], bins: 20, density: true }).toSvg());
  deepEqual(findAll(svg, "y-label").map(textOf), ["density"]);
  // convert pixel heights back to data units with the y ticks
  const yt = findAll(svg, "y-tick"), xt = findAll(svg, "x-tick");
  const yPerPx = (Number(textOf(yt.at(-1)!)) - Number(textOf(yt[0]))) /
    (num(yt[0], "y") - num(yt.at(-1)!, "y"));
  const xPerPx = (Number(textOf(xt.at(-1)!)) - Number(textOf(xt[0]))) /
    (num(xt.at(-1)!, "x") - num(xt[0], "x"));
  const area = findAll(svg, "bar").reduce(
    (a, b) => a + num(b, "height") * yPerPx * num(b, "width") * xPerPx,
    0,
  );
  ok(Math.abs(area - 1) < 0.01, `area ${area}`);
});

Deno.test("histogram() leaves NaN and ±Infinity out of the counts and says so", () => {
  const fig = histogram({ series: [{ values: [1, 2, NaN, Infinity, -Infinity, 2] }], bins: 2 });
  const svg = fig.toSvg();
  ok(!/NaN|Infinity/.test(svg));
  const h = heights(parseSvg(svg));
  ok(Math.abs(h[1] / h[0] - 2) < 1e-3, `counts 1 and 2: ${h}`);
  equal(String(fig), "Figure(histogram: 1 series, 2 bins (3 non-finite values skipped))");
});

Deno.test("histogram() of a constant draws one full bin around it", () => {
  const svg = parseSvg(histogram({ series: [{ values: [5, 5, 5] }], bins: 3 }).toSvg());
  deepEqual(heights(svg).map((h) => h > 0), [false, true, false]);
});

Deno.test("histogram() refuses empty input and bad bins", () => {
  throws(() => histogram({ series: [] }), {
    name: "RangeError",
    message: "histogram: series is empty: expected at least one series",
  });
  throws(() => histogram({ series: [{ values: [] }] }), {
    name: "RangeError",
    message: "histogram: series[0].values is empty: expected at least one value",
  });
  throws(() => histogram({ series: [{ values: [NaN] }] }), {
    name: "RangeError",
    message: "histogram: no value is finite: nothing to draw",
  });
  throws(() => histogram({ series: [{ values: [1] }], bins: 0 }), {
    name: "RangeError",
    message: "histogram: bins is a number (0): expected an integer from 1 to 10000",
  });
  throws(() => histogram({ series: [{ values: [1] }], bins: 2.5 }), {
    name: "RangeError",
    message: "histogram: bins is a number (2.5): expected an integer from 1 to 10000",
  });
  throws(() => histogram({ series: [{ values: [1] }], bin: 5 } as never), {
    name: "TypeError",
    message: "histogram: unknown option bin: did you mean bins?",
  });
});
