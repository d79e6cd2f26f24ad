/**
 * Kata 13's harness (you never edit it): it compiles your WGSL on the WebGPU device, reports a
 * compile error with its line and the WGSL compiler's message, binds the buffers a step
 * describes, dispatches your kernel, reads the whole output buffer back — including a stretch
 * after the output that no invocation may touch — and compares it with the CPU spec, naming
 * the first wrong index, what was expected there and what your kernel wrote.
 *
 * Buffers are bound as the kernels declare them: the uniform `params` at binding 0, the inputs
 * (`var<storage, read>`) at 1, 2, …, the output (`var<storage, read_write>`) last. Every input
 * is followed by {@linkcode PAD} NaNs and the output is filled with {@linkcode FILL} (its
 * padding too) before the dispatch, so a read past an input or a write past the output shows.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { getWebGPU, webgpuUnavailableReason } from "../../core/webgpu/device.ts";
import { bindingsWGSL, checkWorkgroupSize, sourceContext } from "./_wgsl_checks.ts";

/** Floats after each input (NaN) and after the output ({@linkcode FILL}). */
export const PAD = 4096;
/** What the output holds before the kernel runs: an element still equal to it was not written. */
export const FILL = -7777;

const requireWebGPU = Deno.env.get("KATAGRAD_REQUIRE_WEBGPU") === "1";
/** Why kata 13's tests are ignored here (no WebGPU adapter), or null when they run. */
export const skipReason: string | null = requireWebGPU ? null : await webgpuUnavailableReason();
if (skipReason !== null) {
  console.log(
    `Kata 13 skipped: its tests run your kernels on a WebGPU adapter, and none opened here ` +
      `(${skipReason}). They are reported as ignored, not passed. Without a GPU, Mesa's ` +
      `software driver works: apt-get install mesa-vulkan-drivers, then ` +
      `DENO_WEBGPU_BACKEND=vulkan deno test -A katas/13. KATAGRAD_REQUIRE_WEBGPU=1 turns this ` +
      `skip into a failure.`,
  );
}

/**
 * A kata 13 test, for `Deno.test(…)` in the test file (Deno names the file that calls it):
 * ignored, with the reason printed once, where no adapter opens (failing instead under
 * `KATAGRAD_REQUIRE_WEBGPU=1`).
 *
 * @param name the test name, `"13.S …"`
 * @param fn the test body
 * @returns the test definition
 */
export function kernelTest(name: string, fn: () => Promise<void>): Deno.TestDefinition {
  return {
    name,
    ignore: skipReason !== null,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      await getWebGPU(); // no adapter: fail here, naming why, before your function runs
      await fn();
    },
  };
}

/** One dispatch of a learner's kernel, as a step describes it. */
export interface KernelRun {
  /** The step, for messages: `"13.3 guards"`. */
  step: string;
  /** What this run's sizes are, for messages: `"workgroup size 64, n = 77"`. */
  label: string;
  /** The kernel's WGSL (entry point `main`). */
  wgsl: string;
  /** The `@workgroup_size` the kernel must declare. */
  workgroupSize: readonly number[];
  /** The u32 fields of `struct Params`, in order, with their values. */
  params: readonly (readonly [string, number])[];
  /** The inputs by WGSL name, bound at 1, 2, … in this order. */
  inputs: readonly (readonly [string, Float32Array])[];
  /** The output's WGSL name (`out`) and its length in floats (without padding). */
  output: readonly [string, number];
  /** Workgroups to dispatch along x, y, z. */
  workgroups: readonly [number, number, number];
}

/** A compiled kernel with its buffers bound, ready to dispatch (tests and benches). */
export interface BoundKernel {
  device: GPUDevice;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  /** The output buffer (its padding included). */
  output: GPUBuffer;
  /** Floats in the output buffer. */
  outputFloats: number;
  /** Destroys the buffers. */
  destroy(): void;
}

/**
 * Compiles a run's kernel and binds its buffers: a compile error, a wrong workgroup size or
 * bindings that do not match become a {@linkcode KataAssertionError} saying so.
 *
 * @param run the kernel and its buffers
 * @returns the kernel, ready to dispatch
 * @throws {KataAssertionError} when the kernel does not compile or does not fit the bindings
 */
export async function bindKernel(run: KernelRun): Promise<BoundKernel> {
  const where = `${run.step} (${run.label})`;
  if (typeof run.wgsl !== "string" || run.wgsl.trim() === "") {
    throw new KataAssertionError(`${where}: your function must return the WGSL as a string`);
  }
  checkWorkgroupSize(where, run.wgsl, run.workgroupSize);
  const device = (await getWebGPU()).device;
  const key = `${run.inputs.length}\n${run.wgsl}`;
  let compiled = pipelines.get(key);
  if (compiled === undefined) {
    compiled = await compile(device, run, where);
    pipelines.set(key, compiled); // only kernels that compiled and fit are kept
  }
  const { layout, pipeline } = compiled;
  const usage = GPUBufferUsage;
  const words = new Uint32Array(Math.max(4, Math.ceil(run.params.length / 4) * 4));
  run.params.forEach(([, v], i) => words[i] = v);
  const buffer = (data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, use: number) => {
    const b = device.createBuffer({ size: data.byteLength, usage: use | usage.COPY_DST });
    device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const uniform = buffer(words, usage.UNIFORM);
  const inputs = run.inputs.map(([, data]) => {
    const padded = new Float32Array(data.length + PAD).fill(NaN);
    padded.set(data);
    return buffer(padded, usage.STORAGE);
  });
  const outputFloats = run.output[1] + PAD;
  const output = buffer(
    new Float32Array(outputFloats).fill(FILL),
    usage.STORAGE | usage.COPY_SRC,
  );
  const all = [uniform, ...inputs, output];
  const bindGroup = device.createBindGroup({
    layout,
    entries: all.map((b, binding) => ({ binding, resource: { buffer: b } })),
  });
  const destroy = () => all.forEach((b) => b.destroy());
  return { device, pipeline, bindGroup, output, outputFloats, destroy };
}

/** Compiled kernels by input count and source: the tests run some sources twice. */
const pipelines = new Map<string, { layout: GPUBindGroupLayout; pipeline: GPUComputePipeline }>();

/** Compiles a run's WGSL against the harness's bindings; reports what goes wrong. */
async function compile(
  device: GPUDevice,
  run: KernelRun,
  where: string,
): Promise<{ layout: GPUBindGroupLayout; pipeline: GPUComputePipeline }> {
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ label: run.step, code: run.wgsl });
  const info = await module.getCompilationInfo();
  const moduleError = await device.popErrorScope();
  const error = info.messages.find((m) => m.type === "error");
  if (error || moduleError) {
    const message = (error?.message ?? moduleError?.message ?? "").trim()
      .replace(/^Shader '[^']*' parsing error: /, "");
    throw new KataAssertionError(
      `${where}: your WGSL does not compile:\n${sourceContext(run.wgsl, error?.lineNum ?? 0)}` +
        `\n  the WGSL compiler says: ${message.replace(/\n/g, "\n    ")}`,
    );
  }
  const { COMPUTE } = GPUShaderStage;
  const storage = (type: GPUBufferBindingType, binding: number): GPUBindGroupLayoutEntry => ({
    binding,
    visibility: COMPUTE,
    buffer: { type },
  });
  const layout = device.createBindGroupLayout({
    entries: [
      storage("uniform", 0),
      ...run.inputs.map((_, i) => storage("read-only-storage", i + 1)),
      storage("storage", run.inputs.length + 1),
    ],
  });
  device.pushErrorScope("validation");
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: "main" },
  });
  const pipelineError = await device.popErrorScope();
  if (pipelineError) {
    throw new KataAssertionError(
      `${where}: your kernel compiles but does not fit the harness: ` +
        `${pipelineError.message.trim()}\n  It needs an entry point \`@compute fn main\` and ` +
        `these bindings, declared exactly so (leave out the ones you do not use):\n` +
        bindingsWGSL(run).replace(/^/gm, "    "),
    );
  }
  return { layout, pipeline };
}

/**
 * Encodes `times` dispatches of a bound kernel into one compute pass and submits it.
 *
 * @param k the kernel
 * @param workgroups workgroups along x, y, z
 * @param times dispatches (default 1)
 */
export function dispatch(
  k: BoundKernel,
  workgroups: readonly [number, number, number],
  times = 1,
): void {
  const encoder = k.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(k.pipeline);
  pass.setBindGroup(0, k.bindGroup);
  for (let i = 0; i < times; i++) pass.dispatchWorkgroups(...workgroups);
  pass.end();
  k.device.queue.submit([encoder.finish()]);
}

/**
 * Runs a learner's kernel once and reads its whole output buffer back (padding included).
 *
 * @param run the kernel and its buffers
 * @returns the output buffer: `run.output[1]` floats, then {@linkcode PAD} more
 * @throws {KataAssertionError} when the kernel does not compile or does not fit the bindings
 */
export async function runKernel(run: KernelRun): Promise<Float32Array> {
  const k = await bindKernel(run);
  try {
    const { device } = k;
    device.pushErrorScope("validation");
    dispatch(k, run.workgroups);
    const staging = device.createBuffer({
      size: k.outputFloats * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(k.output, 0, staging, 0, k.outputFloats * 4);
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) {
      throw new KataAssertionError(
        `${run.step} (${run.label}): the dispatch failed: ${error.message}`,
      );
    }
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return out;
  } finally {
    k.destroy();
  }
}

/** A run with what its output must be. */
export interface KernelCase {
  /** The dispatch. */
  run: KernelRun;
  /** The CPU spec's output (`run.output[1]` floats). */
  expected: Float32Array;
  /** Allowed |got − expected| is `atol + rtol·|expected|` (0, 0: exact). */
  atol: number;
  /** Relative tolerance. */
  rtol: number;
  /** Names output index `i` for a message: `"row 2, column 5"`. */
  at?: (i: number) => string;
}

/**
 * Runs a case's kernel and compares its whole output buffer with the spec: the output with
 * `expected`, the padding after it with {@linkcode FILL} (untouched).
 *
 * @param c the case
 * @throws {KataAssertionError} naming the first wrong index, the value expected there and the
 *   value your kernel left, and how many are wrong
 */
export async function assertKernel(c: KernelCase): Promise<void> {
  const got = await runKernel(c.run);
  const n = c.expected.length;
  let first = -1, wrong = 0;
  for (let i = 0; i < got.length; i++) {
    const e = i < n ? c.expected[i] : FILL, g = got[i];
    const ok = Number.isNaN(e) ? Number.isNaN(g) : Math.abs(g - e) <= c.atol + c.rtol * Math.abs(e);
    if (!ok) {
      wrong++;
      if (first < 0) first = i;
    }
  }
  if (first < 0) return;
  const e = first < n ? c.expected[first] : FILL, g = got[first];
  const name = c.run.output[0];
  const where = first >= n
    ? `, ${first - n + 1} past the last of the ${n} outputs, where no invocation may write`
    : c.at
    ? ` (${c.at(first)})`
    : "";
  const expected = first >= n ? `${FILL} (the harness's fill, untouched)` : `${e}`;
  const why = g === FILL
    ? " — never written: no invocation stored a value there"
    : Number.isNaN(g)
    ? " — NaN: a value read past the end of an input (the harness puts NaNs there), or 0/0"
    : "";
  throw new KataAssertionError(
    `${c.run.step} (${c.run.label}): ${name}[${first}]${where}: expected ${expected}, got ` +
      `${g}${why}. ${wrong} of ${got.length} values wrong (${n} outputs + ${PAD} padding; ` +
      `tolerance ${c.atol} + ${c.rtol}·|expected|)`,
  );
}
