import { deepEqual } from "node:assert/strict";
import { Generator } from "./generator.ts";

const fixture: { bigram_names: string[] | null } = JSON.parse(
  Deno.readTextFileSync(new URL("../../testdata/random/torch_random.json", import.meta.url)),
);

const dataDir = Deno.env.get("KATAGRAD_DATA") ?? "/work/shared/data";
const namesPath = `${dataDir}/names.txt`;
let names: string[] | null = null;
try {
  names = Deno.readTextFileSync(namesPath).split("\n").filter((w) => w.length > 0);
} catch {
  names = null;
}

Deno.test({
  name: "bigram lecture: +1-smoothed counts sampled with Generator(2147483647) give its names" +
    (names === null ? ` (skipped: ${namesPath} is absent)` : ""),
  ignore: names === null,
  fn() {
    const words = names!;
    const chars = [...new Set(words.join(""))].sort();
    const stoi = new Map(chars.map((c, i) => [c, i + 1]));
    stoi.set(".", 0);
    const itos = [".", ...chars];
    const N = new Int32Array(27 * 27);
    for (const w of words) {
      const chs = [".", ...w, "."];
      for (let i = 0; i + 1 < chs.length; i++) N[stoi.get(chs[i])! * 27 + stoi.get(chs[i + 1])!]++;
    }
    // P = (N+1).float(); P /= P.sum(1, keepdims=True): integer row sums are exact in float32
    const P = new Float32Array(27 * 27);
    for (let r = 0; r < 27; r++) {
      let sum = 0;
      for (let c = 0; c < 27; c++) sum += N[r * 27 + c] + 1;
      for (let c = 0; c < 27; c++) P[r * 27 + c] = (N[r * 27 + c] + 1) / sum;
    }
    const g = new Generator(2147483647);
    const out: string[] = [];
    for (let i = 0; i < 20; i++) {
      let name = "";
      let ix = 0;
      do {
        ix = g.multinomial(P.subarray(ix * 27, ix * 27 + 27), 1, 27, 1, true)[0];
        name += itos[ix];
      } while (ix !== 0);
      out.push(name);
    }
    deepEqual(out.slice(0, 5), ["mor.", "axx.", "minaymoryles.", "kondlaisah.", "anchshizarie."]);
    if (fixture.bigram_names) deepEqual(out, fixture.bigram_names);
  },
});
