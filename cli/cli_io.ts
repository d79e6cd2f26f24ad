/**
 * How the commands talk to the world: output lines, an interrupt signal (Ctrl-C), and the
 * wrapper that turns a `CliError` into one line on stderr and an exit code. Tests pass their
 * own `CliIO` to a command's main function instead of spawning a process.
 *
 * @module
 */

import { CliError } from "./flags.ts";

/** The command's view of the terminal. */
export interface CliIO {
  /** Prints a line on stdout. */
  out(line: string): void;
  /** Prints a line on stderr. */
  err(line: string): void;
  /** Aborted on Ctrl-C (SIGINT): the run saves a checkpoint and stops. */
  interrupt?: AbortSignal;
  /** Called after each training step (tests use it to interrupt at a given step). */
  onStep?(step: number): void;
}

/**
 * Runs a command's main function as the process: stdout/stderr, SIGINT aborts `interrupt`
 * (a second Ctrl-C exits at once), a CliError prints `error: <message>` and exits with its code.
 *
 * @param main the command
 * @returns never (exits the process)
 */
export async function runAsProcess(main: (args: string[], io: CliIO) => Promise<number>) {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) Deno.exit(130);
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const io: CliIO = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    interrupt: controller.signal,
  };
  const code = await runCommand(main, Deno.args, io);
  Deno.removeSignalListener("SIGINT", onSigint);
  Deno.exit(code);
}

/**
 * Runs a command's main function and turns a CliError into its one line and exit code.
 *
 * @param main the command
 * @param args its arguments
 * @param io the terminal
 * @returns the exit code
 */
export async function runCommand(
  main: (args: string[], io: CliIO) => Promise<number>,
  args: string[],
  io: CliIO,
): Promise<number> {
  try {
    return await main(args, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`error: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

/**
 * Gives the event loop a turn, so a SIGINT that arrived during a synchronous step is seen.
 *
 * @returns after the turn
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
