import { ok } from "node:assert/strict";
import { assertKernel, kernelTest } from "../13/_harness.ts";
import { guardCase, mapCase, Rng } from "../13/_steps.ts";
import { guardWGSL, mapWGSL } from "../../solutions/13/elementwise.ts";

const KATA13_TEST = new URL("../13/elementwise_test.ts", import.meta.url).href;

/** Runs kata 13's elementwise tests where navigator.gpu is absent; returns output and code. */
async function runWithoutGPU(requireWebGPU: boolean): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/no_gpu_test.ts`;
  await Deno.writeTextFile(
    file,
    `Object.defineProperty(navigator, "gpu", { value: undefined });
await import(${JSON.stringify(KATA13_TEST)});
`,
  );
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", file],
    env: { KATAGRAD_REQUIRE_WEBGPU: requireWebGPU ? "1" : "0", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const text = new TextDecoder();
  return { code: result.code, out: text.decode(result.stdout) + text.decode(result.stderr) };
}

Deno.test("kata 13 without an adapter: its tests are ignored, with the reason, never passed", async () => {
  const { code, out } = await runWithoutGPU(false);
  ok(code === 0, out);
  ok(out.includes("Kata 13 skipped: its tests run your kernels on a WebGPU adapter"), out);
  ok(out.includes("navigator.gpu is undefined"), out);
  ok(out.includes("13.1 map: out[i] = a[i] + 10, one invocation per element ... ignored"), out);
  ok(out.includes("0 passed | 0 failed | 5 ignored"), out);
});

Deno.test("kata 13 without an adapter under KATAGRAD_REQUIRE_WEBGPU=1 fails, saying why", async () => {
  const { code, out } = await runWithoutGPU(true);
  ok(code !== 0, out);
  ok(out.includes("13.1 map: out[i] = a[i] + 10, one invocation per element ... FAILED"), out);
  ok(out.includes("WebGPUUnavailableError: Cannot open WebGPU: navigator.gpu is undefined"), out);
});

// The harness's messages, on the real device (ignored, like kata 13, where no adapter opens).

/** The message of the error `assertKernel` throws on `wgsl` run as step 13.1 or 13.3. */
async function failure(run: Promise<void>): Promise<string> {
  try {
    await run;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the kernel to be rejected");
}

Deno.test(
  kernelTest(
    "kata 13 harness: a compile error names its line and the compiler's message",
    async () => {
      const wgsl = mapWGSL(8).replace("a[i] + 10.0", "a[i] + ten");
      const m = await failure(assertKernel(mapCase(wgsl, 8, 3, new Rng(1))));
      ok(
        m.startsWith(
          "13.1 map (workgroup size 8, 3 workgroups, n = 24): your WGSL does not compile",
        ),
        m,
      );
      ok(m.includes("> line 9:   out[i] = a[i] + ten;"), m);
      ok(m.includes("the WGSL compiler says: no definition in scope for identifier: `ten`"), m);
    },
  ),
);

Deno.test(
  kernelTest("kata 13 harness: a kernel declaring another workgroup size is refused", async () => {
    const m = await failure(assertKernel(mapCase(mapWGSL(64), 8, 3, new Rng(1))));
    ok(m.includes("declares @workgroup_size(64), but this run asked for 8"), m);
  }),
);

Deno.test(kernelTest("kata 13 harness: names the first wrong index, expected and got", async () => {
  const wgsl = mapWGSL(8).replace("let i = gid.x;", "let i = gid.x;\n  if (i == 5u) { return; }");
  const m = await failure(assertKernel(mapCase(wgsl, 8, 3, new Rng(1))));
  ok(/out\[5\]: expected [-\d.]+, got -7777 — never written/.test(m), m);
  ok(m.includes("1 of 4120 values wrong"), m);
}));

Deno.test(kernelTest("kata 13 harness: a write past the end of the output is caught", async () => {
  const wgsl = guardWGSL(8).replace("if (i < params.n) {", "if (true) {");
  const m = await failure(assertKernel(guardCase(wgsl, 8, 19, new Rng(1))));
  ok(m.includes("out[19], 1 past the last of the 19 outputs, where no invocation may write"), m);
}));
