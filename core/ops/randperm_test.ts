import { deepEqual, equal, throws } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { manualSeed } from "../random/default_generator.ts";
import { randperm } from "./creation.ts";

Deno.test("randperm is the Generator's permutation (torch.randperm's), as an int32 tensor", () => {
  const p = randperm(20, { generator: new Generator(42) });
  equal(p.dtype, "int32");
  deepEqual(p.shape, [20]);
  deepEqual([...p.dataSync()], [...new Generator(42).randperm(20)]);
  deepEqual([...p.dataSync()].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  deepEqual(randperm(0).shape, [0]);
  const f = randperm(5, { generator: new Generator(1), dtype: "float32" });
  equal(f.dtype, "float32");
  deepEqual([...f.dataSync()], [...new Generator(1).randperm(5)]);
  manualSeed(7);
  const a = randperm(6).dataSync();
  manualSeed(7);
  deepEqual(randperm(6).dataSync(), a);
});

Deno.test("randperm checks its arguments", () => {
  throws(() => randperm(-1), {
    name: "RangeError",
    message: /randperm: n must be an integer in \[0, /,
  });
  throws(() => randperm(2.5), { name: "RangeError", message: /randperm: n must be an integer/ });
  throws(() => randperm("5" as never), {
    name: "TypeError",
    message: /randperm: n must be an integer/,
  });
  throws(() => randperm(3, { generater: new Generator(1) } as never), {
    name: "TypeError",
    message: "randperm: unknown option generater; did you mean generator?",
  });
  throws(() => randperm(3, { dtype: "bool" } as never), {
    name: "DTypeError",
    message: 'randperm: dtype must be "int32" or "float32", got "bool"',
  });
  throws(() => randperm(3, { generator: 42 } as never), {
    name: "TypeError",
    message: "randperm: generator must be a Generator, got 42",
  });
});
