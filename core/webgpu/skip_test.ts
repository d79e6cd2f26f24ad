import { ok } from "node:assert/strict";

const TEST_UTIL = new URL("./test_util.ts", import.meta.url).href;

/** Runs `deno test` on a one-test file where navigator.gpu is absent; returns its output and code. */
async function runWithoutGPU(requireWebGPU: boolean): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/no_gpu_test.ts`;
  await Deno.writeTextFile(
    file,
    `Object.defineProperty(navigator, "gpu", { value: undefined });
const { gpuTest } = await import(${JSON.stringify(TEST_UTIL)});
gpuTest("needs a GPU", () => {});
`,
  );
  const env = { KATAGRAD_REQUIRE_WEBGPU: requireWebGPU ? "1" : "0", NO_COLOR: "1" };
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", file],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const text = new TextDecoder();
  return { code: result.code, out: text.decode(result.stdout) + text.decode(result.stderr) };
}

Deno.test("without an adapter, WebGPU tests are ignored and the reason is printed", async () => {
  const { code, out } = await runWithoutGPU(false);
  ok(code === 0, out);
  ok(out.includes("WebGPU tests skipped: navigator.gpu is undefined"), out);
  ok(out.includes("needs a GPU ... ignored"), out);
});

Deno.test("with KATAGRAD_REQUIRE_WEBGPU=1 and no adapter, WebGPU tests fail", async () => {
  const { code, out } = await runWithoutGPU(true);
  ok(code !== 0, out);
  ok(out.includes("needs a GPU ... FAILED"), out);
  ok(out.includes("WebGPUUnavailableError: Cannot open WebGPU: navigator.gpu is undefined"), out);
});
