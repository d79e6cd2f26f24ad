/**
 * Test-only: tiktoken's rank files rebuilt from the rank data that the pinned
 * `tiktoken` npm package ships (its own compact format: lines of
 * `<label> <first rank> <base64 token> <base64 token> …`), checked against the
 * official files' sha256 (`DATASETS.cl100k_base.sha256`, the hash tiktoken
 * itself pins), and written to a temporary directory so that tests load
 * them through the real loader with `{ dataDir }`.
 *
 * @module
 */

import { join } from "node:path";
import { DATASETS } from "../data/datasets.ts";
import { sha256Hex } from "../data/download.ts";
import type { EncodingName } from "../tokenizer/encodings.ts";

/** The npm module of each encoding's ranks (`gpt2` is `r50k_base`'s ranks). */
async function npmRanks(name: EncodingName): Promise<string> {
  const m = name === "cl100k_base"
    ? await import("tiktoken/encoders/cl100k_base.json", { with: { type: "json" } })
    : await import("tiktoken/encoders/r50k_base.json", { with: { type: "json" } });
  return (m.default as unknown as { bpe_ranks: string }).bpe_ranks;
}

/**
 * The official rank file's bytes, rebuilt from the npm package.
 *
 * @param name the encoding
 * @returns the file's bytes (their sha256 is checked)
 * @throws {Error} when the rebuilt file's sha256 is not the official one
 */
export async function rankFileBytes(name: EncodingName): Promise<Uint8Array> {
  const entries: string[] = [];
  for (const line of (await npmRanks(name)).split("\n")) {
    if (!line) continue;
    const [, offset, ...tokens] = line.split(" ");
    const first = Number(offset);
    tokens.forEach((t, i) => (entries[first + i] = `${t} ${first + i}\n`));
  }
  const bytes = new TextEncoder().encode(entries.join(""));
  const actual = await sha256Hex(bytes);
  if (actual !== DATASETS[name].sha256) {
    throw new Error(`rebuilt ${name}.tiktoken has sha256 ${actual}, not the official one`);
  }
  return bytes;
}

let dir: Promise<string> | undefined;

/**
 * A directory holding `cl100k_base.tiktoken` and `r50k_base.tiktoken`
 * (made once per test process), to pass as `{ dataDir }`.
 *
 * @returns the directory
 */
export function rankFileDir(): Promise<string> {
  dir ??= (async () => {
    const d = await Deno.makeTempDir({ prefix: "katagrad_ranks_" });
    for (const name of ["cl100k_base", "r50k_base"] as const) {
      await Deno.writeFile(join(d, DATASETS[name].file), await rankFileBytes(name));
    }
    globalThis.addEventListener("unload", () => Deno.removeSync(d, { recursive: true }));
    return d;
  })();
  return dir;
}
