// saveModule keeps what the user has: write-protected files, symlinks, modes, clear errors,
// and no temporary files left behind by a killed save.
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { loadSafetensors } from "../io/safetensors.ts";
import { Generator } from "../random/generator.ts";
import * as nn from "./mod.ts";

const linear = (seed = 1, n = 4) => new nn.Linear(n, 3, { generator: new Generator(seed) });
const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

async function inTempDir(f: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_ckpt_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The checkpoint's weight, to see which model a file holds. */
async function weightIn(path: string): Promise<number[]> {
  return [...(await loadSafetensors(path)).tensors.weight.data];
}

Deno.test("saveModule() refuses to replace a write-protected (chmod 444) checkpoint", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "model.safetensors");
    await nn.saveModule(p, linear(1));
    const before = await Deno.readFile(p);
    await Deno.chmod(p, 0o444);
    await rejects(nn.saveModule(p, linear(2)), (e: unknown) => {
      ok(e instanceof Deno.errors.PermissionDenied);
      equal(
        (e as Error).message,
        `Cannot write ${p}: the file is write-protected (mode 0444); make it writable ` +
          `(chmod u+w ${p}) or choose another path`,
      );
      return true;
    });
    deepEqual(await Deno.readFile(p), before);
    equal(Deno.statSync(p).mode! & 0o777, 0o444);
    deepEqual(names(dir), ["model.safetensors"]);
  });
});

Deno.test("saveModule() writes through a symlink to a checkpoint, keeping the link", async () => {
  await inTempDir(async (dir) => {
    await nn.saveModule(join(dir, "step1000.safetensors"), linear(1));
    await Deno.symlink("step1000.safetensors", join(dir, "latest.safetensors"));
    const b = linear(2);
    await nn.saveModule(join(dir, "latest.safetensors"), b);
    ok(Deno.lstatSync(join(dir, "latest.safetensors")).isSymlink);
    deepEqual(await weightIn(join(dir, "step1000.safetensors")), [...b.weight.dataSync()]);
    deepEqual(names(dir), ["latest.safetensors", "step1000.safetensors"]);
  });
});

Deno.test("saveModule() keeps the checkpoint's mode", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "model.safetensors");
    await nn.saveModule(p, linear(1));
    await Deno.chmod(p, 0o600);
    await nn.saveModule(p, linear(2));
    equal(Deno.statSync(p).mode! & 0o777, 0o600);
  });
});

Deno.test("saveModule() errors name the checkpoint: missing directory, empty path", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "runs", "model.safetensors");
    await rejects(nn.saveModule(p, linear()), (e: unknown) => {
      ok(e instanceof Deno.errors.NotFound);
      equal(
        (e as Error).message,
        `Cannot write ${p}: the directory ${join(dir, "runs")} does not exist`,
      );
      return true;
    });
    await rejects(nn.saveModule("", linear()), {
      name: "TypeError",
      message: 'Cannot save module: path is "": expected a file path',
    });
    deepEqual(names(dir), []);
  });
});

Deno.test("saveModule() removes a temporary file that a killed save of the same path left", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "model.safetensors");
    await nn.saveModule(p, linear(1));
    // what a save killed mid-write leaves: a partial file under its temporary name
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    const left = `.model.safetensors.katagrad-tmp-${dead.pid}-5eed5eed`;
    await Deno.writeFile(join(dir, left), new Uint8Array(10));
    await nn.saveModule(p, linear(2));
    deepEqual(names(dir), ["model.safetensors"]);
    deepEqual(await weightIn(p), [...linear(2).weight.dataSync()]);
  });
});

// Real read-only and full file systems: run where someone mounted them, e.g. as root
//   mount -t tmpfs -o size=64k tmpfs /mnt/full
//   mount -t tmpfs -o size=1m tmpfs /mnt/ro && echo old > /mnt/ro/model.safetensors && mount -o remount,ro /mnt/ro
//   KATAGRAD_TEST_FULL_DIR=/mnt/full KATAGRAD_TEST_READONLY_DIR=/mnt/ro deno test -A core/nn/checkpoint_files_test.ts
// (writeFileAtomic's own tests simulate both on every run.)
const FULL = Deno.env.get("KATAGRAD_TEST_FULL_DIR"),
  READONLY = Deno.env.get("KATAGRAD_TEST_READONLY_DIR");

Deno.test({
  name:
    "saveModule() on a full disk fails naming the checkpoint and leaves the old one (real tmpfs)",
  ignore: !FULL,
  fn: async () => {
    const p = join(FULL!, "model.safetensors");
    const small = linear(1);
    await nn.saveModule(p, small);
    const big = new nn.Linear(256, 256, { generator: new Generator(3) }); // 257 KiB > the 64 KiB disk
    await rejects(nn.saveModule(p, big), (e: unknown) => {
      equal((e as { code?: string }).code, "ENOSPC");
      equal(
        (e as Error).message,
        `Cannot write ${p}: no space left on the device (ENOSPC); ${p} was left unchanged, ` +
          `free some space or choose another path`,
      );
      return true;
    });
    deepEqual(await weightIn(p), [...small.weight.dataSync()]);
    deepEqual(names(FULL!), ["model.safetensors"]);
    await Deno.remove(p);
  },
});

Deno.test({
  name: "saveModule() on a read-only file system fails naming the checkpoint (real tmpfs)",
  ignore: !READONLY,
  fn: async () => {
    const p = join(READONLY!, "model.safetensors");
    const before = await Deno.readFile(p);
    await rejects(nn.saveModule(p, linear()), (e: unknown) => {
      equal((e as { code?: string }).code, "EROFS");
      equal(
        (e as Error).message,
        `Cannot write ${p}: the file system is read-only; ${p} was left unchanged`,
      );
      return true;
    });
    deepEqual(await Deno.readFile(p), before);
  },
});
