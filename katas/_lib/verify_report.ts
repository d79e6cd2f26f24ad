/**
 * The report of `deno task verify`: a table, the breaches, and the summary line
 * `verify: N passed, N failed` that CI adds up.
 *
 * @module
 */

import type { Check } from "./verify_checks.ts";

/** The checks of one kata. */
export interface KataReport {
  /** The kata id. */
  id: string;
  /** The number of top-level tests in the stub run. */
  tests: number;
  /** Every check, layout first, mutants last. */
  checks: Check[];
  /** The time of its test runs added up, in milliseconds. */
  ms: number;
  /** From its first run's start to its last run's end, in milliseconds. */
  wallMs: number;
  /** Remarks that are not breaches (e.g. a stub verified from the working copy). */
  notes: string[];
}

/**
 * Formats reports as the verify table, the breaches and the summary line.
 *
 * @param reports the reports of `verify()`
 * @param wallMs the wall time of the whole verification, shown when given
 * @returns the text, ending with `verify: N passed, N failed`
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * import { formatReport } from "./verify.ts";
 * const ok = { name: "stub", ok: true, problems: [] };
 * const bad = { name: "mutant m", ok: false, problems: ["survives: every test passes"] };
 * const report = { id: "01", tests: 3, checks: [ok, bad], ms: 10, wallMs: 8, notes: [] };
 * match(formatReport([report]), /verify: 1 passed, 1 failed$/);
 * ```
 */
export function formatReport(reports: readonly KataReport[], wallMs?: number): string {
  const head = [
    "kata",
    "tests",
    "layout",
    "stub fails w/ KataTodo",
    "solution passes",
    "exports match",
    "mutants killed",
    "runs",
    "wall",
  ];
  const cell = (r: KataReport, name: string) => {
    const c = r.checks.find((x) => x.name === name);
    return c === undefined ? "-" : c.ok ? "ok" : "FAIL";
  };
  const rows = reports.map((r) => {
    const mutants = r.checks.filter((c) => c.name.startsWith("mutant "));
    return [
      r.id,
      String(r.tests),
      cell(r, "layout"),
      cell(r, "stub"),
      cell(r, "solution"),
      cell(r, "exports"),
      `${mutants.filter((c) => c.ok).length}/${mutants.length}`,
      `${(r.ms / 1000).toFixed(1)}s`,
      `${(r.wallMs / 1000).toFixed(1)}s`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  const out = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const breaches = reports.flatMap((r) =>
    r.checks.filter((c) => !c.ok).flatMap((c) => c.problems.map((p) => `  ${r.id} ${c.name}: ${p}`))
  );
  if (breaches.length) out.push("", "breaches:", ...breaches);
  const notes = reports.flatMap((r) => r.notes.map((n) => `  ${r.id}: ${n}`));
  if (notes.length) out.push("", "notes:", ...notes);
  const checks = reports.flatMap((r) => r.checks);
  const passed = checks.filter((c) => c.ok).length;
  out.push("");
  if (wallMs !== undefined) {
    out.push(
      `${reports.length} kata(s) verified in ${(wallMs / 1000).toFixed(1)}s ` +
        "(runs: a kata's test runs added up; wall: its first start to its last end)",
    );
  }
  out.push(`verify: ${passed} passed, ${checks.length - passed} failed`);
  return out.join("\n");
}
