import { fileURLToPath } from "node:url";
import { deepEqual, doesNotMatch, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { copyFixture } from "./testdata/copy_fixture.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("./testdata/fixture", import.meta.url));

async function cli(root: string, ...args: string[]) {
  return await cliWith({}, root, ...args);
}

async function cliWith(env: Record<string, string>, root: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--root", root],
    stdin: "null",
    env: { NO_COLOR: "", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function withCopy(fn: (root: string) => Promise<void>) {
  const { root, cleanup } = await copyFixture();
  try {
    await fn(root);
  } finally {
    await cleanup();
  }
}

async function solveStep(root: string, from: string, to: string) {
  const stub = join(root, "katas/90/poly.ts");
  await Deno.writeTextFile(stub, (await Deno.readTextFile(stub)).replace(from, to));
}

Deno.test("kata: table, then only the first failure, the file to edit and the hint", async () => {
  await withCopy(async (root) => {
    const r = await cli(root, "kata");
    equal(r.code, 1);
    match(
      r.stdout,
      /^kata {2}title {8}lecture {10}status\n90 {4}Polynomials {2}polynomial demo {2}not started\n/,
    );
    match(r.stdout, /✗ 90\.1 square squares negative and fractional numbers\n/);
    match(r.stdout, /KataTodo: Kata step 90\.1 is not done yet: square\(x\)\./);
    match(r.stdout, /edit: {3}katas\/90\/poly\.ts\n/);
    match(r.stdout, /hint: {3}deno task hint 90\.1\n/);
    doesNotMatch(r.stdout, /90\.2 Poly/); // only the first failure
    equal(r.stdout.includes("\x1b["), false); // no colours when piped
    const progress = JSON.parse(await Deno.readTextFile(join(root, ".katagrad/progress.json")));
    deepEqual(
      [progress.katas["90"].status, progress.katas["90"].passed, progress.katas["90"].total],
      ["not started", 0, 4],
    );
  });
});

Deno.test("kata: a half-done kata is failing and shows the next unfinished step", async () => {
  await withCopy(async (root) => {
    await solveStep(root, 'return todo("90.1", "square(x)");', "return x * x;");
    await solveStep(root, 'return todo("90.2", "Poly.evaluate(x)");', "return x;");
    const r = await cli(root, "kata", "90");
    equal(r.code, 1);
    match(r.stdout, /failing \(1\/4\)/);
    match(r.stdout, /✗ 90\.2 Poly\.evaluate matches the sum of terms\n {2}AssertionError/);
    match(r.stdout, /hint: {3}deno task hint 90\.2\n/);
  });
});

Deno.test("kata: a finished kata passes, and the table remembers it until the stub changes", async () => {
  await withCopy(async (root) => {
    await Deno.copyFile(join(root, "solutions/90/poly.ts"), join(root, "katas/90/poly.ts"));
    const r = await cli(root, "kata");
    equal(r.code, 0);
    match(r.stdout, /90 .* passed\n/);
    match(r.stdout, /✓ kata 90 passes: 4 of 4 tests\./);
    // 90 is the last kata written: no pointer to a kata 91 that does not exist.
    const last = "kata 90 is the last kata written so far. Next on the path, not written yet: " +
      "kata 91 (tangent lines: `tangent(p, x)`). See katas/README.md.";
    equal(r.stdout.trim().split("\n").at(-1)?.trim(), last);
    doesNotMatch(r.stdout, /deno task kata 91/);
    const again = await cli(root, "kata");
    match(
      again.stdout,
      /Every kata passes\. Well done\.\n {2}kata 90 is the last kata written so far/,
    );
    await Deno.writeTextFile(join(root, "katas/90/poly.ts"), "\n", { append: true });
    const edited = await cli(root, "kata");
    match(edited.stdout, /✓ kata 90 passes/); // re-ran because the stub changed
  });
});

Deno.test("kata: type errors are shown when the tests cannot run", async () => {
  await withCopy(async (root) => {
    await solveStep(root, 'return todo("90.1", "square(x)");', 'return "x";');
    const r = await cli(root, "kata", "90");
    equal(r.code, 1);
    match(r.stdout, /✗ the tests could not run:\n.*TS2322/);
    match(r.stdout, /edit: {3}katas\/90\/poly\.ts/);
  });
});

Deno.test("kata and hint: unknown kata or step lists what exists", async () => {
  const kata = await cli(ROOT, "kata", "07");
  deepEqual([kata.code, kata.stderr.trim()], [1, "Cannot find kata 07: katas are 90"]);
  const step = await cli(ROOT, "hint", "90.9");
  deepEqual(
    [step.code, step.stderr.trim()],
    [1, "Cannot find step 90.9: steps of kata 90 are 90.1, 90.2, 90.3"],
  );
});

Deno.test("hint: level 1 by default, the count of levels, and a bad level", async () => {
  const one = await cli(ROOT, "hint", "90.2");
  equal(one.code, 0);
  match(one.stdout, /^90\.2 Poly\.evaluate — hint 1 of 3\n\nSum `coefs\[i\] \* x \*\* i`\.\n/);
  match(one.stdout, /more: deno task hint 90\.2 2/);
  const three = await cli(ROOT, "hint", "90.2", "3");
  match(three.stdout, /hint 3 of 3\n\nStart with `acc = 0`/);
  const bad = await cli(ROOT, "hint", "90.2", "4");
  deepEqual(
    [bad.code, bad.stderr.trim()],
    [1, "Cannot show hint level 4 of step 90.2: it has levels 1 to 3"],
  );
});

Deno.test("solution: refused until the kata passes, unless --force", async () => {
  await withCopy(async (root) => {
    const refused = await cli(root, "solution", "90");
    equal(refused.code, 1);
    match(
      refused.stderr,
      /Cannot show the solution of kata 90: it does not pass yet \(0 of 4 tests\)/,
    );
    equal(refused.stdout, "");
    const forced = await cli(root, "solution", "90", "--force");
    equal(forced.code, 0);
    match(forced.stdout, /^\/\/ solutions\/90\/poly\.ts\n/);
    match(forced.stdout, /return x \* x;/);
    await Deno.copyFile(join(root, "solutions/90/poly.ts"), join(root, "katas/90/poly.ts"));
    const earned = await cli(root, "solution", "90");
    equal(earned.code, 0);
    match(earned.stdout, /return x \* x;/);
  });
});

Deno.test("reset: refuses without a terminal, restores the stub from git with --yes", async () => {
  await withCopy(async (root) => {
    const git = (...args: string[]) =>
      new Deno.Command("git", {
        args: ["-c", "user.name=t", "-c", "user.email=t@t", ...args],
        cwd: root,
        stdout: "null",
        stderr: "null",
      }).output();
    await git("init", "-q");
    await git("add", "-A");
    await git("commit", "-qm", "fixture");
    const stub = join(root, "katas/90/poly.ts");
    const original = await Deno.readTextFile(stub);
    await Deno.copyFile(join(root, "solutions/90/poly.ts"), stub);
    const refused = await cli(root, "reset", "90");
    deepEqual(
      [refused.code, refused.stderr.trim()],
      [1, "Cannot reset kata 90 without a terminal to confirm: pass --yes"],
    );
    equal(await Deno.readTextFile(stub) === original, false);
    const done = await cli(root, "reset", "90", "--yes");
    equal(done.code, 0);
    equal(done.stdout.trim(), "Reset katas/90/poly.ts.");
    equal(await Deno.readTextFile(stub), original);
  });
});

Deno.test("kata: a stub that never returns names the test that was running and what to try", async () => {
  await withCopy(async (root) => {
    // Never returns (Atomics.wait blocks for good without spinning a core, unlike `while (true)`).
    await solveStep(
      root,
      'return todo("90.1", "square(x)");',
      "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n  return x;",
    );
    const r = await cli(root, "kata", "90", "--timeout", "5");
    equal(r.code, 1);
    const test = "90.1 square squares negative and fractional numbers";
    match(r.stdout, new RegExp(`✗ ${test}\\n`));
    match(
      r.stdout,
      new RegExp(`stopped after 5s while "${test}" was running \\(katas/90/poly_test\\.ts\\)`),
    );
    match(r.stdout, /An infinite loop in step 90\.1\?/);
    match(r.stdout, /hint: {3}deno task hint 90\.1\n/);
    // While it runs, the learner hears about it (every 2.5s here, every 30s by default).
    match(r.stderr, new RegExp(`… still running "${test}" after \\d+s: an infinite loop\\?`));
  });
});

Deno.test("kata: a progress path that is blocked costs one line, and the run still shows", async () => {
  await withCopy(async (root) => {
    await Deno.mkdir(join(root, ".katagrad/progress.json"), { recursive: true });
    const folder = await cli(root, "kata", "90");
    equal(folder.code, 1);
    equal(
      folder.stderr.trim(),
      "Cannot save your progress to .katagrad/progress.json: .katagrad/progress.json is a folder, " +
        "not a file (remove it to keep your progress) (your run still counts below)",
    );
    match(folder.stdout, /✗ 90\.1 square/);
    await Deno.remove(join(root, ".katagrad"), { recursive: true });
    await Deno.writeTextFile(join(root, ".katagrad"), "not a folder\n");
    const file = await cli(root, "kata", "90");
    match(file.stderr, /^Cannot save your progress to .*: \.katagrad is a file, not a folder /);
    equal(file.stderr.trim().split("\n").length, 1);
    match(file.stdout, /✗ 90\.1 square/);
  });
});

Deno.test("kata: a progress file of the wrong shape is rebuilt and said so", async () => {
  await withCopy(async (root) => {
    const path = join(root, ".katagrad/progress.json");
    await Deno.mkdir(join(root, ".katagrad"));
    await Deno.writeTextFile(path, '{ "version": 1, "katas": [] }\n');
    const r = await cli(root, "kata", "90");
    equal(
      r.stderr.trim(),
      ".katagrad/progress.json: it is not a version 1 progress file; it is rebuilt from your runs",
    );
    const saved = JSON.parse(await Deno.readTextFile(path));
    deepEqual([saved.version, saved.katas["90"].status], [1, "not started"]);
  });
});

Deno.test("reset without git on PATH, and any other error, is one line without a stack trace", async () => {
  await withCopy(async (root) => {
    const noGit = await Deno.makeTempDir(); // an empty PATH: no git to find
    try {
      const r = await cliWith({ PATH: noGit }, root, "reset", "90", "--yes");
      deepEqual([r.code, r.stderr.trim()], [
        1,
        "Cannot reset kata 90: git is not on PATH (install git, or restore katas/90/poly.ts " +
        "from a fresh copy of the repository)",
      ]);
    } finally {
      await Deno.remove(noGit);
    }
    await Deno.remove(join(root, "katas"), { recursive: true });
    await Deno.writeTextFile(join(root, "katas"), "not a folder\n");
    const broken = await cli(root, "kata");
    equal(broken.code, 1);
    equal(broken.stderr.trim().split("\n").length, 1);
    match(
      broken.stderr,
      /^Cannot run deno task kata: .*KATAGRAD_DEBUG=1 shows the stack trace\)$/m,
    );
  });
});
