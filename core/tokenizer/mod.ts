/**
 * Byte-level BPE tokenizers: train your own (minbpe's Basic and Regex
 * tokenizers, same merges), or load GPT-2's and GPT-4's encodings from
 * tiktoken's rank files with encodings equal to tiktoken's.
 *
 * @module
 */

export {
  type EncodeOptions,
  Tokenizer,
  type TokenizerOptions,
  type TrainTokenizerOptions,
} from "./tokenizer.ts";
export { trainMerges, type TrainOptions } from "./train.ts";
export { type AllowedSpecial } from "./special_tokens.ts";
export { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
export { formatRankFile, parseRankFile } from "./rank_file.ts";
export {
  encodingFromRanks,
  type EncodingName,
  ENCODINGS,
  type EncodingSpec,
  loadEncoding,
  loadRanks,
} from "./encodings.ts";
export { DisallowedSpecialTokenError, TokenizerFileError, UnknownTokenIdError } from "./errors.ts";
export { formatModel, loadModel, parseModel, saveModel } from "./model_file.ts";
