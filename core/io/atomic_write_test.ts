import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { type AtomicWriteFs, writeFileAtomic } from "./atomic_write.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const modeOf = (p: string) => Deno.statSync(p).mode! & 0o7777;

async function inTempDir(f: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_aw_" });
  try {
    await f(dir);
  } finally {
    await Deno.chmod(dir, 0o755).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

/** Checks a rejection: class, message, the target named and the temporary file not. */
async function rejectsNaming(
  p: Promise<unknown>,
  Class: new (...args: never[]) => Error,
  message: string,
) {
  await rejects(p, (e: unknown) => {
    ok(e instanceof Class, `${(e as Error)?.constructor?.name} is not ${Class.name}`);
    equal((e as Error).message, message);
    ok(!(e as Error).message.includes("katagrad-tmp"), "the temporary file is not named");
    return true;
  });
}

/** Real calls, with one of them replaced. */
function fsWith(over: Partial<AtomicWriteFs>): AtomicWriteFs {
  return {
    open: (p, o) => Deno.open(p, o),
    write: (f, c) => f.write(c),
    rename: (a, b) => Deno.rename(a, b),
    ...over,
  };
}

/** An error as Deno raises it for an errno without its own class (EROFS, ENOSPC). */
const osError = (code: string, text: string) => Object.assign(new Error(text), { code });

Deno.test("writeFileAtomic() replaces an existing file and leaves no temporary file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/f.txt`, "old content");
    await writeFileAtomic(`${dir}/f.txt`, enc("new"));
    equal(await Deno.readTextFile(`${dir}/f.txt`), "new");
    deepEqual(names(dir), ["f.txt"]);
  });
});

Deno.test("writeFileAtomic() refuses a write-protected file and leaves it as it was", async () => {
  await inTempDir(async (dir) => {
    const p = `${dir}/model.safetensors`;
    await Deno.writeTextFile(p, "trained for a week");
    await Deno.chmod(p, 0o444);
    await rejectsNaming(
      writeFileAtomic(p, enc("x")),
      Deno.errors.PermissionDenied,
      `Cannot write ${p}: the file is write-protected (mode 0444); make it writable ` +
        `(chmod u+w ${p}) or choose another path`,
    );
    equal(await Deno.readTextFile(p), "trained for a week");
    equal(modeOf(p), 0o444);
    deepEqual(names(dir), ["model.safetensors"]);
  });
});

Deno.test("writeFileAtomic() writes through a symlink: the link stays, its target changes", async () => {
  await inTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/runs`);
    await Deno.writeTextFile(`${dir}/runs/step100.bin`, "old");
    await Deno.symlink("runs/step100.bin", `${dir}/latest.bin`); // relative
    await Deno.symlink(`${dir}/latest.bin`, `${dir}/best.bin`); // absolute, to a link
    await writeFileAtomic(`${dir}/best.bin`, enc("new"));
    ok(Deno.lstatSync(`${dir}/best.bin`).isSymlink);
    ok(Deno.lstatSync(`${dir}/latest.bin`).isSymlink);
    equal(await Deno.readTextFile(`${dir}/runs/step100.bin`), "new");
    deepEqual(names(`${dir}/runs`), ["step100.bin"]);
    // a dangling link gets its target created
    await Deno.symlink("runs/step200.bin", `${dir}/next.bin`);
    await writeFileAtomic(`${dir}/next.bin`, enc("200"));
    ok(Deno.lstatSync(`${dir}/next.bin`).isSymlink);
    equal(await Deno.readTextFile(`${dir}/runs/step200.bin`), "200");
  });
});

Deno.test("writeFileAtomic() keeps an existing file's mode", async () => {
  await inTempDir(async (dir) => {
    for (const mode of [0o600, 0o640, 0o755]) {
      const p = `${dir}/f${mode.toString(8)}`;
      await Deno.writeTextFile(p, "old");
      await Deno.chmod(p, mode);
      await writeFileAtomic(p, enc("new"));
      equal(modeOf(p), mode);
      equal(await Deno.readTextFile(p), "new");
    }
    // a new file gets the mode any new file gets (0666 less the umask)
    await Deno.writeTextFile(`${dir}/plain`, "");
    await writeFileAtomic(`${dir}/fresh`, enc("x"));
    equal(modeOf(`${dir}/fresh`), modeOf(`${dir}/plain`));
  });
});

Deno.test("writeFileAtomic() names the target in errors: missing directory, empty path, a directory", async () => {
  await inTempDir(async (dir) => {
    await rejectsNaming(
      writeFileAtomic(`${dir}/nope/f`, enc("x")),
      Deno.errors.NotFound,
      `Cannot write ${dir}/nope/f: the directory ${dir}/nope does not exist`,
    );
    await rejects(writeFileAtomic("", enc("x")), {
      name: "TypeError",
      message: 'Cannot write file: path is "": expected a file path',
    });
    await rejects(writeFileAtomic(undefined as unknown as string, enc("x")), {
      name: "TypeError",
      message: "Cannot write file: path is undefined: expected a file path",
    });
    await Deno.mkdir(`${dir}/target`);
    await rejectsNaming(
      writeFileAtomic(`${dir}/target`, enc("x")),
      Deno.errors.IsADirectory,
      `Cannot write ${dir}/target: it is a directory`,
    );
    deepEqual(names(dir), ["target"]);
  });
});

Deno.test("writeFileAtomic() in a directory it may not write names the target", {
  ignore: Deno.uid() === 0, // root may write anywhere
}, async () => {
  await inTempDir(async (dir) => {
    await Deno.chmod(dir, 0o555);
    await rejectsNaming(
      writeFileAtomic(`${dir}/f`, enc("x")),
      Deno.errors.PermissionDenied,
      `Cannot write ${dir}/f: permission denied (cannot create a file in ${dir})`,
    );
  });
});

Deno.test("writeFileAtomic() on a read-only file system (simulated: open fails with EROFS)", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "f.bin");
    await Deno.writeTextFile(p, "kept");
    const fs = fsWith({
      open: () => Promise.reject(osError("EROFS", "Read-only file system (os error 30)")),
    });
    await rejects(writeFileAtomic(p, enc("new"), fs), (e: unknown) => {
      equal(
        (e as Error).message,
        `Cannot write ${p}: the file system is read-only; ${p} was left unchanged`,
      );
      equal((e as { code?: string }).code, "EROFS");
      return true;
    });
    equal(await Deno.readTextFile(p), "kept");
    deepEqual(names(dir), ["f.bin"]);
  });
});

Deno.test("writeFileAtomic() on a full disk (simulated: a write fails with ENOSPC halfway)", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "f.bin");
    await Deno.writeTextFile(p, "kept");
    let calls = 0;
    const fs = fsWith({
      write: (f, c) => {
        if (calls++ === 0) return f.write(c.subarray(0, c.length >> 1)); // a short write first
        return Promise.reject(osError("ENOSPC", "No space left on device (os error 28)"));
      },
    });
    await rejects(writeFileAtomic(p, new Uint8Array(1 << 16), fs), (e: unknown) => {
      equal(
        (e as Error).message,
        `Cannot write ${p}: no space left on the device (ENOSPC); ${p} was left unchanged, ` +
          `free some space or choose another path`,
      );
      return true;
    });
    equal(calls, 2);
    equal(await Deno.readTextFile(p), "kept");
    deepEqual(names(dir), ["f.bin"]);
  });
});

Deno.test("writeFileAtomic() that fails in the rename leaves the target and no temporary file", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "f.bin");
    await Deno.writeTextFile(p, "kept");
    const fs = fsWith({
      rename: (from) =>
        Promise.reject(Object.assign(new Error(`Busy: rename '${from}'`), { code: "EBUSY" })),
    });
    await rejectsNaming(
      writeFileAtomic(p, enc("new"), fs),
      Error,
      `Cannot write ${p}: Busy: rename '${p}'`,
    );
    equal(await Deno.readTextFile(p), "kept");
    deepEqual(names(dir), ["f.bin"]);
  });
});

Deno.test("writeFileAtomic() removes the temporary files a killed write of the same target left", async () => {
  await inTempDir(async (dir) => {
    const dead = new Deno.Command("true").spawn();
    const deadPid = dead.pid;
    await dead.status; // a process id that no longer runs
    const alive = new Deno.Command("sleep", { args: ["30"] }).spawn();
    try {
      const leftovers = [
        `.m.bin.katagrad-tmp-${deadPid}-0a1b2c3d`, // a killed process: stale
        `.m.bin.katagrad-tmp-${Deno.pid}-deadbeef`, // our pid, not being written: stale
        `.m.bin.1234abcd.tmp`, // katagrad's earlier naming: stale
      ];
      const kept = [
        `.m.bin.katagrad-tmp-${alive.pid}-00000000`, // a running process may still be writing it
        `.other.bin.katagrad-tmp-${deadPid}-0a1b2c3d`, // another target's
        `.m.bin.bak`, // not ours at all
      ];
      for (const n of [...leftovers, ...kept]) await Deno.writeTextFile(join(dir, n), "partial");
      await writeFileAtomic(join(dir, "m.bin"), enc("x"));
      deepEqual(names(dir), [...kept, "m.bin"].sort());
    } finally {
      alive.kill("SIGKILL");
      await alive.status;
    }
  });
});

Deno.test("a save killed mid-write leaves a temporary file that the next save removes", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "model.bin");
    await Deno.writeTextFile(p, "previous checkpoint");
    // A child process starts a write that hangs after the first chunk; then it is killed.
    const script = `
      import { writeFileAtomic } from ${
      JSON.stringify(new URL("./atomic_write.ts", import.meta.url).href)
    };
      const fs = {
        open: (p, o) => Deno.open(p, o),
        write: async (f, c) => { const n = await f.write(c.subarray(0, 10)); console.log("writing"); await new Promise(() => {}); return n; },
        rename: (a, b) => Deno.rename(a, b),
      };
      await writeFileAtomic(${JSON.stringify(p)}, new Uint8Array(100), fs);`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    equal(new TextDecoder().decode(value).trim(), "writing");
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    const left = names(dir).filter((n) => n.includes("katagrad-tmp"));
    equal(left.length, 1, "the killed write left its temporary file");
    equal(await Deno.readTextFile(p), "previous checkpoint", "and the target untouched");
    await writeFileAtomic(p, enc("next checkpoint"));
    deepEqual(names(dir), ["model.bin"]);
    equal(await Deno.readTextFile(p), "next checkpoint");
  });
});

Deno.test("two writes of one target at once in one process do not remove each other's file", async () => {
  await inTempDir(async (dir) => {
    const p = join(dir, "f.bin");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = fsWith({ write: async (f, c) => (await gate, f.write(c)) });
    const first = writeFileAtomic(p, enc("first"), slow);
    await new Promise((r) => setTimeout(r, 20)); // the first is now waiting in its write
    await writeFileAtomic(p, enc("second")); // runs its stale-file clean-up meanwhile
    release();
    await first;
    equal(await Deno.readTextFile(p), "first");
    deepEqual(names(dir), ["f.bin"]);
  });
});
