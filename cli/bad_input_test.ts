// Bad input to `deno task train` / `deno task sample`: one line on stderr that says what to do,
// a non-zero exit, and nothing written or changed on disk.
import { deepEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { sample } from "./sample.ts";
import { runCaptured, snapshot, TINY_FLAGS, tinyText } from "./testing.ts";
import { train } from "./train.ts";

const dir = await Deno.makeTempDir({ prefix: "katagrad_cli_bad_" });
const textPath = join(dir, "tiny.txt");
await Deno.writeTextFile(textPath, tinyText());
const base = ["--data", textPath, ...TINY_FLAGS];
// a finished run to resume and sample from
const done = join(dir, "done");
const first = await runCaptured(train, [...base, "--steps", "2", "--out-dir", done]);
if (first.code !== 0) throw new Error(first.err.join("\n"));

/** Runs a command that must fail with one line matching `message`, leaving `dir` as it was. */
async function refuses(
  main: typeof train,
  args: string[],
  code: number,
  message: RegExp,
): Promise<void> {
  const before = await snapshot(dir);
  const r = await runCaptured(main, args);
  equal(r.code, code, `exit code of ${args.join(" ")}: ${r.err.join("\n")}`);
  equal(r.err.length, 1, r.err.join("\n"));
  match(r.err[0], /^error: /);
  match(r.err[0], message);
  deepEqual(await snapshot(dir), before, "the files on disk");
}

const fresh = (name: string) => ["--out-dir", join(dir, name)];

Deno.test("train refuses a missing, empty, non-UTF-8 or too short data file", async () => {
  await refuses(
    train,
    [...TINY_FLAGS, "--data", join(dir, "nope.txt"), ...fresh("a")],
    1,
    /--data .*nope\.txt: no such file; give a UTF-8 text file, or leave --data out/,
  );
  const empty = join(dir, "empty.txt");
  await Deno.writeFile(empty, new Uint8Array());
  await refuses(
    train,
    [...TINY_FLAGS, "--data", empty, ...fresh("a")],
    1,
    /empty\.txt is empty: give --data a text file to train on/,
  );
  const latin1 = join(dir, "latin1.txt");
  await Deno.writeFile(latin1, Uint8Array.from([0x68, 0x69, 0x20, 0xe9, 0x74, 0xe9]));
  await refuses(
    train,
    [...TINY_FLAGS, "--data", latin1, ...fresh("a")],
    1,
    /latin1\.txt is not UTF-8 text \(byte 3 starts an invalid sequence\): convert it to UTF-8/,
  );
  const short = join(dir, "short.txt");
  await Deno.writeTextFile(short, "to be or not to be, that is the question");
  await refuses(
    train,
    [...TINY_FLAGS, "--data", short, ...fresh("a")],
    1,
    /short\.txt is too short for --block-size 8: .* has 4 characters and needs at least 9/,
  );
  await refuses(
    train,
    [...TINY_FLAGS, "--data", dir, ...fresh("a")],
    1,
    /--data .* is a directory: give a text file/,
  );
});

Deno.test("train refuses an unknown preset or flag and out-of-range values", async () => {
  await refuses(
    train,
    [...base, "--preset", "huge"],
    2,
    /--preset must be one of baby, small, gpt, got "huge"/,
  );
  await refuses(
    train,
    [...base, "--n-embed", "64"],
    2,
    /unknown flag --n-embed; `deno task train --help` lists the flags/,
  );
  await refuses(
    train,
    [...base, "--dropout", "1.5"],
    2,
    /--dropout must be a number in \[0, 1\), got "1\.5"/,
  );
  await refuses(train, [...base, "--n-head", "0"], 2, /--n-head must be an integer >= 1, got "0"/);
  await refuses(train, [...base, "--steps=-3"], 2, /--steps must be an integer >= 1, got "-3"/);
  await refuses(
    train,
    [...base, "--steps", "-3"],
    2,
    /--steps needs a value \(write --steps=<value>/,
  );
  await refuses(train, [...base, "--steps"], 2, /--steps needs a value/);
  await refuses(train, [...base, "--lr", "fast"], 2, /--lr must be a number >= 0, got "fast"/);
  await refuses(train, [...base, "--bias", "yes"], 2, /--bias must be true or false, got "yes"/);
  await refuses(
    train,
    [...base, "--n-embd", "10", "--n-head", "4"],
    2,
    /--n-embd 10 is not a multiple of --n-head 4/,
  );
  await refuses(train, [...base, "baby"], 2, /unexpected argument "baby": every setting is a flag/);
});

Deno.test("train never overwrites a checkpoint: a new run needs --resume or another --out-dir", async () => {
  await refuses(
    train,
    [...base, "--out-dir", done],
    2,
    /ckpt\.safetensors exists: pass --resume to continue that run, or --out-dir <folder>/,
  );
  await refuses(
    train,
    [...base, ...fresh("none"), "--resume"],
    2,
    /--resume: no checkpoint at .*none\/ckpt\.safetensors; check --out-dir/,
  );
});

Deno.test("train --resume refuses a checkpoint whose model or data differ", async () => {
  await refuses(
    train,
    [...base, "--out-dir", done, "--resume", "--n-embd", "16"],
    2,
    /holds another model than asked for: --n-embd 16 \(it has 8\); drop those flags/,
  );
  await refuses(
    train,
    ["--out-dir", done, "--resume", "--preset", "small", "--device", "cpu"],
    2,
    /holds another model than asked for: --block-size 32 \(it has 8\), --n-layer 4 \(it has 1\)/,
  );
  const other = join(dir, "other.txt");
  await Deno.writeTextFile(other, tinyText().replaceAll("cat", "cow"));
  await refuses(
    train,
    [...TINY_FLAGS, "--data", other, "--out-dir", done, "--resume", "--steps", "5"],
    2,
    /was trained on .*tiny\.txt, and .*other\.txt is not that text/,
  );
  await refuses(
    train,
    [...base, "--out-dir", done, "--resume"],
    2,
    /has done 2 of its 2 steps: raise --steps to train on/,
  );
  const notCkpt = join(dir, "plain");
  await Deno.mkdir(notCkpt);
  await Deno.writeFile(join(notCkpt, "ckpt.safetensors"), Uint8Array.from([1, 2, 3]));
  await refuses(
    train,
    [...base, "--out-dir", notCkpt, "--resume"],
    1,
    /ckpt\.safetensors is not a valid safetensors file/,
  );
});

Deno.test("sample refuses a missing checkpoint, a prompt it cannot encode and a bad flag", async () => {
  await refuses(
    sample,
    [...fresh("none"), "--device", "cpu"],
    1,
    /no checkpoint at .*none\/ckpt\.safetensors: train one with `deno task train`/,
  );
  await refuses(
    sample,
    ["--out-dir", done, "--device", "cpu", "--prompt", "Zebra"],
    2,
    /--prompt has characters the model never saw: "Z", "b"; it knows /,
  );
  await refuses(
    sample,
    ["--out-dir", done, "--temperature", "0"],
    2,
    /--temperature must be a number > 0, got 0/,
  );
  await refuses(
    sample,
    ["--out-dir", done, "--tokens", "many"],
    2,
    /--tokens must be an integer >= 0, got "many"/,
  );
});
