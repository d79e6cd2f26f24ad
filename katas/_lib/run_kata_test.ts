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
    cases: [{
      name: "90.1 sq",
      file: "./katas/90/poly_test.ts",
      failed: false,
      message: "",
      detail: "",
      ignored: true,
    }],
  };
  const o = summarise(root, kata, run);
  equal(o.status, "failing");
  equal(o.passed, 0);
  equal(o.first?.test, "90.1 sq");
  equal(o.first?.step, "90.1");
  ok(o.first?.message.includes("ignored"), o.first?.message);
  ok(o.first?.message.includes("it needs a WebGPU adapter"), o.first?.message);
  equal(o.first?.file, "katas/90/poly.ts"); // the stub beside the test file
});

Deno.test("summarise: an error thrown outside the stub names the stub beside the test file", async () => {
  const [kata] = await findKatas(root);
  const failure = {
    name: "90.1 sq",
    file: "./katas/90/poly_test.ts",
    failed: true,
    message: "Uncaught KataAssertionError: 90.1 wrong",
    detail: "at file:///x/katas/90/_harness.ts:3:9",
  };
  const run = {
    code: 1,
    timedOut: false,
    silentFiles: [],
    uncaughtFiles: [],
    output: "",
    ms: 1,
    cases: [failure],
  };
  // Two stubs: the one beside poly_test.ts is meant, not both.
  const two = { ...kata, stubFiles: ["other.ts", "poly.ts"] };
  equal(summarise(root, two, run).first?.file, "katas/90/poly.ts");
});
