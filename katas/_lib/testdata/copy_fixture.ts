/**
 * Test helper: copies the fixture repository into a temporary folder, at the
 * same depth below a copy of `katas/_lib/todo.ts`, so the fixture's relative
 * imports still resolve and tests can break it freely.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const LIB = fileURLToPath(new URL("..", import.meta.url));

/**
 * Copies the fixture.
 *
 * @returns the copy's root (`<tmp>/katas/_lib/testdata/fixture`) and a cleanup function
 */
export async function copyFixture(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const tmp = await Deno.makeTempDir({ prefix: "katagrad_fixture_" });
  const lib = join(tmp, "katas", "_lib");
  await copyTree(join(LIB, "testdata", "fixture"), join(lib, "testdata", "fixture"));
  await Deno.copyFile(join(LIB, "todo.ts"), join(lib, "todo.ts"));
  return {
    root: join(lib, "testdata", "fixture"),
    cleanup: () => Deno.remove(tmp, { recursive: true }),
  };
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.name === ".katagrad") continue;
    const src = join(from, e.name), dst = join(to, e.name);
    if (e.isDirectory) await copyTree(src, dst);
    else {
      await Deno.mkdir(dirname(dst), { recursive: true });
      await Deno.copyFile(src, dst);
    }
  }
}

/**
 * Runs git in a fixture copy, failing loudly.
 *
 * @param root the copy's root
 * @param args the git arguments
 * @returns its standard output
 */
export async function gitIn(root: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

/**
 * Makes the fixture copy a git repository with everything committed.
 *
 * @param root the copy's root
 * @returns when committed
 */
export async function commitAll(root: string): Promise<void> {
  await gitIn(root, "init", "-q");
  await gitIn(root, "add", "-A");
  await gitIn(root, "commit", "-qm", "fixture");
}

/**
 * Writes a mutant the way katas/README.md says: edit the solution, `git diff`
 * it into `_mutants/<name>.patch` after a description, restore the solution.
 * The copy must be a git repository ({@link commitAll}).
 *
 * @param root the copy's root
 * @param name the mutant's name
 * @param description its first line(s)
 * @param from text of `solutions/90/poly.ts` to replace (must occur once)
 * @param to its replacement
 * @returns when written
 */
export async function writeMutant(
  root: string,
  name: string,
  description: string,
  from: string,
  to: string,
): Promise<void> {
  const solution = join(root, "solutions/90/poly.ts");
  const text = await Deno.readTextFile(solution);
  if (text.split(from).length !== 2) throw new Error(`"${from}" is not once in the solution`);
  await Deno.writeTextFile(solution, text.replace(from, to));
  const diff = await gitIn(root, "diff", "solutions/90");
  await Deno.writeTextFile(
    join(root, `katas/90/_mutants/${name}.patch`),
    `${description}\n\n${diff}`,
  );
  await gitIn(root, "checkout", "-q", "solutions/90");
}
