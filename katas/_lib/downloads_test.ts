// `deno task kata`/`hint`/`solution` install every npm package that deno.json's
// "imports" or deno.lock names before they run, so what is named there is what
// every learner downloads. Benchmark-only packages stay out (see bench/tfjs_peer.ts).
import { deepEqual } from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The npm packages the library's own tests need: a learner's `deno task test` runs them. */
// tiktoken (OpenAI's Rust tokenizer as WebAssembly) is the oracle of core/tokenizer's parity tests;
// js-tiktoken (pure JavaScript) of kata 11's.
const NEEDED = ["fast-check", "tiktoken", "js-tiktoken"];

const packageOf = (specifier: string) => specifier.replace(/^npm:\/?/, "").replace(/(.)@.*$/, "$1");

Deno.test("deno.json and deno.lock name no npm package a learner does not need", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.lock`));
  const named = [
    ...Object.values(config.imports as Record<string, string>).filter((t) => t.startsWith("npm:")),
    ...Object.keys(lock.specifiers ?? {}).filter((s) => s.startsWith("npm:")),
  ].map(packageOf);
  deepEqual(
    [...new Set(named)].filter((p) => !NEEDED.includes(p)),
    [],
    "these would be downloaded by every `deno task kata`: load benchmark-only packages " +
      "like bench/tfjs_peer.ts does (and run with --lock=bench/deno.lock)",
  );
});
