/**
 * A dependency-free download progress display: a redrawn bar on a terminal,
 * plain lines (start and end) when the output is a pipe or a log file.
 *
 * @module
 */

/** Where progress goes: `Deno.stderr` satisfies it; tests pass a fake. */
export interface ProgressOutput {
  /** Writes bytes, returns how many were written. */
  writeSync(p: Uint8Array): number;
  /** Whether the output is a terminal (then the bar is redrawn in place). */
  isTerminal(): boolean;
}

const WIDTH = 30;

/**
 * A progress bar for `total` bytes.
 *
 * @example On a pipe: one line at the start, one at the end
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ProgressBar } from "./progress_bar.ts";
 * let text = "";
 * const out = { writeSync: (p: Uint8Array) => (text += new TextDecoder().decode(p), p.length), isTerminal: () => false };
 * const bar = new ProgressBar("names.txt", 2000, out);
 * bar.update(1000);
 * bar.update(2000);
 * bar.finish();
 * deepEqual(text.split("\n"), ["names.txt: downloading 2,000 bytes", "names.txt: done (2,000 bytes)", ""]);
 * ```
 */
export class ProgressBar {
  #label: string;
  #total: number;
  #out: ProgressOutput;
  #tty: boolean;
  #lastDrawn = -1;
  #done = 0;

  /**
   * @param label what is being downloaded (a file name)
   * @param total the expected byte count (0 when unknown)
   * @param out where to write (stderr by default)
   */
  constructor(label: string, total: number, out: ProgressOutput = Deno.stderr) {
    this.#label = label;
    this.#total = total;
    this.#out = out;
    this.#tty = out.isTerminal();
    if (!this.#tty) this.#write(`${label}: downloading ${bytes(total)}\n`);
    else this.#draw();
  }

  /**
   * Reports progress; a terminal redraws when the shown percentage changes.
   *
   * @param done bytes received so far
   */
  update(done: number): void {
    this.#done = done;
    if (this.#tty) this.#draw();
  }

  /** Ends the display: the full bar and a newline, or a closing line. */
  finish(): void {
    if (this.#tty) {
      this.#lastDrawn = -1;
      this.#draw();
      this.#write("\n");
    } else this.#write(`${this.#label}: done (${bytes(this.#done)})\n`);
  }

  /** Ends the display after a failure: a newline on a terminal (so the error starts on its own line), or a closing line. */
  fail(): void {
    if (this.#tty) this.#write("\n");
    else this.#write(`${this.#label}: failed after ${bytes(this.#done)}\n`);
  }

  #draw(): void {
    const frac = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 0;
    const pct = Math.floor(frac * 100);
    if (pct === this.#lastDrawn) return;
    this.#lastDrawn = pct;
    const filled = Math.round(frac * WIDTH);
    const bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    this.#write(`\r${this.#label} [${bar}] ${String(pct).padStart(3)}% ${bytes(this.#done)}`);
  }

  #write(s: string): void {
    try {
      this.#out.writeSync(new TextEncoder().encode(s));
    } catch {
      // progress is a courtesy; a closed stderr must not fail the download
    }
  }
}

function bytes(n: number): string {
  return `${n.toLocaleString("en-US")} bytes`;
}
