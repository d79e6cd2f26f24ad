/**
 * Helpers of the CLI tests: run a command in-process with captured output, a tiny training text,
 * tiny model flags, and a snapshot of a folder to prove a failed command wrote nothing.
 *
 * @module
 */

import { join } from "node:path";
import { sha256Hex } from "../core/data/download.ts";
import { type CliIO, runCommand } from "./cli_io.ts";

/** What a command printed and returned. */
export interface Ran {
  /** The exit code. */
  code: number;
  /** stdout lines. */
  out: string[];
  /** stderr lines. */
  err: string[];
}

/**
 * Runs a command's main function with captured output.
 *
 * @param main the command
 * @param args its arguments
 * @param extra an interrupt signal or an onStep hook
 * @returns the exit code and the lines
 */
export async function runCaptured(
  main: (args: string[], io: CliIO) => Promise<number>,
  args: string[],
  extra: Pick<CliIO, "interrupt" | "onStep"> = {},
): Promise<Ran> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: (l) => out.push(...l.split("\n")), err: (l) => err.push(l), ...extra };
  const code = await runCommand(main, args, io);
  return { code, out, err };
}

/**
 * A deterministic text of about 3,000 characters over 20 symbols (a toy language with
 * structure a small model can learn a little of).
 *
 * @returns the text
 */
export function tinyText(): string {
  const words = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "it"];
  let s = 7, out = "";
  while (out.length < 3000) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out += words[s % words.length] + (s % 13 === 0 ? ".\n" : " ");
  }
  return out;
}

/** Flags of a model small enough to train in milliseconds per step on the CPU. */
export const TINY_FLAGS: readonly string[] = [
  "--device",
  "cpu",
  "--n-layer",
  "1",
  "--n-head",
  "2",
  "--n-embd",
  "8",
  "--block-size",
  "8",
  "--batch-size",
  "4",
  "--eval-iters",
  "2",
  "--log-interval",
  "1",
];

/**
 * Every file under a folder with the sha256 of its bytes (missing folder: empty).
 *
 * @param dir the folder
 * @returns path → sha256, sorted
 */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else out[p] = await sha256Hex(await Deno.readFile(p));
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return Object.fromEntries(Object.entries(out).sort());
}
