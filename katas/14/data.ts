/**
 * Kata 14, step 14.2: the documents, the vocabulary and the parameters, drawn
 * from CPython's generator in the published order: `rng` is the library's
 * `PyRandom` (`shuffle`, `gauss`), CPython's `random` to the bit.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import type { Value } from "./autograd.ts";
import type { PyRandom } from "../../mod.ts";

/** The model's sizes. */
export interface Config {
  /** 26 letters + BOS = 27. */
  vocabSize: number;
  /** Transformer blocks (1). */
  nLayer: number;
  /** Embedding width (16). */
  nEmbd: number;
  /** Longest context (16). */
  blockSize: number;
  /** Attention heads (4), each nEmbd / nHead wide. */
  nHead: number;
}

/** microgpt's published sizes. */
export const MICROGPT: Config = { vocabSize: 27, nLayer: 1, nEmbd: 16, blockSize: 16, nHead: 4 };

/** A matrix of Values, `rows × cols`, row by row: `w[out][in]`. */
export type Matrix = Value[][];

/** One transformer block's weights (no biases). */
export interface LayerWeights {
  /** `(nEmbd, nEmbd)` queries. */
  attnWq: Matrix;
  /** `(nEmbd, nEmbd)` keys. */
  attnWk: Matrix;
  /** `(nEmbd, nEmbd)` values. */
  attnWv: Matrix;
  /** `(nEmbd, nEmbd)` the attention's output projection. */
  attnWo: Matrix;
  /** `(4·nEmbd, nEmbd)` the MLP's first layer. */
  mlpFc1: Matrix;
  /** `(nEmbd, 4·nEmbd)` the MLP's second layer. */
  mlpFc2: Matrix;
}

/** Every weight of the model. */
export interface StateDict {
  /** `(vocabSize, nEmbd)` token embeddings. */
  wte: Matrix;
  /** `(blockSize, nEmbd)` position embeddings. */
  wpe: Matrix;
  /** `(vocabSize, nEmbd)` the output layer. */
  lmHead: Matrix;
  /** The blocks. */
  layers: LayerWeights[];
}

/**
 * The documents: one name per non-empty line (stripped), shuffled with
 * `rng.shuffle` (`random.shuffle(docs)` after `random.seed(42)`).
 *
 * @param text names.txt
 * @param rng the generator (consumed by the shuffle)
 * @returns the shuffled names
 */
export function loadDocs(text: string, rng: PyRandom): string[] {
  return todo("14.2", "loadDocs: stripped non-empty lines, rng.shuffle(docs)");
}

/** Characters to token ids: the sorted distinct characters, then BOS. */
export class Tokenizer {
  /** The sorted distinct characters; id i is chars[i]. */
  readonly chars: string[];
  /** The id of the beginning/end-of-sequence token: chars.length. */
  readonly bos: number;

  /** @param docs the documents */
  constructor(docs: readonly string[]) {
    this.chars = todo("14.2", "Tokenizer: the sorted distinct characters; bos = chars.length");
    this.bos = this.chars.length;
  }

  /** chars.length + 1. */
  get vocabSize(): number {
    return this.chars.length + 1;
  }

  /**
   * @param doc a name
   * @returns `[bos, ...ids, bos]`
   */
  encode(doc: string): number[] {
    return todo("14.2", "Tokenizer.encode: [bos, ...ids of the characters, bos]");
  }
}

/**
 * A `rows × cols` matrix of leaf Values, each `rng.gauss(0, std)`, row by row.
 *
 * @param rng the generator
 * @param rows output size
 * @param cols input size
 * @param std the standard deviation (0.08)
 * @returns the matrix
 */
export function matrix(rng: PyRandom, rows: number, cols: number, std = 0.08): Matrix {
  return todo("14.2", "matrix: rows × cols leaf Values of rng.gauss(0, std), row by row");
}

/**
 * Draws the weights in the published order: wte, wpe, lm_head, then per layer
 * attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1, mlp_fc2.
 *
 * @param rng the generator, after the documents' shuffle
 * @param config the sizes
 * @returns the weights
 */
export function initStateDict(rng: PyRandom, config: Config): StateDict {
  return todo("14.2", "initStateDict: wte, wpe, lm_head, then per layer wq, wk, wv, wo, fc1, fc2");
}

/**
 * Every weight as one flat list, in the order they were drawn.
 *
 * @param sd the weights
 * @returns the parameters (4,192 for microgpt)
 */
export function parameters(sd: StateDict): Value[] {
  return todo("14.2", "parameters: every weight, flat, in the order drawn");
}
