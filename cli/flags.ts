/**
 * Command-line flags of `deno task train` and `deno task sample`: a table of typed flags with
 * their ranges, parsed with `node:util`'s parseArgs, and `CliError`, the one-line message a user
 * sees for bad input.
 *
 * @module
 */

import { parseArgs } from "node:util";

/** Bad input: the message is one line that says what to do; the exit code is 2 (usage) or 1. */
export class CliError extends Error {
  /** Always "CliError". */
  override name = "CliError";
  /** The process exit code. */
  readonly exitCode: number;

  /**
   * @param message one line: what is wrong and what to do
   * @param exitCode 2 for a usage error (default), 1 for a file or device problem
   */
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** One flag: its kind, range and help text. */
export interface FlagSpec {
  /** int, number, bool (`--bias false`), switch (`--resume`), string, or choice. */
  kind: "int" | "number" | "bool" | "switch" | "string" | "choice";
  /** The help text. */
  help: string;
  /** Least value (int, number). */
  min?: number;
  /** Values must stay below this (number). */
  below?: number;
  /** The values a choice accepts. */
  choices?: readonly string[];
  /** Another name for the flag (e.g. `steps` for `max-iters`). */
  alias?: string;
}

/** Parsed values by camelCase field name (only the flags given). */
export type FlagValues = Record<string, number | boolean | string>;

/** `nEmbd` → `n-embd`, `learningRate` → `learning-rate`. */
export function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parses `args` against the table; every value is checked against its range.
 *
 * @param command the command, for messages ("train")
 * @param args the arguments
 * @param table camelCase field → spec
 * @returns the values given, by field
 * @throws {CliError} for an unknown flag, a missing value or a value out of range
 */
export function parseFlags(
  command: string,
  args: string[],
  table: Record<string, FlagSpec>,
): FlagValues {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  const fieldOf = new Map<string, string>();
  for (const [field, spec] of Object.entries(table)) {
    for (const name of [kebab(field), spec.alias].filter((n) => n !== undefined)) {
      options[name] = { type: spec.kind === "switch" ? "boolean" : "string" };
      fieldOf.set(name, field);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) {
      throw new CliError(
        `unknown flag ${unknown[1]}; \`deno task ${command} --help\` lists the flags`,
      );
    }
    const needs = /Option '(--[\w-]+)[^']*' argument (is ambiguous|missing)/.exec(msg);
    if (needs) {
      throw new CliError(
        `${needs[1]} needs a value (write ${needs[1]}=<value> for one that starts with "-")`,
      );
    }
    const positional = /Unexpected argument '([^']+)'/.exec(msg);
    if (positional) {
      throw new CliError(
        `unexpected argument ${JSON.stringify(positional[1])}: every setting is a flag, e.g. ` +
          `--preset baby; \`deno task ${command} --help\` lists them`,
      );
    }
    throw new CliError(`${msg.split("\n")[0]}; \`deno task ${command} --help\` lists the flags`);
  }
  const out: FlagValues = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const field = fieldOf.get(name)!;
    out[field] = convert(name, raw as string | boolean, table[field]);
  }
  return out;
}

function convert(name: string, raw: string | boolean, spec: FlagSpec): number | boolean | string {
  const flag = `--${name}`;
  if (spec.kind === "switch" || typeof raw === "boolean") return raw;
  switch (spec.kind) {
    case "string":
      return raw;
    case "choice":
      if (!spec.choices!.includes(raw)) {
        throw new CliError(
          `${flag} must be one of ${spec.choices!.join(", ")}, got ${JSON.stringify(raw)}`,
        );
      }
      return raw;
    case "bool":
      if (raw !== "true" && raw !== "false") {
        throw new CliError(`${flag} must be true or false, got ${JSON.stringify(raw)}`);
      }
      return raw === "true";
    case "int":
    case "number": {
      const v = raw.trim() === "" ? NaN : Number(raw);
      const integer = spec.kind === "int";
      const ok = Number.isFinite(v) && (!integer || Number.isInteger(v)) &&
        (spec.min === undefined || v >= spec.min) && (spec.below === undefined || v < spec.below);
      if (!ok) {
        const range = spec.below !== undefined
          ? ` in [${spec.min ?? "-inf"}, ${spec.below})`
          : spec.min !== undefined
          ? ` >= ${spec.min}`
          : "";
        throw new CliError(
          `${flag} must be ${integer ? "an integer" : "a number"}${range}, got ${
            JSON.stringify(raw)
          }`,
        );
      }
      return v;
    }
  }
}

/**
 * The help text of a flag table.
 *
 * @param table the flags
 * @returns one line per flag
 */
export function flagHelp(table: Record<string, FlagSpec>): string {
  return Object.entries(table).map(([field, spec]) => {
    const names = [`--${kebab(field)}`, spec.alias && `--${spec.alias}`].filter(Boolean).join(", ");
    const value = spec.kind === "switch"
      ? ""
      : spec.kind === "choice"
      ? ` <${spec.choices!.join("|")}>`
      : spec.kind === "bool"
      ? " <true|false>"
      : ` <${spec.kind === "string" ? "text" : spec.kind}>`;
    return `  ${(names + value).padEnd(34)} ${spec.help}`;
  }).join("\n");
}
