/**
 * Kata 11 benchmark: your `trainMerges` against the reference (incremental
 * pair counts, identical chunks trained once), on taylorswift.txt to vocab 512
 * — the bytes as one chunk (the basic tokenizer) and the GPT-4 chunks (the
 * regex tokenizer). minbpe (Python) takes 8.4 s and 11.7 s for these on this
 * 2-core machine. Run `deno bench katas/11`.
 *
 * @module
 */

import { TAYLOR } from "./_checks.ts";
import * as learner from "./merges.ts";
import * as reference from "../../solutions/11/merges.ts";
import { gpt4Pattern as referencePattern } from "../../solutions/11/regex.ts";

const utf8 = new TextEncoder();
const BYTES = [[...utf8.encode(TAYLOR)]];
const CHUNKS = (TAYLOR.match(referencePattern()) ?? []).map((c) => [...utf8.encode(c)]);

/** A learner's straightforward trainer takes seconds per run: a few runs are enough. */
const RUNS = { n: 3, warmup: 1 };

Deno.bench({
  name: "reference: trainMerges, taylorswift.txt bytes, 256 merges (BasicTokenizer)",
  group: "kata 11 training, basic",
  baseline: true,
  ...RUNS,
  fn: () => void reference.trainMerges(BYTES, 256),
});

Deno.bench({
  name: "yours: trainMerges, taylorswift.txt bytes, 256 merges (BasicTokenizer)",
  group: "kata 11 training, basic",
  ...RUNS,
  fn: () => void learner.trainMerges(BYTES, 256),
});

Deno.bench({
  name: "reference: trainMerges, taylorswift.txt GPT-4 chunks, 256 merges (RegexTokenizer)",
  group: "kata 11 training, regex",
  baseline: true,
  ...RUNS,
  fn: () => void reference.trainMerges(CHUNKS, 256),
});

Deno.bench({
  name: "yours: trainMerges, taylorswift.txt GPT-4 chunks, 256 merges (RegexTokenizer)",
  group: "kata 11 training, regex",
  ...RUNS,
  fn: () => void learner.trainMerges(CHUNKS, 256),
});
