import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { heatmap } from "./heatmap.ts";
import { findAll, num, parseSvg, textOf } from "./test_util.ts";

const itos = ".abcdefghijklmnopqrstuvwxyz".split("");

Deno.test("heatmap() of the 27×27 bigram counts: a cell each, with its bigram and count", () => {
  const N = itos.map((_, i) => itos.map((_, j) => (i * 31 + j * 17) % 97));
  const cellText = N.map((row, i) => row.map((n, j) => `${itos[i]}${itos[j]}\n${n}`));
  const svg = parseSvg(
    heatmap({ values: tensor(N, { dtype: "int32" }), cellText, title: "bigrams" }).toSvg(),
  );
  const cells = findAll(svg, "cell"), texts = findAll(svg, "cell-text");
  equal(cells.length, 27 * 27);
  equal(texts.length, 27 * 27);
  // cell (1, 2) is "ab" over its count, the bigram above the number, centred on the cell
  const ab = texts[1 * 27 + 2], cell = cells[1 * 27 + 2];
  deepEqual(ab.children.map(textOf), ["ab", String(N[1][2])]);
  const [line1, line2] = ab.children.map((t) => num(t, "y"));
  ok(line1 < line2, "bigram above the count");
  const cx = num(cell, "x") + num(cell, "width") / 2;
  ok(ab.children.every((t) => num(t, "x") === cx));
  ok(num(cell, "y") < line1 && line2 < num(cell, "y") + num(cell, "height"), "inside the cell");
  deepEqual(findAll(svg, "title").map(textOf), ["bigrams"]);
});

Deno.test("heatmap() colours run from light (smallest) to dark (largest), text contrasting", () => {
  const svg = parseSvg(
    heatmap({ values: [[0, 50], [100, 25]], cellText: [["a", "b"], ["c", "d"]] }).toSvg(),
  );
  const fills = findAll(svg, "cell").map((c) => c.attrs.fill);
  const lum = (hex: string) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0);
  const l = fills.map(lum); // order: 0, 50, 100, 25
  ok(l[0] > l[3] && l[3] > l[1] && l[1] > l[2], `lightness ${l}`);
  const textFill = findAll(svg, "cell-text").map((t) => t.attrs.fill);
  equal(textFill[0], "#333", "dark text on the lightest cell");
  equal(textFill[2], "#fff", "light text on the darkest cell");
});

Deno.test("heatmap() row and column labels, escaped", () => {
  const svg = heatmap({ values: [[1, 2]], rowLabels: ["<r>"], colLabels: ["a&", '"b"'] }).toSvg();
  const tree = parseSvg(svg);
  deepEqual(findAll(tree, "row-label").map(textOf), ["<r>"]);
  deepEqual(findAll(tree, "col-label").map(textOf), ["a&", '"b"']);
});

Deno.test("heatmap() leaves a non-finite cell blank but keeps its text", () => {
  const svg = heatmap({ values: [[1, NaN], [Infinity, 2]], cellText: [["a", "b"], ["c", "d"]] })
    .toSvg();
  ok(!/NaN|Infinity/.test(svg));
  const tree = parseSvg(svg);
  equal(findAll(tree, "cell").length, 2);
  deepEqual(findAll(tree, "cell-text").map(textOf), ["a", "b", "c", "d"]);
});

Deno.test("heatmap() refuses empty, ragged or mismatched input", () => {
  throws(() => heatmap({ values: [] }), {
    name: "RangeError",
    message: "heatmap: values is empty: expected at least one row",
  });
  throws(() => heatmap({ values: [[1, 2], [3]] }), {
    name: "ShapeError",
    message: "heatmap: values[1] has 1 values but values[0] has 2: rows must have equal length",
  });
  throws(() => heatmap({ values: tensor([1, 2, 3]) }), {
    name: "ShapeError",
    message: "heatmap: values is a tensor of shape (3): expected a 2-d tensor",
  });
  throws(() => heatmap({ values: [[1, 2]], cellText: [["a"]] }), {
    name: "ShapeError",
    message: "heatmap: cellText[0] has 1 entries: expected 2 strings",
  });
  throws(() => heatmap({ values: [[1, 2]], cellText: [["a", 2]] } as never), {
    name: "TypeError",
    message: "heatmap: cellText[0][1] is a number (2): expected a string",
  });
  throws(() => heatmap({ values: [[1, 2]], rowLabels: ["a", "b"] }), {
    name: "ShapeError",
    message: "heatmap: rowLabels has 2 entries: expected 1",
  });
});
