import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { stridedLaunch } from "../../kernels/strided.ts";
import { webgpuInfo } from "./device.ts";
import { WebGPUDeviceLostError, WGSLCompileError } from "./errors.ts";
import { WebGPUExecutor } from "./executor.ts";
import { assertClose, gpuTest, readFloats } from "./test_util.ts";

const DEVICE_TS = new URL("./device.ts", import.meta.url).href;

/** Runs `code` in a fresh Deno with device.ts imported as `device`; returns its stdout. */
async function runIsolated(code: string): Promise<string> {
  const script = `const device = await import(${JSON.stringify(DEVICE_TS)});\n${code}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
}

Deno.test("getWebGPU() throws WebGPUUnavailableError naming the CPU when navigator.gpu is absent", async () => {
  const out = await runIsolated(`
    Object.defineProperty(navigator, "gpu", { value: undefined });
    console.log("imported");
    try { await device.getWebGPU(); } catch (e) {
      console.log(e.constructor.name, e instanceof device.WebGPUUnavailableError, e.message);
    }`);
  ok(out.includes("imported"), out); // nothing throws at import
  ok(
    out.includes(
      'WebGPUUnavailableError true Cannot open WebGPU: navigator.gpu is undefined. Run on the CPU instead (device: "cpu"',
    ),
    out,
  );
});

Deno.test("getWebGPU() throws WebGPUUnavailableError when requestAdapter() gives null", async () => {
  const out = await runIsolated(`
    const fake = { requestAdapter: async () => null };
    Object.defineProperty(navigator, "gpu", { value: fake });
    const why = await device.webgpuUnavailableReason();
    try { await device.webgpuInfo(); } catch (e) { console.log(e.name, "|", e.message, "|", why); }`);
  ok(
    out.includes(
      "WebGPUUnavailableError | Cannot open WebGPU: navigator.gpu.requestAdapter() gave null.",
    ),
    out,
  );
  ok(out.includes("| navigator.gpu.requestAdapter() gave null"), out);
});

gpuTest(
  "webgpuInfo() reports the adapter, fallback flag, limits and optional features",
  async () => {
    const info = await webgpuInfo();
    ok(info.description.length > 0);
    equal(typeof info.isFallbackAdapter, "boolean");
    ok(info.limits.maxStorageBufferBindingSize >= 1 << 27);
    ok(info.limits.maxComputeWorkgroupStorageSize >= 16384);
    ok(info.limits.maxStorageBuffersPerShaderStage >= 8);
    ok(info.features.every((f) => ["timestamp-query", "shader-f16", "subgroups"].includes(f)));
  },
);

gpuTest(
  "device.lost: after destroy() a dispatch throws WebGPUDeviceLostError naming the reason",
  async () => {
    const exec = await WebGPUExecutor.create({ fresh: true });
    const view = { shape: [3], strides: [1], offset: 0 };
    const x = exec.upload(new Float32Array([1, -2, 3]));
    const y = exec.alloc(12);
    exec.dispatch(stridedLaunch("neg", view.shape, [view], view), [x, y]);
    assertClose(await readFloats(exec, y, 3), [-1, 2, -3], 0, 0);
    exec.ctx.device.destroy();
    await exec.ctx.device.lost;
    ok(exec.ctx.isLost);
    const error = (() => {
      try {
        exec.dispatch(stridedLaunch("neg", view.shape, [view], view), [x, y]);
      } catch (e) {
        return e;
      }
    })();
    ok(error instanceof WebGPUDeviceLostError);
    equal(error.reason, "destroyed");
    ok(
      error.message.startsWith("Cannot dispatch tensor_neg: the WebGPU device was lost (destroyed"),
    );
    await rejects(exec.read(y, 12), WebGPUDeviceLostError);
    throws(() => exec.alloc(16), WebGPUDeviceLostError);
  },
);

gpuTest(
  "device.lost of the Tensor device: default back to cpu, isWebGPUOpen() false, errors say how " +
    "to go on, initWebGPU() opens a new device",
  async () => {
    const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
    const out = await runIsolated(`
      const { initWebGPU, isWebGPUOpen, setDefaultDevice } = await import(${url("./init.ts")});
      const { getDefaultDevice } = await import(${url("../device.ts")});
      const { tensor, zeros } = await import(${url("../ops/creation.ts")});
      const r = {};
      const err = async (f) => { try { await f(); return null; } catch (e) { return [e.name, e.message]; } };
      await setDefaultDevice("webgpu");
      const t = tensor([1, 2, 3]);
      r.before = [getDefaultDevice(), isWebGPUOpen(), t.device, [...await t.mul(2).data()]];
      const ctx = await device.getWebGPU();
      ctx.device.destroy();
      await ctx.device.lost;
      r.after = [getDefaultDevice(), isWebGPUOpen(), tensor([1]).device];
      r.op = await err(() => t.mul(2));
      r.read = await err(() => t.data());
      r.create = await err(() => zeros([2], { device: "webgpu" }));
      await initWebGPU();
      r.reopened = [isWebGPUOpen(), getDefaultDevice(), [...await tensor([4], { device: "webgpu" }).add(1).data()]];
      r.stale = await err(() => t.add(1));
      console.log("RESULT " + JSON.stringify(r));`);
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    ok(line, out);
    const r = JSON.parse(line.slice(7));
    deepEqual(r.before, ["webgpu", true, "webgpu", [2, 4, 6]]);
    deepEqual(r.after, ["cpu", false, "cpu"]);
    for (const what of ["op", "read", "create", "stale"]) {
      const [name, message] = r[what];
      equal(name, "WebGPUDeviceLostError", what);
      ok(/^Cannot [^:]+: the WebGPU device was lost \(destroyed: /.test(message), message);
      ok(message.includes('`await setDefaultDevice("cpu")`'), message);
      ok(message.includes("`await initWebGPU()` to open a new WebGPU device"), message);
    }
    deepEqual(r.reopened, [true, "cpu", [5]]);
  },
);

const BROKEN = `@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1)
fn main() {
  let y = undefined_name * 2.0;
  out[0] = y;
}
`;

gpuTest("a broken WGSL kernel throws WGSLCompileError with the failing line", async (exec) => {
  await rejects(exec.compile("broken", BROKEN), (e: unknown) => {
    ok(e instanceof WGSLCompileError);
    equal(e.line, 4);
    equal(e.lineText, "  let y = undefined_name * 2.0;");
    ok(
      e.message.startsWith(
        "Cannot compile WGSL kernel broken: line 4: `let y = undefined_name * 2.0;`: ",
      ),
    );
    ok(e.message.includes("undefined_name"), e.message);
    return true;
  });
});

gpuTest(
  "a broken kernel dispatched without compile() fails the next read with WGSLCompileError",
  async () => {
    const exec = await WebGPUExecutor.create({ fresh: true });
    const out = exec.alloc(4);
    exec.dispatch({
      name: "broken2",
      source: BROKEN + "// 2\n",
      workgroups: [1, 1, 1],
      uniforms: null,
    }, [
      out,
    ]);
    await rejects(exec.read(out, 4), (e: unknown) => e instanceof WGSLCompileError && e.line === 4);
    exec.ctx.device.destroy();
  },
);

gpuTest(
  "buffer pool: 1,000 alloc/dispatch/release cycles hold live bytes and buffer count flat",
  async (exec) => {
    const before = exec.stats;
    const view = { shape: [300], strides: [1], offset: 0 };
    const x = exec.upload(new Float32Array(300).fill(2));
    for (let i = 0; i < 1000; i++) {
      const size = 300 + (i % 7) * 10; // several buckets
      const y = exec.alloc(size * 4);
      exec.dispatch(stridedLaunch("mul", view.shape, [view, view], view), [x, x, y]);
      exec.release(y);
    }
    const y = exec.alloc(1200);
    exec.dispatch(stridedLaunch("mul", view.shape, [view, view], view), [x, x, y]);
    assertClose((await readFloats(exec, y, 300)).subarray(0, 3), [4, 4, 4], 0, 0);
    exec.release(y);
    exec.release(x);
    const after = exec.stats;
    equal(after.liveBuffers, before.liveBuffers);
    equal(after.liveBytes, before.liveBytes);
    ok(
      after.createdBuffers - before.createdBuffers <= 4,
      `created ${after.createdBuffers - before.createdBuffers}`,
    );
    ok(after.submits - before.submits >= 1000 / 64, "submits every 64 dispatches");
  },
);

gpuTest("buffer pool: releasing a buffer twice throws RangeError", async (exec) => {
  const b = exec.alloc(64);
  exec.release(b);
  throws(() => exec.release(b), {
    name: "RangeError",
    message: "Cannot release GPU buffer of 256 bytes: it is not live in this pool",
  });
  await exec.sync();
});
