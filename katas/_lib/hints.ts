/**
 * Reads a kata's `hints.md`: one `## NN.S title` heading per step, followed by
 * numbered levels `1. …`, `2. …`, each running until the next level or heading.
 *
 * @module
 */

/** The hints of one step. */
export interface StepHints {
  /** The step id, e.g. `"01.3"`. */
  step: string;
  /** The heading text after the id, e.g. `"tanh and its derivative"`. */
  title: string;
  /** The hint levels in order; `levels[0]` is level 1. */
  levels: string[];
}

const HEADING = /^##\s+(\d\d\.\d+)\b\s*(.*)$/;
const LEVEL = /^(\d+)\.\s+(.*)$/;

/**
 * Parses the text of a `hints.md` into its steps, in file order. Lines inside
 * fenced code blocks never start a level or a heading; continuation lines lose
 * the indentation `deno fmt` gives them.
 *
 * @param markdown the file's text
 * @returns one entry per `## NN.S` heading
 * @throws {RangeError} when a step id appears twice
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseHints } from "./hints.ts";
 * const md = "# Hints\n\n## 01.1 add\n\n1. Think.\n2. Harder:\n   really.\n";
 * deepEqual(parseHints(md), [
 *   { step: "01.1", title: "add", levels: ["Think.", "Harder:\nreally."] },
 * ]);
 * ```
 */
export function parseHints(markdown: string): StepHints[] {
  const steps: StepHints[] = [];
  let current: StepHints | undefined;
  let level: string[] | undefined;
  let fenced = false;
  const close = () => {
    if (current && level) current.levels.push(trimBlock(level));
    level = undefined;
  };
  for (const line of markdown.split(/\r?\n/)) {
    const isFence = /^\s*(```|~~~)/.test(line);
    if (!fenced) {
      const h = line.match(HEADING);
      if (h) {
        close();
        if (steps.some((s) => s.step === h[1])) {
          throw new RangeError(`Cannot parse hints: step ${h[1]} appears twice`);
        }
        current = { step: h[1], title: h[2].trim(), levels: [] };
        steps.push(current);
        continue;
      }
      if (/^#{1,2}\s/.test(line)) {
        close();
        current = undefined;
        continue;
      }
      const l = current ? line.match(LEVEL) : null;
      if (l) {
        close();
        level = [l[2]];
        continue;
      }
    }
    if (isFence) fenced = !fenced;
    if (level) level.push(line);
  }
  close();
  return steps;
}

/**
 * The text of one hint level of one step.
 *
 * @param steps the parsed hints of the step's kata
 * @param step the step id, e.g. `"01.3"`
 * @param level the level, from 1
 * @returns the hint text and how many levels the step has
 * @throws {RangeError} when the step is missing or the level is out of range
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { hintFor, parseHints } from "./hints.ts";
 * const steps = parseHints("## 01.1 add\n1. Think.\n2. Harder.\n");
 * equal(hintFor(steps, "01.1", 2).text, "Harder.");
 * throws(() => hintFor(steps, "01.1", 3), /levels 1 to 2/);
 * ```
 */
export function hintFor(
  steps: readonly StepHints[],
  step: string,
  level: number,
): { text: string; levels: number; title: string } {
  const s = steps.find((x) => x.step === step);
  if (!s) {
    throw new RangeError(
      `Cannot find hints for step ${step}: hints exist for ${
        steps.map((x) => x.step).join(", ") || "no step"
      }`,
    );
  }
  if (!Number.isInteger(level) || level < 1 || level > s.levels.length) {
    throw new RangeError(
      `Cannot show hint level ${level} of step ${step}: it has levels 1 to ${s.levels.length}`,
    );
  }
  return { text: s.levels[level - 1], levels: s.levels.length, title: s.title };
}

/** Joins a level's lines, dropping the common indentation and blank edges. */
function trimBlock(lines: string[]): string {
  const rest = lines.slice(1);
  while (rest.length && rest[rest.length - 1].trim() === "") rest.pop();
  const indents = rest.filter((l) => l.trim() !== "").map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trimEnd(), ...rest.map((l) => l.slice(cut).trimEnd())].join("\n").trim();
}
