/**
 * A tiny assembler for WebAssembly written as flat text: enough of the `.wat`
 * syntax (i32 arithmetic, loops, f32 constants, f32 and v128 memory access,
 * f32x4 arithmetic, comparisons and bit selection) to write the CPU backend's SIMD kernels readably in TypeScript
 * files and turn them into module bytes at load time.
 *
 * @module
 */

const I32 = 0x7f, V128 = 0x7b;

/** Unsigned LEB128, the integer encoding of the WebAssembly binary format. */
function uleb(x: number): number[] {
  const out: number[] = [];
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
  return out;
}

/** Signed LEB128 (for `i32.const`). */
function sleb(x: number): number[] {
  const out: number[] = [];
  while (true) {
    const byte = x & 0x7f;
    x >>= 7;
    const done = (x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A vector: its length, then its items. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, items: number[][]): number[] {
  const body = vec(items);
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** Opcodes of the instructions the assembler knows (SIMD ones follow the 0xfd prefix). */
const OPCODES: Record<string, number[]> = {
  "local.get": [0x20],
  "local.set": [0x21],
  "local.tee": [0x22],
  "i32.const": [0x41],
  "i32.add": [0x6a],
  "i32.sub": [0x6b],
  "i32.mul": [0x6c],
  "i32.lt_s": [0x48],
  "i32.gt_s": [0x4a],
  "i32.and": [0x71],
  "select": [0x1b],
  "f32.load": [0x2a],
  "f32.store": [0x38],
  "i32.le_s": [0x4c],
  "loop": [0x03, 0x40], // with an empty block type
  "end": [0x0b],
  "br_if": [0x0d],
  "v128.load": [0xfd, 0x00],
  "v128.load32_splat": [0xfd, 0x09],
  "v128.store": [0xfd, 0x0b],
  "v128.const": [0xfd, 0x0c],
  "f32x4.add": [0xfd, 0xe4, 0x01],
  "f32x4.mul": [0xfd, 0xe6, 0x01],
  "f32x4.relaxed_madd": [0xfd, 0x85, 0x02], // a * b + c, fused where the CPU has FMA
  "f32.const": [0x43],
  "i32x4.splat": [0xfd, 0x11],
  "f32x4.splat": [0xfd, 0x13],
  "f32x4.gt": [0xfd, 0x44],
  "v128.and": [0xfd, 0x4e],
  "v128.or": [0xfd, 0x50],
  "v128.bitselect": [0xfd, 0x52],
  "f32x4.abs": [0xfd, 0xe0, 0x01],
  "f32x4.sub": [0xfd, 0xe5, 0x01],
  "f32x4.div": [0xfd, 0xe7, 0x01],
  "f32x4.min": [0xfd, 0xe8, 0x01],
  "f32x4.neg": [0xfd, 0xe1, 0x01],
  "f32x4.max": [0xfd, 0xe9, 0x01],
  "f32x4.pmin": [0xfd, 0xea, 0x01],
  "f32x4.lt": [0xfd, 0x43],
  "f32x4.nearest": [0xfd, 0x6a],
  "i32x4.trunc_sat_f32x4_s": [0xfd, 0xf8, 0x01],
  "i32x4.shl": [0xfd, 0xab, 0x01],
  "i32x4.shr_s": [0xfd, 0xac, 0x01],
  "i32x4.sub": [0xfd, 0xb1, 0x01],
  "v128.andnot": [0xfd, 0x4f],
  "i8x16.shuffle": [0xfd, 0x0d],
  "f64x2.min": [0xfd, 0xf4, 0x01],
  "f64x2.max": [0xfd, 0xf5, 0x01],
  "f64x2.nearest": [0xfd, 0x94, 0x01],
  "f64x2.relaxed_madd": [0xfd, 0x87, 0x02], // a * b + c, fused where the CPU has FMA
  "i32x4.add": [0xfd, 0xae, 0x01],
  "i32x4.trunc_sat_f64x2_s_zero": [0xfd, 0xfc, 0x01],
  "i64x2.extend_low_i32x4_s": [0xfd, 0xc7, 0x01],
  "i64x2.shl": [0xfd, 0xcb, 0x01],
  "f64.const": [0x44],
  "f64x2.splat": [0xfd, 0x14],
  "f64x2.gt": [0xfd, 0x4a],
  "f64x2.abs": [0xfd, 0xec, 0x01],
  "f64x2.sqrt": [0xfd, 0xef, 0x01],
  "f64x2.add": [0xfd, 0xf0, 0x01],
  "f64x2.sub": [0xfd, 0xf1, 0x01],
  "f64x2.mul": [0xfd, 0xf2, 0x01],
  "f64x2.div": [0xfd, 0xf3, 0x01],
  "f32x4.demote_f64x2_zero": [0xfd, 0x5e],
  "f64x2.promote_low_f32x4": [0xfd, 0x5f],
  "v128.load64_zero": [0xfd, 0x5d],
  "v128.load64_splat": [0xfd, 0x0a],
  "v128.store64_lane": [0xfd, 0x5b],
};

/**
 * Assembles a function body written in flat WebAssembly text (the `.wat`
 * syntax without folded expressions): instructions and their immediates
 * separated by spaces, locals named `$name`, `;;` comments, and only the
 * zero `v128.const i32x4 0 0 0 0`.
 */
function assemble(source: string, locals: string[]): number[] {
  const tokens = source.replace(/;;.*$/gm, "").split(/\s+/).filter((t) => t !== "");
  const out: number[] = [];
  for (let t = 0; t < tokens.length;) {
    const op = tokens[t++];
    const code = OPCODES[op];
    if (code === undefined) throw new RangeError(`Cannot assemble: unknown instruction ${op}`);
    out.push(...code);
    if (op.startsWith("local.")) {
      const index = locals.indexOf(tokens[t++].slice(1));
      if (index < 0) throw new RangeError(`Cannot assemble: unknown local ${tokens[t - 1]}`);
      out.push(...uleb(index));
    } else if (op === "i32.const") out.push(...sleb(Number(tokens[t++])));
    else if (op === "f32.const") {
      out.push(...new Uint8Array(new Float32Array([Number(tokens[t++])]).buffer));
    } else if (op === "f64.const") {
      out.push(...new Uint8Array(new Float64Array([Number(tokens[t++])]).buffer));
    } else if (op === "i8x16.shuffle") {
      for (let lane = 0; lane < 16; lane++) out.push(Number(tokens[t++]));
    } else if (op === "br_if") out.push(...uleb(Number(tokens[t++])));
    else if (op.includes(".load") || op.includes(".store")) {
      const offset = tokens[t]?.startsWith("offset=") ? Number(tokens[t++].slice(7)) : 0;
      out.push(0, ...uleb(offset)); // alignment hint 0, then the offset
      if (op.endsWith("_lane")) out.push(Number(tokens[t++])); // the lane index
    } else if (op === "v128.const") {
      t += 5; // i32x4 0 0 0 0
      out.push(...new Array(16).fill(0));
    }
  }
  return out;
}

/** A function body: its local declarations (after the params) and its code, size first. */
function functionBody(source: string, params: string[], i32s: string[], v128s: string[]): number[] {
  const code = assemble(source, [...params, ...i32s, ...v128s]);
  const locals = vec([[...uleb(i32s.length), I32], [...uleb(v128s.length), V128]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

/** One exported function of a module built by {@link wasmModule}. */
export interface WasmFunction {
  /** Its export name. */
  name: string;
  /** Names of its i32 parameters, in order. */
  params: string[];
  /** Names of its i32 locals. */
  i32Locals?: string[];
  /** Names of its v128 locals. */
  v128Locals?: string[];
  /** Its body in flat WebAssembly text, locals as `$name`, ending with `end`. */
  source: string;
}

/**
 * Assembles a module of functions that take i32 parameters and return
 * nothing, plus one exported memory `mem` (1 page of 64 KiB to start, no
 * maximum). The text is flat WebAssembly (no folded expressions):
 * instructions and immediates separated by spaces, `;;` comments, memory
 * offsets as `offset=16`, and `v128.const i32x4 0 0 0 0` as the only
 * constant vector.
 *
 * @param functions the functions, exported under their names in this order
 * @returns the module's bytes
 * @throws {RangeError} `Cannot assemble: unknown instruction i64.add` for an
 * instruction it does not know, `Cannot assemble: unknown local $x` for an
 * undeclared name
 * @example Copy the float at byte address src to dst
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { wasmModule } from "./wasm_text.ts";
 * const bytes = wasmModule([{
 *   name: "copy",
 *   params: ["dst", "src"],
 *   source: "local.get $dst  local.get $src  f32.load  f32.store  end",
 * }]);
 * const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
 * const heap = new Float32Array((exports.mem as WebAssembly.Memory).buffer);
 * heap[3] = 2.5;
 * (exports.copy as (dst: number, src: number) => void)(0, 12);
 * equal(heap[0], 2.5);
 * throws(() => wasmModule([{ name: "f", params: [], source: "i64.add end" }]), {
 *   name: "RangeError",
 *   message: "Cannot assemble: unknown instruction i64.add",
 * });
 * throws(() => wasmModule([{ name: "f", params: [], source: "local.get $x end" }]), {
 *   name: "RangeError",
 *   message: "Cannot assemble: unknown local $x",
 * });
 * ```
 */
export function wasmModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const signature = (params: string[]) => [0x60, ...vec(params.map(() => [I32])), 0x00];
  return new Uint8Array([
    ...HEADER,
    ...section(1, functions.map((f) => signature(f.params))), // types: (i32 ...) -> ()
    ...section(3, functions.map((_, i) => uleb(i))), // function i has type i
    ...section(5, [[0x00, 0x01]]), // memory 0: 1 page (64 KiB) to start, no maximum
    ...section(7, [
      ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
      [...name("mem"), 0x02, 0x00],
    ]),
    ...section(
      10,
      functions.map((f) => functionBody(f.source, f.params, f.i32Locals ?? [], f.v128Locals ?? [])),
    ),
  ]);
}
