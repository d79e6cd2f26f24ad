import { ok } from "node:assert/strict";

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
