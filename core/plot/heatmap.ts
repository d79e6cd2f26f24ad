/**
 * Heatmaps with text in each cell: makemore part 1's 27×27 bigram count figure
 * (`plt.imshow(N, cmap="Blues")`, each cell showing its bigram, e.g. "ab", and
 * the count beneath).
 *
 * @module
 */

import { drawTitle } from "./axes.ts";
import { blues } from "./colors.ts";
import { type Figure, makeFigure } from "./figure.ts";
import { checkOptions, describe, type PlotMatrix, readInt, readMatrix, readText } from "./input.ts";
import { el, svgDocument, text } from "./svg.ts";
import { ShapeError } from "../errors.ts";

/** Options of `heatmap`. */
export interface HeatmapOptions {
  /** The rows of numbers (arrays, typed arrays, or a 2-d CPU tensor). */
  readonly values: PlotMatrix;
  /** Text for each cell, same shape as `values`; `"\n"` starts a new line ("ab\n12"). */
  readonly cellText?: readonly (readonly string[])[];
  /** A label left of each row. */
  readonly rowLabels?: readonly string[];
  /** A label above each column. */
  readonly colLabels?: readonly string[];
  /** Text above the plot. */
  readonly title?: string;
  /** The side of a cell in pixels (default 36 with cell text, else 20). */
  readonly cellSize?: number;
}

const OPTIONS = ["values", "cellText", "rowLabels", "colLabels", "title", "cellSize"];
const CHAR = 6.6;

/**
 * Draws one square per value, coloured on the "Blues" ramp from the smallest
 * finite value (near white) to the largest (dark blue), with optional text in
 * each cell (light on dark cells, dark on light ones). Non-finite values leave
 * their cell blank; their text is still drawn.
 *
 * @param opts the values, cell texts, labels and title
 * @returns the figure
 * @throws {TypeError} on values that are not numbers, texts that are not strings, or an unknown option
 * @throws {ShapeError} on ragged rows, or cell texts or labels that do not match the values' shape
 * @throws {RangeError} on empty values or a bad cell size
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { heatmap } from "./heatmap.ts";
 * const N = [[0, 4], [2, 1]];
 * const fig = heatmap({
 *   values: N,
 *   cellText: N.map((row, i) => row.map((n, j) => `${"ab"[i]}${"ab"[j]}\n${n}`)),
 * });
 * const svg = fig.toSvg();
 * equal(svg.match(/class="cell"/g)?.length, 4);
 * equal(svg.match(/<tspan[^>]*>ab</g)?.length, 1);
 * ```
 */
export function heatmap(opts: HeatmapOptions): Figure {
  const caller = "heatmap";
  checkOptions(opts, OPTIONS, caller);
  const m = readMatrix(opts.values, "values", caller, true);
  const cellText = readCellText(opts.cellText, m.rows, m.cols, caller);
  const rowLabels = readLabels(opts.rowLabels, "rowLabels", m.rows, caller);
  const colLabels = readLabels(opts.colLabels, "colLabels", m.cols, caller);
  const title = readText(opts.title, "title", caller);
  const cell = readInt(opts.cellSize, "cellSize", caller, cellText ? 36 : 20, [4, 400]);
  let lo = Infinity, hi = -Infinity;
  for (const v of m.data) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const left = 10 + (rowLabels ? Math.max(...rowLabels.map((s) => s.length)) * CHAR + 6 : 0);
  const top = (title ? 34 : 10) + (colLabels ? 18 : 0);
  const width = left + m.cols * cell + 10, height = top + m.rows * cell + 10;
  const font = Math.min(11, Math.max(5, Math.round(cell / 3.2)));
  const parts: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j], x = left + j * cell, y = top + i * cell;
      const color = Number.isFinite(v) ? blues(hi > lo ? (v - lo) / (hi - lo) : 0) : null;
      if (color) {
        parts.push(
          el("rect", { class: "cell", x, y, width: cell, height: cell, fill: color.fill }),
        );
      }
      if (cellText && cellText[i][j] !== "") {
        parts.push(
          cellLabel(cellText[i][j], x + cell / 2, y + cell / 2, font, color?.dark ?? false),
        );
      }
    }
  }
  rowLabels?.forEach((s, i) =>
    parts.push(el(
      "text",
      { class: "row-label", x: left - 6, y: top + (i + 0.5) * cell + 4, "text-anchor": "end" },
      text(s),
    ))
  );
  colLabels?.forEach((s, j) =>
    parts.push(el(
      "text",
      { class: "col-label", x: left + (j + 0.5) * cell, y: top - 6, "text-anchor": "middle" },
      text(s),
    ))
  );
  parts.push(el("rect", {
    class: "frame",
    x: left,
    y: top,
    width: m.cols * cell,
    height: m.rows * cell,
    fill: "none",
    stroke: "#333",
  }));
  if (title) parts.push(drawTitle(title, width));
  const name = title ? ` ${JSON.stringify(title)}` : "";
  return makeFigure(
    svgDocument(width, height, parts.join("\n")),
    `heatmap${name}: ${m.rows}×${m.cols}`,
  );
}

/** A cell's text, one `<tspan>` per line, centred in the cell. */
function cellLabel(s: string, cx: number, cy: number, font: number, dark: boolean): string {
  const lines = s.split("\n"), lh = font * 1.2;
  const y0 = cy - ((lines.length - 1) * lh) / 2 + font * 0.35;
  return el(
    "text",
    {
      class: "cell-text",
      "text-anchor": "middle",
      "font-size": font,
      fill: dark ? "#fff" : "#333",
    },
    ...lines.map((line, k) => el("tspan", { x: cx, y: y0 + k * lh }, text(line))),
  );
}

function readCellText(v: unknown, rows: number, cols: number, caller: string): string[][] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length !== rows) {
    const got = Array.isArray(v) ? `${v.length} rows` : describe(v);
    throw new ShapeError(
      `${caller}: cellText has ${got}: expected ${rows} rows of ${cols} strings`,
    );
  }
  return v.map((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      const got = Array.isArray(row) ? `${row.length} entries` : describe(row);
      throw new ShapeError(`${caller}: cellText[${i}] has ${got}: expected ${cols} strings`);
    }
    row.forEach((s, j) => {
      if (typeof s !== "string") {
        throw new TypeError(`${caller}: cellText[${i}][${j}] is ${describe(s)}: expected a string`);
      }
    });
    return row;
  });
}

function readLabels(v: unknown, what: string, n: number, caller: string): readonly string[] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) {
    throw new TypeError(`${caller}: ${what} is ${describe(v)}: expected an array of strings`);
  }
  if (v.length !== n) {
    throw new ShapeError(`${caller}: ${what} has ${v.length} entries: expected ${n}`);
  }
  v.forEach((s, i) => {
    if (typeof s !== "string") {
      throw new TypeError(`${caller}: ${what}[${i}] is ${describe(s)}: expected a string`);
    }
  });
  return v;
}
