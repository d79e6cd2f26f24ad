/**
 * tfjs (the WebGPU matmul peer), loaded at run time.
 *
 * The specifiers are built at run time on purpose, so no static import puts
 * tfjs in the module graph: `deno task` installs every npm package that
 * deno.json or deno.lock names, and the learner's commands (`deno task kata`,
 * `deno task hint`) must not download a benchmark-only library. Run the benches
 * that use it with their own lockfile, as `deno task bench` does:
 * `deno bench -A --lock=bench/deno.lock`, or
 * `deno run -A --lock=bench/deno.lock bench/matmul_webgpu_gflops.ts`.
 *
 * @module
 */

/** The version the README's figures were measured with. */
export const TFJS_VERSION = "4.22.0";

/** A tfjs tensor, as far as the benches use one. */
export interface TfTensor {
  /** Frees its GPU memory. */
  dispose(): void;
  /** Reads it back (waits for the queued work). */
  data(): Promise<unknown>;
}

/** The part of tfjs-core the benches use. */
export interface Tf {
  /** Picks a backend, e.g. `"webgpu"`. */
  setBackend(name: string): Promise<boolean>;
  /** Resolves once the backend is initialised. */
  ready(): Promise<void>;
  /** A tensor of uniform random numbers. */
  randomUniform(shape: number[]): TfTensor;
  /** The matrix product. */
  matMul(a: TfTensor, b: TfTensor): TfTensor;
}

/**
 * Loads tfjs-core and its WebGPU backend from npm.
 *
 * @returns tfjs-core, with the WebGPU backend registered
 */
export async function loadTfjs(): Promise<Tf> {
  const npm = (name: string) => ["npm:@tensorflow/" + name, TFJS_VERSION].join("@");
  const tf = await import(npm("tfjs-core"));
  await import(npm("tfjs-backend-webgpu"));
  return tf as Tf;
}
