/**
 * Terminal colours for the kata CLI: only when stdout is a terminal and
 * `NO_COLOR` is unset.
 *
 * @module
 */

/** A colour or weight the CLI uses. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const CODES: Record<Style, number> = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 };

/**
 * Whether to colour output.
 *
 * @returns true when stdout is a TTY and NO_COLOR is unset or empty
 */
export function useColor(): boolean {
  return Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
}

/**
 * Wraps text in an ANSI style when colours are on.
 *
 * @param style the style
 * @param text the text
 * @param on whether colours are on (default {@link useColor})
 * @returns the text, styled or not
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { paint } from "./term.ts";
 * equal(paint("red", "x", false), "x");
 * equal(paint("red", "x", true), "\x1b[31mx\x1b[0m");
 * ```
 */
export function paint(style: Style, text: string, on = useColor()): string {
  return on ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
}
