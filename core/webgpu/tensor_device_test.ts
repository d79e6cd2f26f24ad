import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { getDefaultDevice } from "../device.ts";
import { isDisposed, tidy } from "../memory.ts";
import { ones, tensor, zeros } from "../ops/creation.ts";
import { randint, randn } from "../ops/random_tensors.ts";
import { F } from "../ops/nn_functional.ts";
import { LayerNorm, Linear, Sequential, Tanh } from "../nn/mod.ts";
import { AdamW } from "../optim/adam.ts";
import { crossEntropy } from "../ops/functional.ts";
import { oneHot } from "../ops/encoding.ts";
import { where } from "../ops/elementwise.ts";
import { multinomial } from "../ops/sampling.ts";
import { Generator } from "../random/generator.ts";
import { makeTinyMlp } from "../testing/tiny_mlp.ts";
import { initWebGPU, preferredDevice, setDefaultDevice, webgpuStats } from "./init.ts";
import { assertClose, gpuTensorTest as gpu, randomFloats } from "./test_util.ts";
import { clipGradNorm, clipGradNormTensor } from "../optim/clip_grad.ts";

gpu("webgpu tensors: creation with {device}, async readback, sync readback refused", async () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]], { device: "webgpu" });
  equal(t.device, "webgpu");
  deepEqual(await t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  deepEqual([...await zeros([2, 3], { device: "webgpu" }).data()], [0, 0, 0, 0, 0, 0]);
  const i = tensor([3, -7, 2], { dtype: "int32", device: "webgpu" });
  deepEqual(await i.data(), new Int32Array([3, -7, 2]));
  deepEqual(await i.lt(0).toArray(), [false, true, false]);
  const r1 = randn([3, 5], { generator: new Generator(7), device: "webgpu" });
  const r2 = randn([3, 5], { generator: new Generator(7) });
  deepEqual(await r1.data(), r2.dataSync());
  throws(() => t.dataSync(), {
    name: "SyncReadError",
    message: /^Cannot read a webgpu tensor synchronously: use `await t\.data\(\)`/,
  });
  throws(() => t.add(ones([3])), {
    name: "DeviceMismatchError",
    message: /^add: expected all tensors on one device, got webgpu and cpu; /,
  });
});

gpu("mixing devices in one op is a DeviceMismatchError naming both devices", () => {
  const g = ones([2, 2], { device: "webgpu" }), c = ones([2, 2]);
  const cases: [string, () => unknown][] = [
    ["add", () => c.add(g)],
    ["matmul", () => c.matmul(g)],
    ["where", () => where(c.gt(0), g, c)],
    [
      "crossEntropy",
      () => crossEntropy(c, tensor([0, 1], { dtype: "int32", device: "webgpu" })),
    ],
    ["copy_", () => c.copy_(g)],
    ["add_", () => c.add_(g)],
    ["index", () => c.index(tensor([0], { dtype: "int32", device: "webgpu" }))],
  ];
  for (const [op, run] of cases) {
    throws(run, {
      name: "DeviceMismatchError",
      message: /on one device, got (cpu and webgpu|webgpu and cpu)/,
    }, op);
  }
});

gpu("ops that need the values on the host refuse webgpu tensors and name the async form", () => {
  const i = tensor([0, 2], { dtype: "int32", device: "webgpu" });
  throws(() => oneHot(i), { name: "SyncReadError", message: /oneHotAsync/ });
  throws(() => multinomial(ones([3], { device: "webgpu" }), 1), {
    name: "SyncReadError",
    message: /multinomialAsync/,
  });
});

gpu("indexPut_ assigns on webgpu as on the CPU (scalar, row and per-index values)", async () => {
  const put = (device: "cpu" | "webgpu") => {
    const x = zeros([4, 3], { device });
    const i = tensor([2, 0], { dtype: "int32", device });
    x.indexPut_([i], 5);
    x.indexPut_([tensor([1], { dtype: "int32", device })], tensor([1, 2, 3], { device }));
    x.indexPut_([
      tensor([3, 3], { dtype: "int32", device }),
      tensor([0, 2], { dtype: "int32", device }),
    ], tensor([7, 8], { device }));
    return x;
  };
  deepEqual(await put("webgpu").toArray(), put("cpu").toArraySync());
});

gpu("indexPut_ with accumulate counts bigrams on webgpu as on the CPU", async () => {
  const ix1 = [0, 1, 0, 2, 0], ix2 = [1, 0, 1, 2, 1];
  const count = (device: "cpu" | "webgpu") => {
    const N = zeros([3, 3], { dtype: "int32", device });
    const a = tensor(ix1, { dtype: "int32", device }), b = tensor(ix2, { dtype: "int32", device });
    return N.indexPut_([a, b], 1, { accumulate: true });
  };
  deepEqual(await count("webgpu").toArray(), count("cpu").toArraySync());
});

gpu("clipGradNormTensor clips on webgpu as clipGradNorm does on the CPU", async () => {
  const run = (device: "cpu" | "webgpu") => {
    const ps = [[2, 3], [5]].map((shape, i) =>
      tensor(randomFloats(shape.reduce((a, b) => a * b, 1), 40 + i, -3, 3), {
        shape,
        device,
        requiresGrad: true,
      })
    );
    ps[0].sum().mul(2).add(ps[1].mul(ps[1]).sum()).backward();
    return ps;
  };
  const cpu = run("cpu"), gpuPs = run("webgpu");
  const norm = clipGradNorm(cpu, 0.5);
  ok(Math.abs(await clipGradNormTensor(gpuPs, 0.5).item() - norm) <= 1e-6 * norm);
  for (let i = 0; i < 2; i++) {
    assertClose(await gpuPs[i].grad!.data(), cpu[i].grad!.dataSync(), 1e-6, 1e-5, `grad ${i}`);
  }
  throws(() => clipGradNorm(gpuPs, 1), {
    name: "SyncReadError",
    message: /use clipGradNormTensor/,
  });
});

gpu("toDevice moves tensors both ways and keeps leaves' requiresGrad", async () => {
  const x = tensor(randomFloats(12, 3), { shape: [3, 4], requiresGrad: true });
  const g = await x.toDevice("webgpu");
  equal(g.device, "webgpu");
  equal(g.requiresGrad, true);
  const back = await g.mul(2).toDevice("cpu");
  equal(back.device, "cpu");
  deepEqual(back.dataSync(), x.mul(2).dataSync());
  equal(await x.toDevice("cpu"), x);
});

gpu(
  "setDefaultDevice switches where tensors go; CPU stays the default on a fallback adapter",
  async () => {
    const info = await initWebGPU();
    equal(getDefaultDevice(), "cpu");
    if (info.isFallbackAdapter) equal(await preferredDevice(), "cpu");
    await setDefaultDevice("webgpu");
    try {
      equal(tensor([1, 2]).device, "webgpu");
      equal(randn([2]).device, "webgpu");
      equal(zeros([2]).device, "webgpu");
    } finally {
      await setDefaultDevice("cpu");
    }
    equal(tensor([1]).device, "cpu");
  },
);

gpu("dispose, using and tidy free GPU buffers at once", async () => {
  tensor([0], { device: "webgpu" }).mul(3).dispose(); // the scalar 3 stays cached (kept)
  const before = webgpuStats().liveBuffers;
  const a = tensor([1, 2, 3], { device: "webgpu" });
  const v = a.reshape([3, 1]); // a view keeps the buffer alive
  equal(webgpuStats().liveBuffers, before + 1);
  a.dispose();
  equal(webgpuStats().liveBuffers, before + 1);
  deepEqual([...await v.data()], [1, 2, 3]);
  v.dispose();
  equal(webgpuStats().liveBuffers, before);
  await rejects(() => v.data(), { name: "TypeError", message: /was disposed/ });
  {
    using _u = zeros([4], { device: "webgpu" });
    equal(webgpuStats().liveBuffers, before + 1);
  }
  equal(webgpuStats().liveBuffers, before);
  const w = tensor([1, 2], { device: "webgpu", requiresGrad: true });
  let inner = w;
  const out = tidy(() => {
    inner = w.mul(3);
    const loss = inner.exp().sum();
    loss.backward();
    return loss;
  });
  ok(isDisposed(inner));
  ok(!isDisposed(out) && !isDisposed(w) && !isDisposed(w.grad!));
  ok(Math.abs(await out.item() - (Math.exp(3) + Math.exp(6))) < 1e-3);
  deepEqual([...await w.grad!.data()].map((x) => Math.round(x)), [60, 1210]);
  out.dispose();
  w.zeroGrad();
  w.dispose();
  equal(webgpuStats().liveBuffers, before);
});

gpu("a 1,000-step training loop keeps live GPU buffers and bytes flat", async () => {
  const sizes = { vocab: 11, embed: 4, block: 3, hidden: 16, batch: 8 };
  const mlp = makeTinyMlp("webgpu", sizes);
  let first = 0, firstStats = webgpuStats(), last = 0;
  for (let i = 0; i < 1000; i++) {
    const loss = mlp.step(0.3);
    if (i === 9) first = await loss.item();
    if (i === 999) last = await loss.item();
    loss.dispose();
    if (i === 9) firstStats = webgpuStats();
  }
  const end = webgpuStats();
  equal(end.liveBuffers, firstStats.liveBuffers);
  equal(end.liveBytes, firstStats.liveBytes);
  equal(end.createdBuffers, firstStats.createdBuffers);
  ok(last < first * 0.6, `loss ${first} -> ${last}`);
});

gpu("the makemore MLP trains to the same losses on CPU and WebGPU", async () => {
  const sizes = { vocab: 27, embed: 10, block: 3, hidden: 64, batch: 32 };
  const cpu = makeTinyMlp("cpu", sizes), gpuMlp = makeTinyMlp("webgpu", sizes);
  for (let i = 0; i < 60; i++) {
    const c = cpu.step(0.2), g = gpuMlp.step(0.2);
    const lc = c.itemSync(), lg = await g.item();
    // float32, different summation orders: 60 SGD steps stay within 1e-4 relative.
    ok(Math.abs(lc - lg) <= 1e-4 * Math.abs(lc), `step ${i}: cpu ${lc}, webgpu ${lg}`);
    g.dispose();
  }
  const wc = cpu.params[1].dataSync(), wg = await gpuMlp.params[1].data();
  for (let i = 0; i < wc.length; i++) ok(Math.abs(wc[i] - wg[i]) < 1e-4, `W1[${i}]`);
});

gpu("one line switches an nn + AdamW script from CPU to WebGPU, with the same losses", async () => {
  const train = async (device: "cpu" | "webgpu") => {
    await setDefaultDevice(device); // the one line
    try {
      const g = new Generator(5);
      const model = new Sequential(
        new Linear(6, 16, { generator: g }),
        new Tanh(),
        new LayerNorm(16),
        new Linear(16, 4, { generator: g }),
      );
      const opt = new AdamW(model.parameters(), { lr: 1e-2, weightDecay: 0.01 });
      const x = randn([12, 6], { generator: g }), y = randint(0, 4, [12], { generator: g });
      const losses: number[] = [];
      for (let i = 0; i < 15; i++) {
        const loss = tidy(() => {
          opt.zeroGrad();
          const l = F.crossEntropy(model.forward(x), y);
          l.backward();
          opt.step();
          return l;
        });
        losses.push(await loss.item());
        loss.dispose();
      }
      equal(x.device, device);
      return losses;
    } finally {
      await setDefaultDevice("cpu");
    }
  };
  const [c, w] = [await train("cpu"), await train("webgpu")];
  ok(c[14] < c[0] * 0.8, `cpu ${c[0]} -> ${c[14]}`);
  for (let i = 0; i < c.length; i++) {
    ok(Math.abs(c[i] - w[i]) <= 1e-4 * c[i], `step ${i}: cpu ${c[i]}, webgpu ${w[i]}`);
  }
});

gpu("crossEntropy with reduction none and sum matches CPU, forward and backward", async () => {
  const x = randomFloats(5 * 7, 11, -3, 3), y = new Int32Array([6, 0, 3, 3, 1]);
  for (const reduction of ["none", "sum", "mean"] as const) {
    const run = async (device: "cpu" | "webgpu") => {
      const l = tensor(x.slice(), { shape: [5, 7], device, requiresGrad: true });
      const loss = crossEntropy(l, tensor(y.slice(), { device }), { reduction });
      (reduction === "none" ? loss.mul(tensor([1, 2, 3, 4, 5], { device })).sum() : loss)
        .backward();
      return [await loss.data(), await l.grad!.data()];
    };
    const [c, g] = [await run("cpu"), await run("webgpu")];
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < c[k].length; i++) {
        ok(Math.abs(c[k][i] - g[k][i]) <= 1e-5 + 1e-5 * Math.abs(c[k][i]), `${reduction} ${k}`);
      }
    }
  }
});

Deno.test("without an adapter: importing is fine, asking for webgpu throws WebGPUUnavailableError", async () => {
  const { code, out } = await runScript(`
import { setDefaultDevice, tensor } from ${
    JSON.stringify(new URL("../../mod.ts", import.meta.url).href)
  };
try { tensor([1], { device: "webgpu" }); } catch (e) { console.log("A", e.name, e.message); }
try { await setDefaultDevice("webgpu"); } catch (e) { console.log("B", e.name, e.message); }
`);
  equal(code, 0, out);
  ok(out.includes("A WebGPUUnavailableError Cannot open WebGPU: WebGPU is not open yet"), out);
  ok(out.includes("B WebGPUUnavailableError Cannot open WebGPU: navigator.gpu is undefined"), out);
  ok(out.includes('Run on the CPU instead (device: "cpu", the default)'), out);
});

async function runScript(body: string): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/no_gpu.ts`;
  await Deno.writeTextFile(
    file,
    `Object.defineProperty(navigator, "gpu", { value: undefined });\n${body}`,
  );
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", file],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const text = new TextDecoder();
  return { code: r.code, out: text.decode(r.stdout) + text.decode(r.stderr) };
}
