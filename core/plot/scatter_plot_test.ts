import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ShapeError } from "../errors.ts";
import { tensor } from "../ops/creation.ts";
import { scatterPlot } from "./scatter_plot.ts";
import { findAll, num, parseSvg, textOf } from "./test_util.ts";

Deno.test("scatterPlot() draws a dot per point and writes each label on its dot", () => {
  const chars = ".abcdefghijklmnopqrstuvwxyz".split("");
  const x = chars.map((_, i) => Math.cos(i)), y = chars.map((_, i) => Math.sin(2 * i));
  const svg = parseSvg(scatterPlot({ x, y, labels: chars, title: "embeddings" }).toSvg());
  const dots = findAll(svg, "point"), labels = findAll(svg, "point-label");
  equal(dots.length, 27);
  deepEqual(labels.map(textOf), chars);
  dots.forEach((d, i) => {
    equal(num(labels[i], "x"), num(d, "cx"), `label ${i} centred on its dot`);
    ok(Math.abs(num(labels[i], "y") - num(d, "cy")) < num(d, "r"), `label ${i} inside its dot`);
  });
  // the dots keep the points' order along x: cos(0) = 1 is rightmost
  const cx = dots.map((d) => num(d, "cx"));
  equal(cx.indexOf(Math.max(...cx)), 0);
  deepEqual(findAll(svg, "title").map(textOf), ["embeddings"]);
});

Deno.test("scatterPlot() keeps every dot inside the frame", () => {
  const svg = parseSvg(
    scatterPlot({ x: [0, 1, 2], y: [0, 1, 2], labels: ["a", "b", "c"] }).toSvg(),
  );
  const [frame] = findAll(svg, "frame");
  const [fx, fy, fw, fh] = ["x", "y", "width", "height"].map((k) => num(frame, k));
  for (const d of findAll(svg, "point")) {
    const [cx, cy, r] = ["cx", "cy", "r"].map((k) => num(d, k));
    ok(
      cx - r >= fx && cx + r <= fx + fw && cy - r >= fy && cy + r <= fy + fh,
      `dot at ${cx},${cy}`,
    );
  }
});

Deno.test("scatterPlot() without labels draws small dots and no text on them", () => {
  const svg = parseSvg(
    scatterPlot({ x: tensor([1, 2, 3]), y: new Float64Array([3, 1, 2]) }).toSvg(),
  );
  equal(findAll(svg, "point").length, 3);
  equal(findAll(svg, "point-label").length, 0);
});

Deno.test("scatterPlot() skips points with a NaN or infinite coordinate, and their labels", () => {
  const svg = scatterPlot({
    x: [1, NaN, 3, 4],
    y: [1, 2, -Infinity, 4],
    labels: ["a", "b", "c", "d"],
  }).toSvg();
  ok(!/NaN|Infinity/.test(svg));
  deepEqual(findAll(parseSvg(svg), "point-label").map(textOf), ["a", "d"]);
});

Deno.test("scatterPlot() escapes its labels", () => {
  const svg = scatterPlot({ x: [1, 2], y: [1, 2], labels: ["<", '&"'] }).toSvg();
  deepEqual(findAll(parseSvg(svg), "point-label").map(textOf), ["<", '&"']);
  ok(svg.includes(">&lt;</text>") && svg.includes(">&amp;&quot;</text>"));
});

Deno.test("scatterPlot() refuses empty, mismatched or mistyped input", () => {
  throws(() => scatterPlot({ x: [], y: [] }), {
    name: "RangeError",
    message: "scatterPlot: x is empty: expected at least one value",
  });
  throws(() => scatterPlot({ x: [1, 2], y: [1] }), (e) => {
    ok(e instanceof ShapeError);
    equal((e as Error).message, "scatterPlot: x has 2 values but y has 1: expected equal lengths");
    return true;
  });
  throws(() => scatterPlot({ x: [1, 2], y: [1, 2], labels: ["a"] }), {
    name: "ShapeError",
    message: "scatterPlot: labels has 1 entries but x has 2: expected one label per point",
  });
  throws(() => scatterPlot({ x: [1], y: [1], labels: [7] as never }), {
    name: "TypeError",
    message: "scatterPlot: labels[0] is a number (7): expected a string",
  });
  throws(() => scatterPlot({ x: [NaN], y: [1] }), {
    name: "RangeError",
    message: "scatterPlot: no point has finite x and y: nothing to draw",
  });
  throws(() => scatterPlot({ x: [1], y: [1], label: ["a"] } as never), {
    name: "TypeError",
    message: "scatterPlot: unknown option label: did you mean labels?",
  });
});
