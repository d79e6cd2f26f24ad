/**
 * Reads the JUnit XML that `deno test --junit-path=FILE` writes. Deno lists
 * test steps as their own `<testcase>` named `parent > step`, after the tests.
 *
 * @module
 */

/** The outcome of one test or test step. */
export interface TestCase {
  /** The test name; a step's is `"parent > step"`. */
  name: string;
  /** The test file, as Deno names it (e.g. `"./katas/01/value_test.ts"`). */
  file: string;
  /** Whether it failed. */
  failed: boolean;
  /** The failure's one-line-or-more message (`"Uncaught KataTodo: …"`), `""` when it passed. */
  message: string;
  /** The failure's full text: error, source line and stack. */
  detail: string;
  /** The name of the test it is a step of, when it is a step. */
  parent?: string;
  /** True when the test was ignored (`ignore: true`, `<skipped/>` in the report): not run. */
  ignored?: boolean;
}

/** A parsed report. */
export interface JunitReport {
  /** Every test case in document order (tests, then steps). */
  cases: TestCase[];
  /** The test files the report covers. */
  files: string[];
}

/**
 * Parses Deno's JUnit XML.
 *
 * @param xml the report's text
 * @returns the test cases and files
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseJunit } from "./junit.ts";
 * const xml = `<testsuite name="./a_test.ts" tests="1">
 *   <testcase name="01.1 a &amp; b" classname="./a_test.ts">
 *     <failure message="Uncaught KataTodo: x">KataTodo: x</failure>
 *   </testcase>
 * </testsuite>`;
 * deepEqual(parseJunit(xml).cases, [{
 *   name: "01.1 a & b", file: "./a_test.ts", failed: true,
 *   message: "Uncaught KataTodo: x", detail: "KataTodo: x",
 * }]);
 * ```
 */
export function parseJunit(xml: string): JunitReport {
  const files = [...xml.matchAll(/<testsuite\s+name="([^"]*)"/g)].map((m) => unescapeXml(m[1]));
  const cases: TestCase[] = [];
  const re = /<testcase\s([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const attrs = readAttrs(m[1]);
    const body = m[3] ?? "";
    const f = body.match(/<(failure|error)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/);
    const fAttrs = f ? readAttrs(f[2]) : {};
    cases.push({
      name: attrs.name ?? "",
      file: attrs.classname ?? "",
      failed: f !== null,
      message: fAttrs.message ?? "",
      detail: f ? unescapeXml(f[3] ?? "") : "",
      ...(f === null && /<skipped\b/.test(body) ? { ignored: true } : {}),
    });
  }
  // Steps come as "parent > step"; link each to the longest test name it extends.
  const names = new Set(cases.map((c) => c.file + "\0" + c.name));
  for (const c of cases) {
    let cut = c.name.lastIndexOf(" > ");
    while (cut > 0) {
      const parent = c.name.slice(0, cut);
      if (names.has(c.file + "\0" + parent)) {
        c.parent = parent;
        break;
      }
      cut = c.name.lastIndexOf(" > ", cut - 1);
    }
  }
  return { cases, files };
}

/**
 * Whether a failure is only the summary of failing steps (`"2 test steps failed"`).
 *
 * @param c a test case
 * @returns true for such a summary
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isStepSummary } from "./junit.ts";
 * equal(isStepSummary({ name: "t", file: "f", failed: true, message: "1 test step failed", detail: "" }), true);
 * ```
 */
export function isStepSummary(c: TestCase): boolean {
  return c.failed && /^\d+ test steps? failed\.?$/.test(c.message.trim());
}

function readAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = unescapeXml(m[2]);
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default:
        return String.fromCodePoint(
          e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
        );
    }
  });
}
