/**
 * Short checks of `deno task gpt2` (reproduce 12) without the real GPT-2
 * weights: the run on kata 12's fixture checkpoint, the command's two ways in
 * (token ids, or text through the r50k tokenizer), its message when the weights
 * are missing, and picoGPT's prompt and continuation as GPT-2's tokenizer sees
 * them.
 *
 * @module
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadEncoding } from "../../mod.ts";
import { rankFileDir } from "../../core/testing/tiktoken_ranks.ts";
import { TINY, TINY_PATH } from "../../katas/12/_checks.ts";
import * as model from "../../solutions/12/transformer.ts";
import * as weights from "../../solutions/12/weights.ts";
import * as cache from "../../solutions/12/with_kv_cache.ts";
import { PICOGPT, runGpt2 } from "./kata12.ts";

const SCRIPT = fileURLToPath(new URL("./kata12.ts", import.meta.url));

async function gpt2Command(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", SCRIPT, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("reproduce 12: the fixture's greedy tokens, the same with and without the KV cache", async () => {
  const run = await runGpt2({ ...model, ...weights, ...cache }, TINY_PATH, TINY.prompt, {
    heads: 2,
    tokens: 12,
    compare: true,
  });
  deepEqual(run.ids, TINY.continuation);
  equal(run.uncached?.same, true);
  deepEqual(run.hparams, { nVocab: 96, nCtx: 32, nEmbd: 64, nHead: 2, nLayer: 2 });
  ok(run.cachedTokensPerSecond > 0);
});

Deno.test("deno task gpt2 --ids: the fixture's continuation printed as ids", async () => {
  const r = await gpt2Command([
    "--solution",
    "--weights",
    TINY_PATH,
    "--heads",
    "2",
    "--tokens",
    "12",
    "--ids",
    TINY.prompt.join(","),
  ]);
  equal(r.code, 0, r.stderr);
  match(
    r.stdout,
    new RegExp(`greedy continuation \\(12 tokens\\): ${TINY.continuation.join(", ")}\n`),
  );
  match(r.stdout, /same tokens: yes/);
});

Deno.test("deno task gpt2 without the weights says where to get them", async () => {
  const empty = await Deno.makeTempDir();
  try {
    const r = await gpt2Command(["--solution"], {
      KATAGRAD_DATA: empty,
      XDG_CACHE_HOME: empty,
      HOME: empty,
    });
    equal(r.code, 1, r.stderr);
    match(r.stderr, /GPT-2 124M's weights are not here/);
    match(r.stderr, /deno task gpt2 --download/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("deno task gpt2: a bad flag is one line", async () => {
  const r = await gpt2Command(["--tokens", "0"]);
  equal(r.code, 2);
  equal(r.stderr.trim(), "gpt2: --tokens must be a positive integer, got 0");
});

Deno.test("picoGPT's prompt and continuation as GPT-2's tokenizer (r50k_base) sees them", async () => {
  const gpt2 = await loadEncoding("r50k_base", { dataDir: await rankFileDir(), download: false });
  deepEqual(gpt2.encode(PICOGPT.prompt), [...PICOGPT.promptIds]);
  match(gpt2.decode([...PICOGPT.continuation]), /^ the most powerful machines on the planet\.\n\n/);
});
