import { deepEqual, equal, throws } from "node:assert/strict";
import { MT19937 } from "./mt19937.ts";

Deno.test("MT19937(5489): first outputs and the 10000th (4123659995) are the reference ones", () => {
  const mt = new MT19937(5489);
  deepEqual([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()], [
    3499211612,
    581869302,
    3890346734,
  ]);
  for (let i = 3; i < 9999; i++) mt.nextUint32();
  equal(mt.nextUint32(), 4123659995);
});

Deno.test("MT19937.seedByArray([0x123, 0x234, 0x345, 0x456]) gives the reference mt19937ar outputs", () => {
  // the published test vector of Matsumoto & Nishimura's mt19937ar.c
  const mt = new MT19937();
  mt.seedByArray([0x123, 0x234, 0x345, 0x456]);
  deepEqual(
    [mt.nextUint32(), mt.nextUint32(), mt.nextUint32(), mt.nextUint32(), mt.nextUint32()],
    [1067595299, 955945823, 477289528, 4107218783, 4228976476],
  );
});

Deno.test("MT19937.fill() continues the same stream as nextUint32() across 624-word blocks", () => {
  const a = new MT19937(2147483647);
  const b = new MT19937(2147483647);
  const head = [a.nextUint32(), a.nextUint32(), a.nextUint32()];
  const bulk = a.fill(new Uint32Array(1500));
  const tail = a.nextUint32();
  const seq = Array.from({ length: 1504 }, () => b.nextUint32());
  deepEqual([...head, ...bulk, tail], seq);
});

Deno.test("MT19937 getState()/setState() round-trip; a bad state is refused", () => {
  const mt = new MT19937(1);
  mt.fill(new Uint32Array(700));
  const s = mt.getState();
  const x = mt.fill(new Uint32Array(1000));
  mt.setState(s);
  deepEqual(mt.fill(new Uint32Array(1000)), x);
  throws(
    () => mt.setState({ words: new Uint32Array(624), index: 625 }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "Cannot restore MT19937 state: expected 624 words and an index in 0..624, got 624 words and index 625",
  );
});

Deno.test("MT19937 seeds with the low 32 bits only", () => {
  const a = new MT19937(2 ** 32 + 7);
  const b = new MT19937(7);
  deepEqual(a.fill(new Uint32Array(10)), b.fill(new Uint32Array(10)));
});
