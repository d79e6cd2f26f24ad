import { deepEqual, equal, notEqual } from "node:assert/strict";
import { join } from "node:path";
import { scratchDir } from "./scratch_dir.ts";

Deno.test("scratchDir: the fixed folder comes back empty, and a dead holder's lock is taken over", async () => {
  const key = `scratch test ${crypto.randomUUID()}`;
  const first = await scratchDir(key, "katagrad_scratch_test_");
  await Deno.writeTextFile(join(first.path, "left.txt"), "x");
  await first.release();
  deepEqual(await Array.fromAsync(Deno.readDir(first.path)), []);
  // A run killed mid-way leaves its lock: a process id that is gone.
  const dead = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
  await dead.status;
  await Deno.writeTextFile(`${first.path}.lock`, String(dead.pid));
  const second = await scratchDir(key, "katagrad_scratch_test_");
  equal(second.path, first.path);
  // While it is held, another run gets a folder of its own.
  const third = await scratchDir(key, "katagrad_scratch_test_");
  notEqual(third.path, first.path);
  await third.release();
  await second.release();
  await Deno.remove(first.path, { recursive: true });
});
