/**
 * minbpe's `.model` file: `minbpe v1`, the split pattern, the number of
 * special tokens, one `<text> <id>` line per special token, then one
 * `<left> <right>` line per merge (merge `i` makes token `256 + i`). Files
 * written here load in minbpe and the other way round: the GPT-2 and GPT-4
 * patterns are written in minbpe's (Python) spelling and read back as the
 * JavaScript ones.
 *
 * @module
 */

import { writeFileAtomic } from "../io/atomic_write.ts";
import { TokenizerFileError } from "./errors.ts";
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
import { Tokenizer } from "./tokenizer.ts";

const VERSION = "minbpe v1";

/** minbpe's spelling of each pattern (Python `regex`) ↔ ours (JavaScript). */
const PYTHON_PATTERNS: ReadonlyArray<readonly [python: string, js: string]> = [
  [
    String.raw`'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
    GPT2_SPLIT_PATTERN,
  ],
  [
    String
      .raw`'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+`,
    GPT4_SPLIT_PATTERN,
  ],
];

/**
 * The `.model` text of a tokenizer made from merges (trained or loaded).
 *
 * @param tokenizer the tokenizer
 * @returns the file's text
 * @throws {TypeError} for a tokenizer without merges (one loaded from ranks)
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatModel, Tokenizer } from "../../mod.ts";
 * const tok = Tokenizer.fromMerges([[104, 105]], { specialTokens: { "<|eot|>": 257 } });
 * equal(formatModel(tok), "minbpe v1\n\n1\n<|eot|> 257\n104 105\n");
 * ```
 */
export function formatModel(tokenizer: Tokenizer): string {
  const merges = tokenizer.merges;
  if (merges === undefined) {
    throw new TypeError(
      `Cannot save ${tokenizer}: it was loaded from ranks and has no merge list; ` +
        `only trained (or merge-built) tokenizers have a .model file`,
    );
  }
  const pattern = tokenizer.pattern ?? "";
  const python = PYTHON_PATTERNS.find(([, js]) => js === pattern)?.[0] ?? pattern;
  if (python.includes("\n")) {
    throw new TypeError(`Cannot save ${tokenizer}: its pattern contains a line break`);
  }
  const lines = [VERSION, python, String(tokenizer.specialTokens.size)];
  for (const [text, id] of tokenizer.specialTokens) lines.push(`${text} ${id}`);
  for (const [a, b] of merges) lines.push(`${a} ${b}`);
  return lines.join("\n") + "\n";
}

/**
 * Parses a `.model` file's text.
 *
 * @param text the file's text
 * @param source the file name, for error messages
 * @returns the tokenizer
 * @throws {TokenizerFileError} naming the line that is wrong: the version, the
 *   number of special tokens, a special token line, or a merge line
 */
export function parseModel(text: string, source = "model file"): Tokenizer {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const fail = (line: number, why: string): never => {
    throw new TokenizerFileError(source, line, why);
  };
  if (lines[0] !== VERSION) {
    fail(
      1,
      `expected ${JSON.stringify(VERSION)}, got ${JSON.stringify((lines[0] ?? "").slice(0, 40))}`,
    );
  }
  if (lines.length < 3) fail(lines.length + 1, "the file ends before the number of special tokens");
  const python = lines[1];
  const pattern = python === ""
    ? undefined
    : PYTHON_PATTERNS.find(([py]) => py === python)?.[1] ?? python;
  if (pattern !== undefined) {
    try {
      new RegExp(pattern, "gu");
    } catch (e) {
      fail(2, `the pattern is not a valid JavaScript regular expression: ${(e as Error).message}`);
    }
  }
  const numSpecial = /^\d+$/.test(lines[2]) ? Number(lines[2]) : NaN;
  if (Number.isNaN(numSpecial)) {
    fail(3, `expected the number of special tokens, got ${JSON.stringify(lines[2])}`);
  }
  const specials = new Map<string, number>();
  for (let i = 0; i < numSpecial; i++) {
    const lineNo = 4 + i, line = lines[3 + i];
    if (line === undefined) {
      fail(lineNo, `the file ends before special token ${i + 1} of ${numSpecial}`);
    }
    const space = line.lastIndexOf(" ");
    const id = /^\d+$/.test(line.slice(space + 1)) ? Number(line.slice(space + 1)) : NaN;
    if (space <= 0 || Number.isNaN(id)) {
      fail(lineNo, `expected "<special token> <id>", got ${JSON.stringify(line)}`);
    }
    specials.set(line.slice(0, space), id);
  }
  const merges: Array<[number, number]> = [];
  for (let k = 3 + numSpecial; k < lines.length; k++) {
    const lineNo = k + 1, m = /^(\d+) (\d+)$/.exec(lines[k]);
    if (!m) {
      fail(lineNo, `expected a merge "<left id> <right id>", got ${JSON.stringify(lines[k])}`);
    }
    const a = Number(m![1]), b = Number(m![2]), id = 256 + merges.length;
    if (a >= id || b >= id) {
      fail(lineNo, `merge ${a} ${b} → ${id} names a token that does not exist before it`);
    }
    merges.push([a, b]);
  }
  const tokens = 256 + merges.length;
  for (const [s, id] of specials) {
    if (id < tokens) {
      fail(4 + [...specials.keys()].indexOf(s), `special token id ${id} is a regular token's`);
    }
  }
  return Tokenizer.fromMerges(merges, { pattern, specialTokens: specials, name: source });
}

/**
 * Writes a tokenizer's `.model` file atomically (a crash never leaves half a file).
 *
 * @param tokenizer a trained (or merge-built) tokenizer
 * @param path where to write, e.g. `"taylor.model"`
 * @throws {TypeError} for a tokenizer without merges
 * @example Save and load
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { loadModel, saveModel, Tokenizer } from "../../mod.ts";
 * const tok = Tokenizer.train("hello hello hello", { vocabSize: 260 });
 * const dir = await Deno.makeTempDir();
 * await saveModel(tok, `${dir}/hello.model`);
 * deepEqual((await loadModel(`${dir}/hello.model`)).merges, tok.merges);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveModel(tokenizer: Tokenizer, path: string): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(formatModel(tokenizer)));
}

/**
 * Reads a `.model` file.
 *
 * @param path the file
 * @returns the tokenizer
 * @throws {TokenizerFileError} for a malformed file (the message names the line)
 */
export async function loadModel(path: string): Promise<Tokenizer> {
  return parseModel(await Deno.readTextFile(path), path);
}
