/**
 * Where a command runs: `--device auto` takes WebGPU on a hardware adapter and the CPU otherwise
 * (a software adapter such as llvmpipe is slower than the CPU backend); `cpu` and `webgpu` force
 * one.
 *
 * @module
 */

import type { Device } from "../core/dtype.ts";
import { initWebGPU, setDefaultDevice } from "../core/webgpu/init.ts";
import { CliError } from "./flags.ts";

/**
 * Opens the device and makes it the default for new tensors.
 *
 * @param flag the --device value
 * @returns the device and a few words about it for the first output line
 * @throws {CliError} when --device webgpu is asked for and WebGPU does not open
 */
export async function chooseDevice(
  flag: "auto" | "cpu" | "webgpu",
): Promise<{ device: Device; about: string }> {
  if (flag === "cpu") {
    await setDefaultDevice("cpu");
    return { device: "cpu", about: "cpu (--device cpu)" };
  }
  let adapter;
  try {
    adapter = await initWebGPU();
  } catch (e) {
    if (flag === "webgpu") {
      throw new CliError(
        `--device webgpu: WebGPU does not open here (${(e as Error).message.split("\n")[0]}); ` +
          `use --device cpu`,
        1,
      );
    }
    await setDefaultDevice("cpu");
    return { device: "cpu", about: "cpu (no WebGPU adapter)" };
  }
  if (flag === "auto" && adapter.isFallbackAdapter) {
    await setDefaultDevice("cpu");
    return {
      device: "cpu",
      about: `cpu (the WebGPU adapter, ${adapter.description}, is a software one; ` +
        `--device webgpu forces it)`,
    };
  }
  await setDefaultDevice("webgpu");
  return { device: "webgpu", about: `webgpu (${adapter.description})` };
}
