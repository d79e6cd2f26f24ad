import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { loadSafetensors } from "../core/io/safetensors.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { sample } from "./sample.ts";
import { runCaptured, TINY_FLAGS, tinyText } from "./testing.ts";
import { train } from "./train.ts";

const dir = await Deno.makeTempDir({ prefix: "katagrad_train_test_" });
const textPath = join(dir, "tiny.txt");
await Deno.writeTextFile(textPath, tinyText());
const base = ["--data", textPath, ...TINY_FLAGS];

Deno.test({
  name: "train writes a checkpoint and a loss plot beside it; sample prints text from it",
  sanitizeResources: false,
  fn: async () => {
    const out = join(dir, "run");
    const r = await runCaptured(train, [
      ...base,
      "--steps",
      "6",
      "--eval-interval",
      "3",
      "--out-dir",
      out,
    ]);
    equal(r.code, 0, r.err.join("\n"));
    deepEqual(r.err, []);
    match(r.out[0], /^training on cpu/);
    ok(
      r.out.some((l) =>
        /^step 6\/6 \| loss \d\.\d{4} \| lr .* ms\/step \| .* tok\/s \| ETA 0s$/.test(l)
      ),
    );
    ok(r.out.some((l) => /^step 3: train loss \d\.\d{4}, val loss \d\.\d{4} {2}\(saved /.test(l)));
    const { info } = await loadCheckpoint(join(out, "ckpt.safetensors"));
    equal(info.step, 6);
    equal(info.history.train.length, 6);
    deepEqual(info.history.evals.map((e) => e.step), [0, 3, 6]);
    equal(info.config.vocabSize, new Set(tinyText()).size);
    ok((await Deno.readTextFile(join(out, "loss.svg"))).startsWith("<svg"));
    const meta = (await loadSafetensors(join(out, "ckpt.safetensors"))).metadata;
    ok(JSON.parse(meta.optimizer).numbers["0.step"] === 6); // AdamW's step count is saved

    const args = ["--out-dir", out, "--device", "cpu", "--prompt", "the ", "--tokens", "30"];
    const s1 = await runCaptured(sample, [...args, "--seed", "5"]);
    equal(s1.code, 0, s1.err.join("\n"));
    const text = s1.out.slice(0, -1).join("\n");
    ok(text.startsWith("the "));
    equal([...text].length, 34);
    equal(s1.out.at(-1), "---------------");
    const s2 = await runCaptured(sample, [...args, "--seed", "5"]);
    deepEqual(s2.out, s1.out); // the same seed, the same text
  },
});

Deno.test({
  name:
    "--resume continues exactly: an interrupted and resumed run has the uninterrupted run's losses",
  sanitizeResources: false,
  fn: async () => {
    // dropout, clipping, warmup and cosine decay, evaluations between: every piece of state counts
    const flags = [
      ...base,
      ...["--steps", "9", "--eval-interval", "4", "--dropout", "0.1", "--warmup-iters", "2"],
      ...["--grad-clip", "0.5", "--seed", "3"],
    ];
    const whole = join(dir, "whole"), split = join(dir, "split");
    equal((await runCaptured(train, [...flags, "--out-dir", whole])).code, 0);
    const stop = new AbortController();
    const first = await runCaptured(train, [...flags, "--out-dir", split], {
      interrupt: stop.signal,
      onStep: (step) => step === 5 && stop.abort(),
    });
    equal(first.code, 130);
    match(first.out.at(-1)!, /^interrupted at step 5: saved .*ckpt\.safetensors; continue with/);
    equal((await loadCheckpoint(join(split, "ckpt.safetensors"))).info.step, 5);
    const second = await runCaptured(train, ["--out-dir", split, "--device", "cpu", "--resume"]);
    equal(second.code, 0, second.err.join("\n"));
    match(second.out[0], /^resuming .* at step 5 on cpu/);
    const [a, b] = await Promise.all(
      [whole, split].map((d) => loadCheckpoint(join(d, "ckpt.safetensors"))),
    );
    deepEqual(b.info.history, a.info.history); // every step's loss and every evaluation, exactly
    for (const [name, t] of Object.entries(a.model)) {
      deepEqual(b.model[name].dataSync(), t.dataSync(), name);
    }
    deepEqual(b.generator, a.generator);
  },
});

Deno.test({
  name: "Ctrl-C (SIGINT) saves a checkpoint before the process exits",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const out = join(dir, "sigint");
    const cmd = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./train.ts", import.meta.url).pathname,
        ...base,
        "--steps",
        "100000",
        "--eval-interval",
        "100000",
        "--out-dir",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    });
    const child = cmd.spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/step +3\/100000/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    const status = await child.status;
    await child.stderr.cancel();
    equal(status.code, 130, seen);
    const m = /interrupted at step (\d+): saved/.exec(seen);
    ok(m, seen);
    const { info } = await loadCheckpoint(join(out, "ckpt.safetensors"));
    equal(info.step, Number(m[1]));
    equal(info.history.train.length, info.step);
  },
});
