import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  MAX_HEADER_BYTES,
  SafetensorsError,
  saveSafetensors,
} from "./safetensors.ts";

/** A file from a header string (padded by nothing) and a data section. */
function craft(header: string, data: Uint8Array = new Uint8Array(0), len?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, len ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function refuses(bytes: Uint8Array, why: string | RegExp) {
  throws(() => decodeSafetensors(bytes), (e: unknown) => {
    ok(e instanceof SafetensorsError, `not a SafetensorsError: ${e}`);
    ok(e instanceof TypeError);
    equal(e.name, "SafetensorsError");
    if (typeof why === "string") equal(e.message, `Cannot read safetensors: ${why}`);
    else ok(why.test(e.message), e.message);
    return true;
  });
}

function sample() {
  return {
    "b.weight": {
      dtype: "F32" as const,
      shape: [3, 5],
      data: Float32Array.from({ length: 15 }, (_, i) => i / 7 - 1),
    },
    "a.half": { dtype: "F16" as const, shape: [3], data: Uint16Array.of(0x3c00, 0x7c00, 0x0001) },
    "ix": {
      dtype: "I32" as const,
      shape: [2, 1, 3],
      data: Int32Array.of(-5, 0, 7, 2 ** 31 - 1, -(2 ** 31), 1),
    },
    "s": { dtype: "F32" as const, shape: [], data: Float32Array.of(Math.PI) },
    "z": { dtype: "F32" as const, shape: [4, 0], data: new Float32Array(0) },
  };
}

Deno.test("encode/decode round trip: F32, F16, I32, scalar, empty, metadata", () => {
  const tensors = sample();
  const bytes = encodeSafetensors(tensors, { format: "pt", "note": "ünï ✓" });
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  equal(headerLen % 8, 0);
  equal(bytes.length, 8 + headerLen + 60 + 6 + 24 + 4);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLen));
  ok(header.endsWith("}") || header.endsWith(" "));
  // Python's order: F32 (by name), I32, F16; offsets contiguous
  deepEqual(Object.keys(JSON.parse(header)), [
    "__metadata__",
    "b.weight",
    "s",
    "z",
    "ix",
    "a.half",
  ]);
  const out = decodeSafetensors(bytes);
  deepEqual(out.metadata, { format: "pt", note: "ünï ✓" });
  for (const [name, t] of Object.entries(tensors)) {
    const got = out.tensors[name];
    equal(got.dtype, t.dtype, name);
    deepEqual(got.shape, t.shape, name);
    equal(got.data.constructor, t.data.constructor, name);
    deepEqual([...got.data], [...t.data], name);
  }
});

Deno.test("F16 can be saved from float32 values and is read back as bits", () => {
  const bytes = encodeSafetensors({
    h: { dtype: "F16", shape: [2, 2], data: Float32Array.of(1 + 2 ** -11, 0.1, -70000, 2 ** -24) },
  });
  const { tensors } = decodeSafetensors(bytes);
  equal(tensors.h.dtype, "F16");
  deepEqual([...tensors.h.data], [0x3c00, 0x2e66, 0xfc00, 0x0001]);
});

Deno.test("names like __proto__ survive a round trip as own properties", () => {
  const t = { dtype: "I32" as const, shape: [1], data: Int32Array.of(9) };
  const out = decodeSafetensors(encodeSafetensors({ ["__proto__"]: t, constructor: t } as never, {
    ["__proto__"]: "p",
  } as Record<string, string>));
  deepEqual(Object.keys(out.tensors).sort(), ["__proto__", "constructor"]);
  deepEqual([...out.tensors["__proto__"].data], [9]);
  equal(Object.getOwnPropertyDescriptor(out.metadata, "__proto__")?.value, "p");
});

Deno.test("tensors at unaligned offsets (another writer's order) decode correctly", () => {
  // F16 [3] at 0..6, then F32 [2] at 6..14: the F32 data is not 4-byte aligned in the file
  const data = new Uint8Array(14);
  const dv = new DataView(data.buffer);
  [0x3c00, 0x4000, 0xc200].forEach((h, i) => dv.setUint16(2 * i, h, true));
  dv.setFloat32(6, 1.5, true);
  dv.setFloat32(10, -2.75, true);
  const file = craft(
    `{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},` +
      `"f":{"dtype":"F32","shape":[2],"data_offsets":[6,14]}}`,
    data,
  );
  const { tensors } = decodeSafetensors(file);
  deepEqual([...tensors.f.data], [1.5, -2.75]);
  deepEqual([...tensors.h.data], [0x3c00, 0x4000, 0xc200]);
});

Deno.test("hostile headers are refused with a SafetensorsError", () => {
  const f32 = (shape: string, offsets: string) =>
    `{"a":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}}`;
  const d12 = new Uint8Array(12);
  refuses(new Uint8Array(5), "the file has 5 bytes, fewer than the 8-byte header length");
  refuses(
    craft("{}", d12, 2n ** 63n),
    `header length ${2n ** 63n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`,
  );
  refuses(craft("{}", d12, 2n ** 64n - 1n), /header length 18446744073709551615 exceeds the limit/);
  refuses(craft("{}", d12, 1000n), "header length 1000 runs past the end of the file (22 bytes)");
  refuses(craft("{abc", d12), /^Cannot read safetensors: the header is not valid UTF-8 JSON \(/);
  refuses(craft('{"a":1', d12), /the header is not valid UTF-8 JSON/);
  const badUtf8 = craft("{}  ");
  badUtf8[9] = 0xff;
  refuses(badUtf8, /the header is not valid UTF-8 JSON \(/);
  refuses(craft("  {}"), 'the header does not start with "{"');
  refuses(craft('{"a":3}'), 'tensor "a" is not an object');
  refuses(
    craft('{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(8)),
    'tensor "a" has dtype "F64"; katagrad reads F32, F16 and I32',
  );
  refuses(
    craft('{"a":{"shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)),
    'tensor "a" has dtype undefined; katagrad reads F32, F16 and I32',
  );
  refuses(
    craft(f32("[-1,3]", "[0,12]"), d12),
    'tensor "a" has shape [-1,3]; expected non-negative integers',
  );
  refuses(
    craft(f32("[1.5]", "[0,12]"), d12),
    'tensor "a" has shape [1.5]; expected non-negative integers',
  );
  refuses(
    craft(f32('"3"', "[0,12]"), d12),
    'tensor "a" has shape "3"; expected non-negative integers',
  );
  refuses(
    craft(f32("[3]", "[0,4,8]"), d12),
    'tensor "a" has data_offsets [0,4,8]; expected [start, end]',
  );
  refuses(
    craft(f32("[3]", "[-4,8]"), d12),
    'tensor "a" has data_offsets [-4,8]; expected [start, end]',
  );
  refuses(
    craft(f32("[3]", "[12,0]"), d12),
    'tensor "a" has data_offsets [12, 0] with end before start',
  );
  refuses(
    craft(f32("[3]", "[0,16]"), d12),
    'tensor "a" has data_offsets [0, 16] outside the 12-byte data section',
  );
  refuses(
    craft(f32("[3]", "[0,1e300]"), d12),
    /data_offsets \[0,1e\+300\]; expected \[start, end\]/,
  );
  refuses(
    craft(f32("[2,2]", "[0,12]"), d12),
    'tensor "a" is F32 with shape [2, 2] but has 12 bytes',
  );
  refuses(
    craft(f32("[100000000000,100000000000]", "[0,12]"), d12),
    'tensor "a" is F32 with shape [100000000000, 100000000000] but has 12 bytes',
  );
  refuses(craft('{"__metadata__":[1]}'), "__metadata__ is not an object");
  refuses(craft('{"__metadata__":{"k":1}}'), '__metadata__ "k" is not a string');
  refuses(
    craft(
      `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`,
      d12,
    ),
    'tensors "a" and "b" overlap',
  );
  refuses(
    craft(
      `{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
      d12,
    ),
    'a gap of 4 bytes before tensor "b"',
  );
  refuses(craft(f32("[2]", "[0,8]"), d12), "the tensors cover 8 bytes but the data section has 12");
  // an empty header with trailing bytes, and a valid empty file
  refuses(craft("{}", new Uint8Array(3)), "the tensors cover 0 bytes but the data section has 3");
  deepEqual(decodeSafetensors(craft('{"__metadata__":null}')), { tensors: {}, metadata: {} });
});

Deno.test("every truncation of a valid file is refused, never a crash", () => {
  const bytes = encodeSafetensors(sample(), { format: "pt" });
  for (let n = 0; n < bytes.length; n++) {
    throws(() => decodeSafetensors(bytes.subarray(0, n)), SafetensorsError, `prefix of ${n} bytes`);
  }
});

Deno.test("random corruptions decode or raise SafetensorsError, nothing else", () => {
  const bytes = encodeSafetensors(sample(), { format: "pt" });
  let seed = 12345;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  let refused = 0;
  for (let trial = 0; trial < 3000; trial++) {
    const b = bytes.slice();
    for (let k = 1 + rand(3); k > 0; k--) b[rand(trial % 2 ? 8 + 200 : b.length)] = rand(256);
    try {
      decodeSafetensors(b);
    } catch (e) {
      ok(e instanceof SafetensorsError, `trial ${trial}: ${e}`);
      refused++;
    }
  }
  ok(refused > 1000, `${refused} refused`);
});

Deno.test("encodeSafetensors() refuses what it cannot write", () => {
  const cases: [unknown, string][] = [
    [
      { dtype: "F64", shape: [1], data: new Float32Array(1) },
      'dtype "F64"; katagrad writes F32, F16 and I32',
    ],
    [
      { dtype: "F32", shape: [2, 3], data: new Float32Array(5) },
      "shape [2, 3] has 6 elements but data has 5",
    ],
    [
      { dtype: "F32", shape: [-1], data: new Float32Array(1) },
      "shape [-1] is not non-negative integers",
    ],
    [
      { dtype: "I32", shape: [2], data: new Float32Array(2) },
      "I32 data must be a Int32Array, got Float32Array",
    ],
    [
      { dtype: "F16", shape: [1], data: [1] },
      "F16 data must be a Uint16Array or Float32Array, got Array",
    ],
  ];
  for (const [t, why] of cases) {
    throws(() => encodeSafetensors({ w: t as never }), {
      name: "SafetensorsError",
      message: `Cannot save tensor "w": ${why}`,
    });
  }
  throws(() => encodeSafetensors({ __metadata__: sample().s }), {
    name: "SafetensorsError",
    message: 'Cannot save tensor "__metadata__": the name is reserved',
  });
  throws(() => encodeSafetensors({}, { step: 3 as unknown as string }), {
    name: "SafetensorsError",
    message: 'Cannot save metadata "step": values must be strings, got number',
  });
});

Deno.test("saveSafetensors() replaces a file atomically and loadSafetensors() names the path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_st_" });
  try {
    const path = `${dir}/model.safetensors`;
    await saveSafetensors(path, sample(), { step: "1" });
    const before = await Deno.readFile(path);
    // a failing save leaves the previous checkpoint as it was, and no temporary file
    await rejects(
      saveSafetensors(path, { w: { dtype: "F32", shape: [2], data: new Float32Array(3) } }),
      SafetensorsError,
    );
    deepEqual(await Deno.readFile(path), before);
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["model.safetensors"]);
    equal((await loadSafetensors(path)).metadata.step, "1");
    await Deno.writeFile(path, before.subarray(0, 100));
    await rejects(loadSafetensors(path), {
      name: "SafetensorsError",
      message: new RegExp(`^Cannot read ${path}: `),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("many entries pointing at the same bytes are refused before any copy", () => {
  // 5,000 entries each claiming the whole 256 KiB data section: copying first would need 1.3 GB
  const data = new Uint8Array(1 << 18);
  const entry = `{"dtype":"F32","shape":[${1 << 16}],"data_offsets":[0,${1 << 18}]}`;
  const header = "{" + Array.from({ length: 5000 }, (_, i) => `"t${i}":${entry}`).join(",") + "}";
  refuses(craft(header, data), 'tensors "t0" and "t1" overlap');
});
