/**
 * The kata CLI, wired as deno tasks:
 *
 * - `deno task kata [NN]` — the kata table, then a real run of kata NN (default:
 *   the first unfinished one) showing only its first failure, the file to edit
 *   and the hint command. It never moves on by itself.
 * - `deno task hint NN.S [level]` — one hint level (default 1) of a step.
 * - `deno task solution NN [--force]` — the reference solution, once the kata passes.
 * - `deno task reset NN [--yes]` — restore the stub files from git, after a y/N question.
 *
 * `--root DIR` points every command at another repository (used by tests);
 * `--timeout S` stops a kata's run after S seconds (default 300).
 *
 * Every error ends in one line on stderr and exit code 1 (set KATAGRAD_DEBUG=1
 * for the stack trace); a progress file that cannot be saved is reported and
 * the command goes on.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { join, relative, resolve } from "node:path";
import { findKata, findKatas, findStep, type Kata, readPath } from "./kata_index.ts";
import { hintFor } from "./hints.ts";
import {
  currentEntry,
  fingerprint,
  loadProgress,
  type Progress,
  saveProgress,
} from "./progress.ts";
import { type KataOutcome, type KataRunOptions, runKata } from "./run_kata.ts";
import { paint } from "./term.ts";
import { git } from "./git.ts";

const USAGE = `usage:
  deno task kata [NN]              progress table, then run kata NN (default: the first unfinished)
  deno task hint NN.S [level]      show a hint (level 1 by default)
  deno task solution NN [--force]  show the reference solution (after the kata passes)
  deno task reset NN [--yes]       restore the kata's stub files from git
options: --timeout S (stop a kata's tests after S seconds, default 300), --root DIR`;

/**
 * Runs one CLI command.
 *
 * @param args the command line, e.g. `["hint", "01.3", "2"]`
 * @returns the exit code
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        root: { type: "string" },
        timeout: { type: "string" },
        force: { type: "boolean", default: false },
        yes: { type: "boolean", short: "y", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const root = values.root
    ? resolve(values.root)
    : resolve(fileURLToPath(new URL("../..", import.meta.url)));
  try {
    const run = runOptions(values.timeout);
    switch (command) {
      case "kata":
        return await kataCommand(root, rest[0], run);
      case "hint":
        return await hintCommand(root, rest[0], rest[1]);
      case "solution":
        return await solutionCommand(root, rest[0], values.force, run);
      case "reset":
        return await resetCommand(root, rest[0], values.yes);
      default:
        console.error(`Cannot run command "${command}": commands are kata, hint, solution, reset`);
        return 2;
    }
  } catch (e) {
    console.error(paint("red", oneLine(command, e)));
    if (Deno.env.get("KATAGRAD_DEBUG")) console.error(e);
    return 1;
  }
}

/** An error as one line: our own messages as they are, others after what failed. */
function oneLine(command: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split("\n")[0];
  if (e instanceof RangeError || e instanceof TypeError || /^Cannot /.test(first)) return first;
  return `Cannot run deno task ${command}: ${first} (KATAGRAD_DEBUG=1 shows the stack trace)`;
}

function runOptions(timeout: string | undefined): KataRunOptions {
  const seconds = timeout === undefined ? 300 : Number(timeout);
  if (!(seconds > 0)) {
    throw new RangeError(`Cannot use --timeout ${timeout}: give a number of seconds above 0`);
  }
  return {
    timeoutMs: seconds * 1000,
    stillRunningMs: Math.min(30, seconds / 2) * 1000,
    onStillRunning: (t, ms) => {
      const after = `after ${Math.round(ms / 1000)}s`;
      console.error(paint(
        "yellow",
        (t
          ? `… still running "${t.name}" ${after}: an infinite loop?`
          : `… still running ${after}, no test started yet (type-checking?)`) +
          ` (it is stopped at ${seconds}s; Ctrl-C stops it now)`,
      ));
    },
  };
}

async function kataCommand(
  root: string,
  id: string | undefined,
  run: KataRunOptions,
): Promise<number> {
  const katas = await findKatas(root);
  if (katas.length === 0) throw new RangeError(`Cannot list katas: none under ${root}/katas`);
  const progress = await load(root);
  let target: Kata | undefined;
  if (id !== undefined) target = findKata(katas, id);
  else {
    for (const k of katas) {
      const e = await currentEntry(progress, k);
      if (!(typeof e === "object" && e.status === "passed")) {
        target = k;
        break;
      }
    }
  }
  const outcome = target ? await runKata(root, target, run) : undefined;
  if (target && outcome) await record(root, progress, target, outcome);
  console.log(await table(katas, progress));
  console.log("");
  if (!target) {
    console.log(paint("green", "Every kata passes. Well done."));
    console.log(await whatIsNext(root, katas, katas[katas.length - 1]));
    return 0;
  }
  return report(target, outcome!, await whatIsNext(root, katas, target));
}

/** Progress from disk; a bad file is announced, and rebuilt by the next save. */
async function load(root: string): Promise<Progress> {
  const { progress, problem } = await loadProgress(root);
  if (problem) {
    console.error(
      paint("yellow", `.katagrad/progress.json: ${problem}; it is rebuilt from your runs`),
    );
  }
  return progress;
}

/** The line after a passed kata: the next written kata, or what the path plans next. */
async function whatIsNext(root: string, katas: readonly Kata[], done: Kata): Promise<string> {
  const next = katas.find((k) => k.id > done.id);
  if (next) return `  when you are ready:          deno task kata ${next.id}`;
  const planned = (await readPath(root)).find((r) => r.id > done.id);
  const more = planned
    ? `Next on the path, not written yet: kata ${planned.id} (${planned.lecture}${
      planned.build ? `: ${planned.build}` : ""
    }).`
    : "That is the end of the path.";
  return `  kata ${done.id} is the last kata written so far. ${more} See katas/README.md.`;
}

/** Records a run in the progress file; a file that cannot be written is reported, not fatal. */
async function record(root: string, progress: Progress, kata: Kata, o: KataOutcome) {
  progress.katas[kata.id] = {
    status: o.status,
    passed: o.passed,
    total: o.total,
    fingerprint: await fingerprint(kata),
    at: new Date().toISOString(),
  };
  try {
    await saveProgress(root, progress);
  } catch (e) {
    console.error(paint("yellow", `${(e as Error).message} (your run still counts below)`));
  }
}

function report(kata: Kata, o: KataOutcome, next: string): number {
  if (o.status === "passed") {
    console.log(paint("green", `✓ kata ${kata.id} passes: ${o.total} of ${o.total} tests.`));
    console.log(`  compare with the reference:  deno task solution ${kata.id}`);
    console.log(next);
    return 0;
  }
  const f = o.first!;
  console.log(
    paint("bold", `kata ${kata.id} — ${kata.title}`) +
      paint("dim", `  (${o.passed} of ${o.total} tests pass)`),
  );
  console.log("");
  if (f.test) console.log(paint("red", `✗ ${f.test}`));
  else if (o.run.timedOut) console.log(paint("red", "✗ the tests did not finish:"));
  else console.log(paint("red", "✗ the tests could not run:"));
  console.log(f.message.split("\n").map((l) => "  " + l).join("\n"));
  console.log("");
  console.log(`  edit:   ${paint("cyan", f.file)}`);
  if (f.step) console.log(`  hint:   deno task hint ${f.step}`);
  console.log(`  rerun:  deno task kata ${kata.id}   (or: deno test --watch katas/${kata.id})`);
  return 1;
}

async function table(katas: readonly Kata[], progress: Progress): Promise<string> {
  const rows: string[][] = [];
  for (const k of katas) {
    const e = await currentEntry(progress, k);
    let status: string;
    if (e === undefined) status = "not started";
    else if (e === "stale") {
      const old = progress.katas[k.id];
      status = `${describe(old.status, old.passed, old.total)} (edited since)`;
    } else status = describe(e.status, e.passed, e.total);
    rows.push([k.id, k.title, k.lecture, status]);
  }
  const head = ["kata", "title", "lecture", "status"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join("  ").trimEnd();
  const color = (r: string[]) => {
    const text = line(r);
    if (r[3].startsWith("passed")) return paint("green", text);
    if (r[3].startsWith("failing")) return paint("yellow", text);
    return text;
  };
  return [paint("bold", line(head)), ...rows.map(color)].join("\n");
}

function describe(status: string, passed: number, total: number): string {
  return status === "failing" ? `failing (${passed}/${total})` : status;
}

async function hintCommand(root: string, step?: string, levelArg?: string): Promise<number> {
  if (!step) throw new RangeError("Cannot show a hint: name a step, e.g. deno task hint 01.3");
  const level = levelArg === undefined ? 1 : Number(levelArg);
  const { hints, steps } = await findStep(await findKatas(root), step);
  const h = hintFor(steps, step, level);
  console.log(
    paint("bold", `${step} ${hints.title}`) + paint("dim", ` — hint ${level} of ${h.levels}`),
  );
  console.log("");
  console.log(h.text);
  console.log("");
  if (level < h.levels) console.log(paint("dim", `more: deno task hint ${step} ${level + 1}`));
  else {console.log(
      paint("dim", `that is the last hint; the answer: deno task solution ${step.slice(0, 2)}`),
    );}
  return 0;
}

async function solutionCommand(
  root: string,
  id: string | undefined,
  force: boolean,
  run: KataRunOptions,
) {
  if (!id) throw new RangeError("Cannot show a solution: name a kata, e.g. deno task solution 01");
  const kata = findKata(await findKatas(root), id);
  if (!force) {
    const progress = await load(root);
    let e = await currentEntry(progress, kata);
    if (typeof e !== "object" || e.status !== "passed") {
      await record(root, progress, kata, await runKata(root, kata, run));
      e = progress.katas[kata.id];
    }
    if (e.status !== "passed") {
      console.error(paint(
        "red",
        `Cannot show the solution of kata ${kata.id}: it does not pass yet ` +
          `(${e.passed} of ${e.total} tests). Finish it, or run: deno task solution ${kata.id} --force`,
      ));
      return 1;
    }
  }
  for (const f of kata.stubFiles) {
    const path = join(kata.solutionDir, f);
    console.log(paint("bold", `// ${relative(root, path)}`));
    console.log(await Deno.readTextFile(path));
  }
  return 0;
}

async function resetCommand(root: string, id: string | undefined, yes: boolean) {
  if (!id) throw new RangeError("Cannot reset: name a kata, e.g. deno task reset 01");
  const kata = findKata(await findKatas(root), id);
  const files = kata.stubFiles.map((f) => relative(root, join(kata.dir, f)));
  if (!yes) {
    if (!Deno.stdin.isTerminal()) {
      console.error(`Cannot reset kata ${kata.id} without a terminal to confirm: pass --yes`);
      return 1;
    }
    const answer = prompt(`Reset ${files.join(", ")} to the stub? Your edits are lost. [y/N]`);
    if (!/^y(es)?$/i.test(answer?.trim() ?? "")) {
      console.log("Nothing reset.");
      return 1;
    }
  }
  const out = await git(["checkout", "--", ...files], root);
  if (out === null) {
    console.error(
      `Cannot reset kata ${kata.id}: git is not on PATH (install git, or restore ${
        files.join(", ")
      } from a fresh copy of the repository)`,
    );
    return 1;
  }
  if (out.code !== 0) {
    console.error(
      `Cannot reset kata ${kata.id}: git checkout failed: ${out.stderr.split("\n")[0]}`,
    );
    return 1;
  }
  const progress = await load(root);
  delete progress.katas[kata.id];
  try {
    await saveProgress(root, progress);
  } catch (e) {
    console.error(paint("yellow", (e as Error).message));
  }
  console.log(`Reset ${files.join(", ")}.`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
