import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { booleanImage } from "./boolean_image.ts";
import { findAll, num, parseSvg, type SvgElement, textOf } from "./test_util.ts";

/** Reads the image back from the SVG: true where a white rectangle covers the pixel. */
function readImage(svg: SvgElement, rows: number, cols: number): boolean[][] {
  const [bg] = findAll(svg, "image-background");
  const px = num(bg, "width") / cols;
  equal(num(bg, "height") / rows, px, "square pixels");
  ok(Number.isInteger(num(bg, "x")) && Number.isInteger(num(bg, "y")), "on whole pixels: crisp");
  const img = Array.from({ length: rows }, () => Array(cols).fill(false));
  for (const r of findAll(svg, "pixels")) {
    const i = Math.round((num(r, "y") - num(bg, "y")) / px),
      j0 = Math.round((num(r, "x") - num(bg, "x")) / px);
    equal(num(r, "height"), px);
    for (let j = j0; j < j0 + Math.round(num(r, "width") / px); j++) {
      equal(img[i][j], false, `pixel (${i}, ${j}) covered twice`);
      img[i][j] = true;
    }
  }
  return img;
}

Deno.test("booleanImage() draws the matrix pixel for pixel: white where true", () => {
  let s = 3;
  const rnd = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const values = Array.from({ length: 32 }, () => Array.from({ length: 200 }, () => rnd() > 0.6));
  const svg = parseSvg(booleanImage({ values, title: "h.abs() > 0.99" }).toSvg());
  deepEqual(readImage(svg, 32, 200), values);
  equal(findAll(svg, "image-background")[0].attrs.fill, "#000");
  ok(findAll(svg, "pixels").every((r) => r.attrs.fill === "#fff"));
  deepEqual(findAll(svg, "title").map(textOf), ["h.abs() > 0.99"]);
  // imshow's axes: integer indices, pixel i centred on tick i
  deepEqual(findAll(svg, "x-tick").map(textOf), ["0", "50", "100", "150"]);
  deepEqual(findAll(svg, "y-tick").map(textOf), ["0", "20"]);
  const [bg] = findAll(svg, "image-background");
  const px = num(bg, "width") / 200;
  equal(num(findAll(svg, "x-tick")[1], "x"), num(bg, "x") + 50.5 * px);
});

Deno.test("booleanImage() reads a 2-d bool tensor, such as h.abs() > 0.99", () => {
  const h = tensor([[0.995, -0.2, -0.999], [0.1, 1, 0]]);
  const svg = parseSvg(booleanImage({ values: h.abs().gt(0.99) }).toSvg());
  deepEqual(readImage(svg, 2, 3), [[true, false, true], [false, true, false]]);
});

Deno.test("booleanImage() takes numbers as truthy or not (NaN is not)", () => {
  const svg = parseSvg(booleanImage({ values: [[0, 1, -2, NaN]] }).toSvg());
  deepEqual(readImage(svg, 1, 4), [[false, true, true, false]]);
});

Deno.test("booleanImage() sizes its pixels to fit 600 px unless told", () => {
  const big = parseSvg(booleanImage({ values: [[true, false]] }).toSvg());
  equal(num(findAll(big, "image-background")[0], "width"), 40); // capped at 20 px a pixel
  const wide = parseSvg(booleanImage({ values: [Array(300).fill(true)] }).toSvg());
  equal(num(findAll(wide, "image-background")[0], "width"), 600);
  const set = parseSvg(booleanImage({ values: [[true, false]], pixelSize: 7 }).toSvg());
  equal(num(findAll(set, "image-background")[0], "width"), 14);
});

Deno.test("booleanImage() refuses empty, ragged or non-2-d input", () => {
  throws(() => booleanImage({ values: [[]] }), {
    name: "RangeError",
    message: "booleanImage: values[0] is empty: expected at least one value",
  });
  throws(() => booleanImage({ values: [[true], [true, false]] }), {
    name: "ShapeError",
    message:
      "booleanImage: values[1] has 2 values but values[0] has 1: rows must have equal length",
  });
  throws(() => booleanImage({ values: tensor([[[1]]]) }), {
    name: "ShapeError",
    message: "booleanImage: values is a tensor of shape (1, 1, 1): expected a 2-d tensor",
  });
  throws(() => booleanImage({ values: [["x"]] } as never), {
    name: "TypeError",
    message: 'booleanImage: values[0][0] is the string "x": expected a number or a boolean',
  });
});
