import { deepEqual, equal, throws } from "node:assert/strict";
import { CharVocab } from "./vocab.ts";
import { loadDataset } from "./datasets.ts";

const needsData = { ignore: !Deno.env.get("KATAGRAD_DATA") };

Deno.test("CharVocab with boundary '.' gives makemore's stoi and itos", needsData, async () => {
  const text = await loadDataset("names", { download: false });
  const vocab = CharVocab.fromText(text, { boundary: "." });
  equal(vocab.size, 27);
  equal(vocab.stoi["."], 0);
  equal(vocab.stoi["a"], 1);
  equal(vocab.stoi["z"], 26);
  equal(vocab.itos.join(""), ".abcdefghijklmnopqrstuvwxyz");
  equal(vocab.stoi["\n"], undefined);
});

Deno.test("CharVocab of tiny shakespeare has the lecture's 65 characters", needsData, async () => {
  const text = await loadDataset("tinyshakespeare", { download: false });
  const vocab = CharVocab.fromText(text);
  equal(vocab.size, 65);
  equal(
    vocab.itos.join(""),
    "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  );
  const data = vocab.encode(text);
  equal(data.length, 1_115_394);
  deepEqual([...data.subarray(0, 10)], [18, 47, 56, 57, 58, 1, 15, 47, 58, 47]); // "First Citi"
  equal(data.reduce((a, b) => a + b, 0), 40_836_134); // sum from Python
  equal(vocab.decode(data.subarray(0, 13)), "First Citizen");
});

Deno.test("CharVocab sorts by code point and encodes code points, not UTF-16 units", () => {
  const text = "b😀aé—a😀";
  const vocab = CharVocab.fromText(text);
  // Python: sorted(set("b😀aé—a😀")) == ['a', 'b', 'é', '—', '😀']
  deepEqual(vocab.itos, ["a", "b", "é", "—", "😀"]);
  const ids = vocab.encode(text);
  deepEqual([...ids], [1, 4, 0, 2, 3, 0, 4]);
  equal(vocab.decode(ids), text);
});

Deno.test(
  "CharVocab taylorswift round trip (UTF-8 with multibyte characters)",
  needsData,
  async () => {
    const text = await loadDataset("taylorswift", { download: false });
    const vocab = CharVocab.fromText(text);
    equal(vocab.size, 95); // len(set(text)) in Python
    equal(vocab.itos.at(-1), "™");
    const ids = vocab.encode(text);
    equal(ids.length, 185_561);
    equal(vocab.decode(ids), text);
  },
);

Deno.test("CharVocab errors name the character, the id and the position", () => {
  const vocab = CharVocab.fromText("abc", { boundary: "." });
  throws(() => vocab.encode("ab.x"), {
    name: "TypeError",
    message: 'Cannot encode "x" (U+0078) at character 3: not in the vocabulary of 4 symbols',
  });
  throws(() => vocab.decode([1, 4]), {
    name: "RangeError",
    message: "Cannot decode id 4 at position 1: the vocabulary has ids 0..3",
  });
  throws(() => vocab.decode([0.5]), { name: "RangeError" });
  throws(() => CharVocab.fromText("ab", { boundary: ".." }), {
    name: "TypeError",
    message: 'Cannot build a CharVocab: boundary is "..", expected one character',
  });
  throws(() => new CharVocab(["a", "b", "a"]), {
    name: "TypeError",
    message: 'Cannot build a CharVocab: symbol "a" appears at 0 and 2',
  });
});
