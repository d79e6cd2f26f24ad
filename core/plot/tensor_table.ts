/**
 * How a tensor shows itself in `deno jupyter`: an HTML table for small 1-d and
 * 2-d CPU tensors (elements formatted as the printout formats them), and the
 * printout itself for everything else.
 *
 * @module
 */

import type { DType, TypedArray } from "../dtype.ts";
import { formatShape } from "../errors.ts";
import { elementFormatter } from "../format.ts";
import { escapeXml } from "./svg.ts";

/** What the table reads from a tensor. */
export interface DisplayedTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  dataSync(): TypedArray;
  toString(): string;
}

/** Tensors with more elements than this display as their printout only. */
export const TABLE_MAX_ELEMENTS = 1000;

/**
 * The Jupyter MIME bundle of a tensor: always `text/plain` (the printout), and
 * `text/html` (a table with row and column indices) for a tensor of 1 or 2
 * dims and 1 to `TABLE_MAX_ELEMENTS` elements that reads synchronously (CPU).
 *
 * @param t the tensor
 * @returns the MIME bundle
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { tensorDisplay } from "./tensor_table.ts";
 * const bundle = tensorDisplay(tensor([[1, 2.5], [3, 4]]));
 * equal(bundle["text/plain"], "tensor([[1.0000, 2.5000],\n        [3.0000, 4.0000]])");
 * equal(bundle["text/html"].match(/<td /g)?.length, 4);
 * ok(tensorDisplay(tensor(3))["text/html"] === undefined); // 0-d: the printout only
 * ```
 */
export function tensorDisplay(t: DisplayedTensor): Record<string, string> {
  const plain = t.toString();
  const size = t.shape.reduce((a, b) => a * b, 1);
  const tabular = (t.shape.length === 1 || t.shape.length === 2) && size > 0 &&
    size <= TABLE_MAX_ELEMENTS;
  if (!tabular) return { "text/plain": plain };
  let data: TypedArray;
  try {
    data = t.dataSync();
  } catch {
    return { "text/plain": plain }; // no synchronous readback (a GPU tensor): the description
  }
  return { "text/plain": plain, "text/html": tensorTable(t, data) };
}

function tensorTable(t: DisplayedTensor, data: TypedArray): string {
  const fmt = elementFormatter(data, t.dtype);
  const [rows, cols] = t.shape.length === 1 ? [1, t.shape[0]] : [t.shape[0], t.shape[1]];
  const cell = "padding:1px 6px;text-align:right;font-family:monospace";
  const head = "padding:1px 6px;text-align:right;color:#888;font-weight:normal";
  const lines = [
    `<table style="border-collapse:collapse">`,
    `<caption style="text-align:left;color:#666">${
      escapeXml(`tensor ${formatShape(t.shape)} ${t.dtype}`)
    }</caption>`,
    `<thead><tr><th></th>${
      Array.from({ length: cols }, (_, j) => `<th style="${head}">${j}</th>`).join("")
    }</tr></thead>`,
    "<tbody>",
  ];
  for (let i = 0; i < rows; i++) {
    const tds = Array.from(
      { length: cols },
      (_, j) => `<td style="${cell}">${escapeXml(fmt(data[i * cols + j]))}</td>`,
    );
    const index = t.shape.length === 1 ? "" : String(i);
    lines.push(`<tr><th style="${head}">${index}</th>${tds.join("")}</tr>`);
  }
  lines.push("</tbody>", "</table>");
  return lines.join("\n");
}
