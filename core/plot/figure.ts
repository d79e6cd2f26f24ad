/**
 * `Figure`: what every plot returns — the SVG document, a way to save it
 * atomically, and the rich-display hook that `deno jupyter` calls to show the
 * figure inline.
 *
 * @module
 */

import { resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { describe } from "./input.ts";

/**
 * The key of Jupyter's rich display protocol in Deno (`Deno.jupyter.$display`
 * is this same `Symbol.for("Jupyter.display")`): an object with a method under
 * this key is shown in a notebook as the MIME bundle the method returns.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { jupyterDisplay } from "./figure.ts";
 * equal(jupyterDisplay, Symbol.for("Jupyter.display"));
 * ```
 */
export const jupyterDisplay: unique symbol = Symbol.for("Jupyter.display") as never;

/** A figure drawn by one of the plots (`linePlot`, `histogram`, …). */
export interface Figure {
  /** The figure as a standalone `<svg>` document. */
  toSvg(): string;
  /**
   * Writes the SVG to `path` (which must end in `.svg`) atomically: a temporary
   * file beside it, then a rename, so a crash never leaves half a figure.
   * Resolves to the absolute path written.
   */
  save(path: string): Promise<string>;
  /** The MIME bundle `deno jupyter` displays: `image/svg+xml` and a `text/plain` summary. */
  [jupyterDisplay](): Record<string, string>;
}

/**
 * Wraps a finished SVG document as a `Figure`.
 *
 * @param svg the document
 * @param summary a one-line description (`linePlot "loss": 2 series`), shown as text
 * @returns the figure
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { makeFigure } from "./figure.ts";
 * const fig = makeFigure("<svg/>", "an empty figure");
 * equal(fig.toSvg(), "<svg/>");
 * equal(String(fig), "Figure(an empty figure)");
 * ```
 */
export function makeFigure(svg: string, summary: string): Figure {
  return new SvgFigure(svg, summary);
}

class SvgFigure implements Figure {
  readonly #svg: string;
  readonly #summary: string;
  constructor(svg: string, summary: string) {
    this.#svg = svg;
    this.#summary = summary;
  }
  toSvg(): string {
    return this.#svg;
  }
  async save(path: string): Promise<string> {
    if (typeof path !== "string" || path === "") {
      throw new TypeError(`Cannot save figure: path is ${describe(path)}: expected a file path`);
    }
    if (!/\.svg$/i.test(path)) {
      throw new TypeError(
        `Cannot save figure to ${JSON.stringify(path)}: the path must end in .svg ` +
          `(for a PNG, convert the SVG, e.g. \`rsvg-convert -o fig.png fig.svg\`)`,
      );
    }
    await writeFileAtomic(path, new TextEncoder().encode(this.#svg));
    return resolve(path);
  }
  [jupyterDisplay](): Record<string, string> {
    return { "image/svg+xml": this.#svg, "text/plain": this.toString() };
  }
  toString(): string {
    return `Figure(${this.#summary})`;
  }
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}
