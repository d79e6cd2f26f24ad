/**
 * The SVG text layer of the plots: escaping, a tiny element builder and
 * coordinate formatting. Every string that reaches a figure's markup passes
 * through `escapeXml`, so a label such as `a<b & "c"` cannot break the file.
 *
 * @module
 */

/** Attribute values of an element; `undefined` attributes are left out. */
export type Attrs = Record<string, string | number | undefined>;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for an XML text node or attribute value: `& < > " '` become
 * entities, and control characters that XML 1.0 forbids (all below U+0020
 * except tab, newline and carriage return) become U+FFFD.
 *
 * @param text any string
 * @returns the escaped string
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { escapeXml } from "./svg.ts";
 * equal(escapeXml(`a<b & "c"`), "a&lt;b &amp; &quot;c&quot;");
 * equal(escapeXml("nul\u0000"), "nul\uFFFD");
 * ```
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD");
}

/**
 * Rounds a coordinate to two decimals for compact markup (`12.3456` → `12.35`).
 *
 * @param v a finite number
 * @returns the number, as short text
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { fmtCoord } from "./svg.ts";
 * equal(fmtCoord(12.3456), "12.35");
 * equal(fmtCoord(-0.001), "0");
 * ```
 */
export function fmtCoord(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r); // no "-0"
}

/**
 * Builds one element: `el("rect", { x: 1, y: 2 })` → `<rect x="1" y="2"/>`.
 * Attribute values are escaped and numbers rounded with `fmtCoord`; `children`
 * is markup already built (use `text()` for text content).
 *
 * @param tag the element name
 * @param attrs its attributes
 * @param children inner markup; an element without children is self-closing
 * @returns the markup
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { el, text } from "./svg.ts";
 * equal(el("text", { x: 1.004, fill: "a&b" }, text("<hi>")), '<text x="1" fill="a&amp;b">&lt;hi&gt;</text>');
 * equal(el("circle", { r: 2, class: undefined }), '<circle r="2"/>');
 * ```
 */
export function el(tag: string, attrs: Attrs = {}, ...children: string[]): string {
  let open = `<${tag}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    open += ` ${k}="${typeof v === "number" ? fmtCoord(v) : escapeXml(v)}"`;
  }
  return children.length === 0 ? `${open}/>` : `${open}>${children.join("")}</${tag}>`;
}

/**
 * Escaped text content for `el`'s children.
 *
 * @param content the raw text
 * @returns the escaped text
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { text } from "./svg.ts";
 * equal(text("x < 1"), "x &lt; 1");
 * ```
 */
export function text(content: string): string {
  return escapeXml(content);
}

/**
 * Wraps figure content in a standalone SVG document of `width` × `height`
 * pixels on a white background.
 *
 * @param width pixels
 * @param height pixels
 * @param body the figure's elements
 * @returns the document, starting with `<svg`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { svgDocument } from "./svg.ts";
 * ok(svgDocument(10, 20, "").startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="10"'));
 * ```
 */
export function svgDocument(width: number, height: number, body: string): string {
  return [
    el(
      "svg",
      {
        xmlns: "http://www.w3.org/2000/svg",
        width,
        height,
        viewBox: `0 0 ${fmtCoord(width)} ${fmtCoord(height)}`,
        "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif",
        "font-size": 11,
      },
      "\n",
      el("rect", { width, height, fill: "#fff" }),
      "\n",
      body,
      "\n",
    ),
    "\n",
  ].join("");
}
