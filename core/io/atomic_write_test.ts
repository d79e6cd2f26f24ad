import { deepEqual, rejects } from "node:assert/strict";
import { writeFileAtomic } from "./atomic_write.ts";

async function inTempDir(f: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_aw_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writeFileAtomic() replaces an existing file and leaves no temporary file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/f.txt`, "old content");
    await writeFileAtomic(`${dir}/f.txt`, new TextEncoder().encode("new"));
    deepEqual(await Deno.readTextFile(`${dir}/f.txt`), "new");
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f.txt"]);
  });
});

Deno.test("writeFileAtomic() cleans up when the rename fails", async () => {
  await inTempDir(async (dir) => {
    // the destination is a non-empty directory: the rename fails after the data was written
    await Deno.mkdir(`${dir}/target`);
    await Deno.writeTextFile(`${dir}/target/keep`, "x");
    await rejects(writeFileAtomic(`${dir}/target`, new Uint8Array(1000)), Error);
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["target"]);
    deepEqual(await Deno.readTextFile(`${dir}/target/keep`), "x");
  });
});

Deno.test("writeFileAtomic() into a missing directory throws NotFound", async () => {
  await inTempDir(async (dir) => {
    await rejects(writeFileAtomic(`${dir}/nope/f`, new Uint8Array(1)), Deno.errors.NotFound);
  });
});
