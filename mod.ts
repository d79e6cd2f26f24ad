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

// Plots: the lectures' figures as SVG (files, and inline in `deno jupyter`)
export {
  booleanImage,
  type BooleanImageOptions,
  type Figure,
  heatmap,
  type HeatmapOptions,
  histogram,
  type HistogramOptions,
  type HistogramSeries,
  jupyterDisplay,
  linePlot,
  type LinePlotOptions,
  type LineSeries,
  type PlotMatrix,
  type PlotValues,
  scatterPlot,
  type ScatterPlotOptions,
  type TensorLike,
} from "./core/plot/mod.ts";

// Random
export {
  type CpuCapability,
  Generator,
  type GeneratorOptions,
  type GeneratorState,
} from "./core/random/generator.ts";
export { defaultGenerator, manualSeed } from "./core/random/default_generator.ts";
export type { MT19937State } from "./core/random/mt19937.ts";
export { type ChoicesOptions, PyRandom } from "./core/random/py_random.ts";

// Data and checkpoints
export {
  DatasetChecksumError,
  type DatasetInfo,
  type DatasetName,
  DatasetNotFoundError,
  type DatasetOptions,
  datasetPath,
  DATASETS,
  DownloadTimeoutError,
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

// Tokenizer: byte-level BPE (minbpe's trainers; GPT-2 and GPT-4 encodings with tiktoken parity)
export {
  type AllowedSpecial,
  DisallowedSpecialTokenError,
  type EncodeOptions,
  encodingFromRanks,
  type EncodingName,
  ENCODINGS,
  type EncodingSpec,
  formatModel,
  formatRankFile,
  GPT2_SPLIT_PATTERN,
  GPT4_SPLIT_PATTERN,
  loadEncoding,
  loadModel,
  loadRanks,
  parseModel,
  parseRankFile,
  saveModel,
  Tokenizer,
  TokenizerFileError,
  type TokenizerOptions,
  trainMerges,
  type TrainOptions,
  type TrainTokenizerOptions,
  UnknownTokenIdError,
} from "./core/tokenizer/mod.ts";

// Toy datasets for the micrograd katas
export { makeMoons, type Moons, type MoonsOptions } from "./core/data/moons.ts";
export { mulberry32, type Rng, seededUniform } from "./core/data/seeded.ts";

// Tensor: n-d arrays with reverse-mode autograd (CPU and WebGPU backends)
export { type ShapeArgs, Tensor } from "./core/tensor.ts";
export { gradcheck, type GradcheckOptions, type GradcheckResult } from "./core/gradcheck.ts";
export {
  arange,
  type CreateOptions,
  eye,
  full,
  linspace,
  type NestedArray,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  type RandomOptions,
  randperm,
  type RandpermOptions,
  type ShapeAndOptions,
  type ShapeLike,
  tensor,
  zeros,
  zerosLike,
} from "./core/ops/creation.ts";
export { type Operand, where } from "./core/ops/elementwise.ts";
export { matmul } from "./core/ops/matmul.ts";
export { cat, stack } from "./core/ops/movement.ts";
export { flip, narrow, repeat, select, unbind } from "./core/ops/views.ts";
export type { ReduceOptions, ValuesIndices, VarOptions } from "./core/ops/reduce.ts";
export { amax, amin } from "./core/ops/amax.ts";
export { norm } from "./core/ops/norm.ts";
export { cumsum, prod } from "./core/ops/scan.ts";
export { argsort, sort, type SortOptions, topk, type TopkOptions } from "./core/ops/sorting.ts";
export {
  all,
  allclose,
  allcloseSync,
  any,
  isclose,
  type IscloseOptions,
} from "./core/ops/logical.ts";
export { type BackwardOptions, isGradEnabled, noGrad } from "./core/autograd.ts";
export type { Device, DType, TypedArray } from "./core/dtype.ts";
export {
  AutogradError,
  DeviceMismatchError,
  DTypeError,
  IndexError,
  ShapeError,
  SyncReadError,
} from "./core/errors.ts";
export type { NestedValues } from "./core/format.ts";

// Indexing and nn.functional
export { gather, index, indexSelect } from "./core/ops/indexing.ts";
export { indexPut_, type IndexPutOptions } from "./core/ops/index_put.ts";
export { maskedFill, tril, triu } from "./core/ops/masking.ts";
export { oneHot } from "./core/ops/encoding.ts";
export { F } from "./core/ops/nn_functional.ts";
export type { CrossEntropyOptions, LossOptions, Reduction } from "./core/ops/functional.ts";
export type {
  BatchNormOptions,
  DropoutOptions,
  LayerNormOptions,
} from "./core/ops/normalization.ts";
export { multinomial, type MultinomialOptions } from "./core/ops/sampling.ts";

// Async variants of the shape-deciding and sampling ops (they read back on WebGPU)
export { oneHotAsync } from "./core/ops/encoding.ts";
export { multinomialAsync } from "./core/ops/sampling.ts";

// nn and optim: namespaces only, as PyTorch spells them (`new nn.Linear(...)`,
// `class MLP extends nn.Module`, `new optim.AdamW(...)`); no top-level re-exports, so
// `nn.LayerNormOptions` and `F`'s `LayerNormOptions` never clash.
export * as nn from "./core/nn/mod.ts";
export * as optim from "./core/optim/mod.ts";

// WebGPU (the executor, kernels and backend interface are in `@katagrad/katagrad/backend`)
export {
  type WebGPUFeature,
  type WebGPUInfo,
  webgpuInfo,
  type WebGPULimits,
  webgpuUnavailableReason,
} from "./core/webgpu/device.ts";
export {
  WebGPUBufferSizeError,
  WebGPUDeviceLostError,
  WebGPUKernelLimitError,
  WebGPUUnavailableError,
  WGSLCompileError,
} from "./core/webgpu/errors.ts";
export {
  initWebGPU,
  isWebGPUOpen,
  preferredDevice,
  setDefaultDevice,
  type WebGPUStats,
  webgpuStats,
  webgpuSync,
} from "./core/webgpu/init.ts";
export { getDefaultDevice } from "./core/device.ts";
// CPU matmul: the WebAssembly kernel or the system's OpenBLAS (with --allow-ffi)
export {
  type CpuInfo,
  cpuInfo,
  type CpuMatmulKernel,
  type CpuOptions,
  setCpuOptions,
} from "./core/cpu/cpu_options.ts";
export { keep, type MemoryTracked, tidy } from "./core/memory.ts";
export { clipGradNormTensor } from "./core/optim/clip_grad.ts";
