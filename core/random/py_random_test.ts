import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { PyRandom } from "./py_random.ts";

// deno-lint-ignore no-explicit-any
const fixture: { python_version: string; cases: Record<string, any> } = JSON.parse(
  Deno.readTextFileSync(new URL("../../testdata/random/py_random.json", import.meta.url)),
);
const cases = fixture.cases;

Deno.test("fixture was made with CPython 3.11", () => {
  ok(fixture.python_version.startsWith("3.11"), fixture.python_version);
});

Deno.test("random() matches CPython for six seeds (0, negative, > 2^32, > 2^64)", () => {
  const seeds = Object.keys(cases).filter((k) => k.startsWith("random_"));
  equal(seeds.length, 6);
  for (const name of seeds) {
    const r = new PyRandom(BigInt(cases[name].seed));
    const got = Array.from({ length: 500 }, () => r.random());
    deepEqual(got, cases[name].values, name);
  }
});

Deno.test("shuffle() matches random.shuffle and leaves the same state behind", () => {
  const r = new PyRandom(42);
  deepEqual(r.shuffle(Array.from({ length: 100 }, (_, i) => i)), cases.shuffle_100.values);
  equal(r.random(), cases.shuffle_100.random_after);
  const big = new PyRandom(42).shuffle(Array.from({ length: 32033 }, (_, i) => i));
  deepEqual(big.slice(0, 200), cases.shuffle_32033.head);
  deepEqual(big.slice(-200), cases.shuffle_32033.tail);
  equal(big.reduce((s, v, i) => s + v * i, 0), cases.shuffle_32033.sum_of_index_times_value);
});

Deno.test("randint(), choice(), getrandbits() and uniform() match CPython", () => {
  let r = new PyRandom(1);
  for (const [a, b, v] of cases.randint.calls) equal(r.randint(a, b), v, `randint(${a}, ${b})`);
  r = new PyRandom(2);
  const seq = cases.choice.seq.split("");
  equal(Array.from({ length: 300 }, () => r.choice(seq)).join(""), cases.choice.values);
  r = new PyRandom(3);
  for (const [k, v] of cases.getrandbits.calls) equal(r.getrandbits(k).toString(), v, `k=${k}`);
  r = new PyRandom(4);
  for (const [a, b, v] of cases.uniform.calls) equal(r.uniform(a, b), v);
});

Deno.test("PyRandom rejects bad arguments with clear messages", () => {
  const err = (cls: typeof RangeError | typeof TypeError, message: string) => (e: Error) =>
    e instanceof cls && e.message === message;
  throws(
    () => new PyRandom(1.5),
    err(TypeError, "Cannot seed PyRandom: only integer seeds are supported, got 1.5"),
  );
  const r = new PyRandom(0);
  throws(
    () => r.randint(3, 2),
    err(RangeError, "PyRandom.randint: b must be an integer >= 3, got 2"),
  );
  throws(() => r.choice([]), err(RangeError, "PyRandom.choice: the sequence is empty"));
  throws(
    () => r.getrandbits(-1),
    err(RangeError, "PyRandom.getrandbits: k must be an integer >= 0, got -1"),
  );
  equal(r.getrandbits(0), 0n);
});

const namesPath = `${Deno.env.get("KATAGRAD_DATA") ?? "/work/shared/data"}/names.txt`;
let text: string | null = null;
try {
  text = Deno.readTextFileSync(namesPath);
} catch {
  text = null;
}

Deno.test({
  name: "makemore: seed(42); shuffle(words) gives yuheng, diondre, xavien and 182625/22655/22866" +
    (text === null ? ` (skipped: ${namesPath} is absent)` : ""),
  ignore: text === null,
  fn() {
    const words = text!.split("\n");
    if (words.at(-1) === "") words.pop(); // str.splitlines() drops the final empty line
    equal(words.length, 32033);
    new PyRandom(42).shuffle(words);
    deepEqual(words.slice(0, 3), ["yuheng", "diondre", "xavien"]);
    const n1 = Math.trunc(0.8 * words.length);
    const n2 = Math.trunc(0.9 * words.length);
    // block_size = 3: every word gives len(word) + 1 (context, target) examples
    const examples = (ws: string[]) => ws.reduce((s, w) => s + w.length + 1, 0);
    deepEqual(
      [examples(words.slice(0, n1)), examples(words.slice(n1, n2)), examples(words.slice(n2))],
      [182625, 22655, 22866],
    );
  },
});
