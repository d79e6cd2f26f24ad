/**
 * katagrad: a small autograd and tensor library for Deno, and the library that
 * the katagrad katas (Karpathy's *Neural Networks: Zero to Hero* as failing
 * tests) stand on.
 *
 * @example Scalar autograd
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Value } from "@katagrad/katagrad";
 * const x = new Value(-4);
 * const y = x.mul(x).add(x.mul(3));
 * y.backward();
 * equal(y.data, 4);
 * equal(x.grad, -5); // 2x + 3
 * ```
 *
 * @module
 */

export { topologicalOrder, Value, type ValueLike, type VisitedMarks } from "./core/value.ts";

// Value rendering
export { type ValueNode, valueToSvg } from "./core/value_svg.ts";

// Random
export {
  type CpuCapability,
  defaultGenerator,
  Generator,
  type GeneratorOptions,
  type GeneratorState,
  manualSeed,
} from "./core/random/generator.ts";
export type { MT19937State } from "./core/random/mt19937.ts";
export { PyRandom } from "./core/random/py_random.ts";

// Data and checkpoints
export {
  DatasetChecksumError,
  type DatasetInfo,
  type DatasetName,
  DatasetNotFoundError,
  type DatasetOptions,
  datasetPath,
  DATASETS,
  type FetchLike,
  loadDataset,
  userCacheDir,
} from "./core/data/datasets.ts";
export type { ProgressOutput } from "./core/data/progress_bar.ts";
export { CharVocab, type CharVocabOptions } from "./core/data/vocab.ts";
export {
  buildContextWindows,
  type ContextWindows,
  type IntSampler,
  randomBatch,
  splitWords,
  takeRows,
  type WordSplit,
} from "./core/data/makemore.ts";
export { getBatch, type GptBatch, splitTrainVal } from "./core/data/gpt_batch.ts";
export {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsDtype,
  SafetensorsError,
  type SafetensorsFile,
  type SafetensorsInput,
  type SafetensorsTensor,
  saveSafetensors,
} from "./core/io/safetensors.ts";
export {
  float16ArrayToFloat32,
  float16BitsToNumber,
  float32ArrayToFloat16,
  float32ToFloat16Bits,
} from "./core/io/float16.ts";

// Datasets
export { makeMoons, type Moons, type MoonsOptions } from "./core/data/moons.ts";
export { mulberry32, type Rng, seededUniform } from "./core/data/seeded.ts";
