import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { ShapeError } from "../errors.ts";
import { tensor } from "../ops/creation.ts";
import { CHAR_WIDTH } from "./axes.ts";
import { linePlot } from "./line_plot.ts";
import { findAll, num, parseSvg, type SvgElement, textOf } from "./test_util.ts";

const ticks = (svg: SvgElement, cls: string) => findAll(svg, cls).map(textOf);
/** The subpaths of a path's `d`, each as its points. */
function subpaths(d: string): number[][][] {
  return d.split("M").filter((s) => s.trim()).map((s) =>
    s.trim().split(/\s+/).filter((p) => p !== "h0").map((p) =>
      p.replace("L", "").split(",").map(Number)
    )
  );
}

Deno.test("linePlot() draws one path per series, with title, axis labels and a legend", () => {
  const svg = parseSvg(
    linePlot({
      series: [{ y: [3.3, 2.9, 2.6, 2.4], label: "train" }, {
        y: [3.3, 3.1, 2.9, 2.8],
        label: "val",
      }, {
        y: [3, 3, 3, 3],
      }],
      title: "loss",
      xLabel: "step",
      yLabel: "loss (nats)",
    }).toSvg(),
  );
  equal(findAll(svg, "series").length, 3);
  deepEqual(findAll(svg, "title").map(textOf), ["loss"]);
  deepEqual(findAll(svg, "x-label").map(textOf), ["step"]);
  deepEqual(findAll(svg, "y-label").map(textOf), ["loss (nats)"]);
  // the unlabelled third series stays out of the legend
  deepEqual(findAll(svg, "legend-entry").map(textOf), ["train", "val"]);
  // distinct colours, and the legend swatches use them
  const colors = findAll(svg, "series").map((p) => p.attrs.stroke);
  equal(new Set(colors).size, 3);
  deepEqual(
    findAll(svg, "legend-entry").map((g) => g.children[0].attrs.stroke),
    colors.slice(0, 2),
  );
  equal(num(svg, "width"), 640);
  equal(num(svg, "height"), 400);
});

Deno.test("linePlot() ticks are nice numbers and the points sit where their values say", () => {
  const svg = parseSvg(linePlot({ series: [{ x: [0, 250, 1000], y: [0.13, 0.5, 0.92] }] }).toSvg());
  deepEqual(ticks(svg, "y-tick"), ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  deepEqual(ticks(svg, "x-tick"), ["0", "200", "400", "600", "800", "1000"]);
  // y = 0.5 is halfway between the 0 and 1.0 tick labels' baselines
  const yt = findAll(svg, "y-tick"), y0 = num(yt[0], "y"), y1 = num(yt.at(-1)!, "y");
  const [[p0, p1, p2]] = subpaths(findAll(svg, "series")[0].attrs.d);
  ok(
    Math.abs(p1[1] - ((y0 + y1) / 2 - 11 * 0.35)) < 0.01,
    "y = 0.5 halfway (labels sit 0.35em below their tick)",
  );
  const xt = findAll(svg, "x-tick");
  ok(Math.abs(p0[0] - num(xt[0], "x")) < 0.01, "x = 0 at the 0 tick");
  ok(Math.abs(p2[0] - num(xt.at(-1)!, "x")) < 0.01, "x = 1000 at the 1000 tick");
  ok(
    Math.abs(p1[0] - (num(xt[1], "x") + (num(xt[2], "x") - num(xt[1], "x")) / 4)) < 0.01,
    "x = 250",
  );
});

Deno.test("linePlot() with logY labels its ticks as powers of ten", () => {
  const svg = parseSvg(linePlot({ series: [{ y: [3.3, 0.5, 0.02, 0.004] }], logY: true }).toSvg());
  const labels = findAll(svg, "y-tick");
  deepEqual(labels.map(textOf), ["10-3", "10-2", "10-1", "100", "101"]);
  // the exponent is a raised tspan: 10 with a superscript
  deepEqual(labels.map((l) => l.children[0].name), Array(5).fill("tspan"));
  deepEqual(labels.map((l) => l.ownText), Array(5).fill("10"));
  // decades are evenly spaced
  const ys = labels.map((l) => num(l, "y"));
  const gaps = ys.slice(1).map((y, i) => ys[i] - y);
  ok(gaps.every((g) => Math.abs(g - gaps[0]) < 0.02), `even decades: ${gaps}`);
});

Deno.test("linePlot() with logX and logY: the lr range test's axes", () => {
  const lre = Array.from({ length: 1000 }, (_, i) => -3 + (3 * i) / 999);
  const svg = parseSvg(
    linePlot({
      series: [{ x: lre.map((e) => 10 ** e), y: lre.map((e) => 2 + e * e / 2) }],
      logX: true,
      logY: true,
    })
      .toSvg(),
  );
  deepEqual(ticks(svg, "x-tick"), ["10-3", "10-2", "10-1", "100"]);
  deepEqual(ticks(svg, "y-tick"), ["100", "101", "2", "5"]);
});

Deno.test("linePlot() breaks the line at NaN and ±Infinity, and at values ≤ 0 on a log axis", () => {
  const svg = linePlot({ series: [{ y: [1, 2, NaN, 3, 4, Infinity, 5, -Infinity, 6, 7] }] })
    .toSvg();
  ok(!/NaN|Infinity/.test(svg), "no NaN or Infinity in the markup");
  const path = findAll(parseSvg(svg), "series")[0];
  deepEqual(subpaths(path.attrs.d).map((s) => s.length), [2, 2, 1, 2]);
  ok(path.attrs.d.includes("h0"), "a lone point is drawn as a dot");
  equal(path.attrs["stroke-linecap"], "round");
  const log = linePlot({ series: [{ y: [1, 0, 10, -5, 100] }], logY: true }).toSvg();
  deepEqual(subpaths(findAll(parseSvg(log), "series")[0].attrs.d).map((s) => s.length), [1, 1, 1]);
});

Deno.test("linePlot() refuses input with nothing to draw", () => {
  throws(() => linePlot({ series: [] }), {
    name: "RangeError",
    message: "linePlot: series is empty: expected at least one series",
  });
  throws(() => linePlot({ series: [{ y: [] }] }), {
    name: "RangeError",
    message: "linePlot: series[0].y is empty: expected at least one value",
  });
  throws(() => linePlot({ series: [{ y: [NaN, Infinity] }] }), {
    name: "RangeError",
    message: "linePlot: no point has finite x and y: nothing to draw",
  });
  throws(() => linePlot({ series: [{ y: [0, -1] }], logY: true }), {
    name: "RangeError",
    message:
      "linePlot: no point has finite (and, on a log axis, positive) x and y: nothing to draw",
  });
});

Deno.test("linePlot() refuses bad arguments with typed errors that name them", () => {
  throws(() => linePlot({ series: [{ y: [1, 2], x: [1] }] }), (e) => {
    ok(e instanceof ShapeError);
    equal(
      (e as Error).message,
      "linePlot: series[0].x has 1 values but series[0].y has 2: expected equal lengths",
    );
    return true;
  });
  throws(() => linePlot({ series: [{ y: [1, "2"] as unknown as number[] }] }), {
    name: "TypeError",
    message: 'linePlot: series[0].y[1] is the string "2": expected a number',
  });
  throws(() => linePlot({ series: [{ y: "abc" as unknown as number[] }] }), {
    name: "TypeError",
    message:
      'linePlot: series[0].y is the string "abc": expected an array of numbers, a typed array or a CPU tensor',
  });
  throws(() => linePlot({ series: [{ y: [1] }], logy: true } as never), {
    name: "TypeError",
    message: "linePlot: unknown option logy: did you mean logY?",
  });
  throws(() => linePlot({ series: [{ y: [1], lable: "a" }] } as never), {
    name: "TypeError",
    message: "linePlot: series[0]: unknown option lable: did you mean label?",
  });
  throws(() => linePlot({ series: [{ y: [1] }], width: 10 }), {
    name: "RangeError",
    message: "linePlot: width is a number (10): expected an integer from 80 to 10000",
  });
  throws(() => linePlot({ series: [{ y: [1] }], title: 3 } as never), {
    name: "TypeError",
    message: "linePlot: title is a number (3): expected a string",
  });
});

Deno.test("linePlot() escapes <, & and quotes in every text", () => {
  const nasty = `a<b & "c" 'd'`;
  const svg = linePlot({
    series: [{ y: [1, 2], label: nasty }],
    title: nasty,
    xLabel: nasty,
    yLabel: nasty,
  })
    .toSvg();
  ok(!svg.includes(nasty));
  const tree = parseSvg(svg); // throws on a raw < or &
  for (const cls of ["title", "x-label", "y-label", "legend-entry"]) {
    deepEqual(findAll(tree, cls).map(textOf), [nasty]);
  }
});

Deno.test("linePlot() reads typed arrays and CPU tensors, and refuses GPU tensors", () => {
  const fromArray = linePlot({ series: [{ y: [1, 2, 4] }] }).toSvg();
  equal(linePlot({ series: [{ y: new Float32Array([1, 2, 4]) }] }).toSvg(), fromArray);
  equal(linePlot({ series: [{ y: tensor([1, 2, 4]) }] }).toSvg(), fromArray);
  const gpu = {
    shape: [3],
    device: "webgpu",
    dataSync: (): Float32Array => {
      throw new Error("Cannot read a webgpu tensor synchronously");
    },
  };
  throws(() => linePlot({ series: [{ y: gpu }] }), {
    name: "TypeError",
    message: "linePlot: cannot read series[0].y, a tensor on webgpu, synchronously " +
      '(Cannot read a webgpu tensor synchronously); pass `await t.toDevice("cpu")` or `await t.data()`',
  });
});

Deno.test("linePlot() thins a 200,000-step curve to its per-pixel envelope", () => {
  const n = 200_000;
  const y = Float32Array.from({ length: n }, (_, i) => 2 + Math.sin(i * 0.7) + Math.exp(-i / 1000));
  y[123_456] = 9; // one spike: must survive thinning
  const svg = linePlot({ series: [{ y }] }).toSvg();
  ok(svg.length < 200_000, `${svg.length} characters`);
  const tree = parseSvg(svg);
  const pts = subpaths(findAll(tree, "series")[0].attrs.d).flat();
  ok(pts.length <= 4 * 640, `${pts.length} points`);
  // the envelope: the spike and the lowest point are still drawn
  const ys = pts.map((p) => p[1]);
  const yt = findAll(tree, "y-tick");
  const toPx = (v: number) => {
    const [a, b] = [yt[0], yt.at(-1)!].map((t) => [Number(textOf(t)), num(t, "y") - 11 * 0.35]);
    return a[1] + ((v - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);
  };
  ok(Math.abs(Math.min(...ys) - toPx(9)) < 0.6, "the spike at 9");
  ok(Math.abs(Math.max(...ys) - toPx(y.reduce((a, b) => Math.min(a, b)))) < 0.6, "the minimum");
  // x increases along the path
  ok(pts.every((p, i) => i === 0 || p[0] >= pts[i - 1][0]));
});

Deno.test("linePlot() tick labels never overlap, at any width and range", () => {
  for (const width of [120, 200, 320, 640, 1200]) {
    for (const [lo, hi] of [[0, 200000], [-1.234e-4, 5.6e-3], [0.5, 0.51], [-3e7, 4e9], [1, 2]]) {
      const svg = parseSvg(
        linePlot({ series: [{ x: [lo, hi], y: [hi, lo] }], width, height: 120 }).toSvg(),
      );
      for (const cls of ["x-tick"]) {
        const spans = findAll(svg, cls).map((t) => {
          const w = textOf(t).length * CHAR_WIDTH * 0.85; // DejaVu digits are ~0.55em, CHAR_WIDTH 0.6em
          return [num(t, "x") - w / 2, num(t, "x") + w / 2];
        });
        ok(spans.length >= 2, `${spans.length} ${cls} at width ${width} for [${lo}, ${hi}]`);
        for (let i = 1; i < spans.length; i++) {
          ok(
            spans[i][0] > spans[i - 1][1] + 4,
            `overlap at width ${width}, [${lo}, ${hi}]: ${JSON.stringify(spans)}`,
          );
        }
        const right = spans.at(-1)![1];
        ok(right <= width, `last label inside the figure (${right} > ${width})`);
      }
      const ys = findAll(svg, "y-tick").map((t) => num(t, "y"));
      for (let i = 1; i < ys.length; i++) ok(ys[i - 1] - ys[i] >= 14, `y labels ${ys}`);
    }
  }
});

Deno.test("a line plot's Figure shows itself in deno jupyter as SVG", () => {
  const fig = linePlot({ series: [{ y: [1, 2] }], title: "t" });
  const bundle = fig[Symbol.for("Jupyter.display") as never] as unknown as () => Record<
    string,
    string
  >;
  const shown = bundle.call(fig);
  equal(shown["image/svg+xml"], fig.toSvg());
  equal(shown["text/plain"], 'Figure(linePlot "t": 1 series)');
});

Deno.test("Figure.save() into a missing directory rejects with NotFound", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejects(
      linePlot({ series: [{ y: [1] }] }).save(`${dir}/nope/f.svg`),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
