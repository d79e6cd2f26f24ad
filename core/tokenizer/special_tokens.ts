/**
 * Special tokens (`<|endoftext|>` and friends) and the `allowedSpecial`
 * modes of `encode`, as in minbpe and tiktoken: `"all"` encodes every special
 * token's text as its id, `"none"` encodes it as plain text, `"none_raise"`
 * (the default) refuses text that contains one, and a set allows just those.
 *
 * @module
 */

import { DisallowedSpecialTokenError } from "./errors.ts";

/** Which special tokens `encode` turns into their ids. */
export type AllowedSpecial =
  | "all"
  | "none"
  | "none_raise"
  | ReadonlySet<string>
  | readonly string[];

/** One piece of text between special tokens, or a special token's id. */
export type SpecialPiece = string | { readonly special: number };

/**
 * Splits `text` at the allowed special tokens (leftmost first, then the first
 * registered where two start at the same place).
 *
 * @param text the text
 * @param specials the registered special tokens, text → id
 * @param allowed the `allowedSpecial` mode
 * @returns the pieces in order: plain text and `{ special: id }`
 * @throws {DisallowedSpecialTokenError} under `"none_raise"` when the text contains one
 * @throws {TypeError} for a mode that is not one of the above, or a set naming an
 *   unregistered special token
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { splitSpecial } from "./special_tokens.ts";
 * const specials = new Map([["<|endoftext|>", 100257]]);
 * deepEqual(splitSpecial("a<|endoftext|>b", specials, "all"), ["a", { special: 100257 }, "b"]);
 * deepEqual(splitSpecial("a<|endoftext|>b", specials, "none"), ["a<|endoftext|>b"]);
 * ```
 */
export function splitSpecial(
  text: string,
  specials: ReadonlyMap<string, number>,
  allowed: AllowedSpecial,
): SpecialPiece[] {
  let names: string[];
  if (allowed === "none") return [text];
  if (allowed === "none_raise") {
    let first: { token: string; at: number } | undefined;
    for (const token of specials.keys()) {
      const at = text.indexOf(token);
      if (at >= 0 && (first === undefined || at < first.at)) first = { token, at };
    }
    if (first) throw new DisallowedSpecialTokenError(first.token, first.at);
    return [text];
  }
  if (allowed === "all") names = [...specials.keys()];
  else if (allowed instanceof Set || Array.isArray(allowed)) {
    names = [...allowed];
    for (const name of names) {
      if (typeof name !== "string" || !specials.has(name)) {
        throw new TypeError(
          `Cannot encode: allowedSpecial names ${JSON.stringify(name)}, which is not a ` +
            `registered special token; registered: ${[...specials.keys()].join(", ") || "none"}`,
        );
      }
    }
  } else {
    throw new TypeError(
      `Cannot encode: allowedSpecial must be "all", "none", "none_raise" or a set of special ` +
        `tokens, got ${JSON.stringify(allowed)}`,
    );
  }
  if (names.length === 0) return [text];
  const re = new RegExp(names.map(escapeRegExp).join("|"), "g");
  const pieces: SpecialPiece[] = [];
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) pieces.push(text.slice(last, m.index));
    pieces.push({ special: specials.get(m[0])! });
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
