import { equal, ok } from "node:assert/strict";
import { findKatas } from "./kata_index.ts";
import { summarise } from "./run_kata.ts";

const root = new URL("./testdata/fixture", import.meta.url).pathname;

Deno.test("summarise: a kata whose tests were ignored is not passed, and says why", async () => {
  const [kata] = await findKatas(root);
  const run = {
    code: 0,
    timedOut: false,
    silentFiles: [],
    uncaughtFiles: [],
    output: "Kata 90 skipped: it needs a WebGPU adapter (none here)\nrunning 1 test\n",
    ms: 1,
    cases: [{ name: "90.1 sq", file: "f", failed: false, message: "", detail: "", ignored: true }],
  };
  const o = summarise(root, kata, run);
  equal(o.status, "failing");
  equal(o.passed, 0);
  equal(o.first?.test, "90.1 sq");
  equal(o.first?.step, "90.1");
  ok(o.first?.message.includes("ignored"), o.first?.message);
  ok(o.first?.message.includes("it needs a WebGPU adapter"), o.first?.message);
});
