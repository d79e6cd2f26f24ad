/**
 * Shared definitions of the matmul kernels: the problem description, template
 * options, uniforms and index expressions.
 *
 * @module
 */

import { packUniforms, type UniformField } from "./launch.ts";

/** Shape and layout of one (batched) matmul. */
export interface MatmulProblem {
  /** Rows of C. */
  m: number;
  /** Columns of C. */
  n: number;
  /** Inner dimension. */
  k: number;
  /** Number of matrices (default 1). */
  batch?: number;
  /** A is stored as (k x m). */
  transA?: boolean;
  /** B is stored as (n x k). */
  transB?: boolean;
  /** C += A·B instead of C = A·B. */
  accumulate?: boolean;
  /** Offsets (elements) of A, B, C. */
  aOffset?: number;
  /** Offset of B. */
  bOffset?: number;
  /** Offset of C. */
  cOffset?: number;
  /** Elements between consecutive A matrices (default m·k; 0 broadcasts A). */
  aBatchStride?: number;
  /** Elements between consecutive B matrices (default k·n; 0 broadcasts B). */
  bBatchStride?: number;
  /** Elements between consecutive C matrices (default m·n). */
  cBatchStride?: number;
  /**
   * First k of the range summed (default 0; a multiple of 4): a matmul run in passes over K
   * sums [kBegin, kEnd) and accumulates the next range into C.
   */
  kBegin?: number;
  /** End of the k range summed (default k). */
  kEnd?: number;
}

/** Template parameters of {@linkcode matmulWGSL}. */
export interface MatmulKernelOptions {
  /** "staged": tiles in workgroup memory (GPUs); "register": no workgroup memory (CPU adapters). */
  variant: "staged" | "register";
  /** A stored transposed. */
  transA: boolean;
  /** B stored transposed. */
  transB: boolean;
  /** Accumulate into C. */
  accumulate: boolean;
  /** Rows of C per workgroup. */
  tileM: number;
  /** Columns of C per workgroup. */
  tileN: number;
  /** Depth of the staged tiles. */
  tileK: number;
  /** Rows of C per thread (the thread block is threadM x 4). */
  threadM: number;
  /** Load A as vec4 (its contiguous dimension is a multiple of 4). */
  vecA: boolean;
  /** Load B as vec4. */
  vecB: boolean;
  /** Store C as vec4 (n a multiple of 4). */
  vecC: boolean;
}

export const MATMUL_FIELDS: UniformField[] = [
  "M",
  "N",
  "K",
  "a_offset",
  "b_offset",
  "c_offset",
  "a_batch_stride",
  "b_batch_stride",
  "c_batch_stride",
  "k_begin",
  "k_end",
].map((name) => ({ name, type: "u32" as const }));

/**
 * A problem with its defaults filled in.
 *
 * @param p the problem
 * @returns every field set
 */
export function layout(p: MatmulProblem): Required<MatmulProblem> {
  return {
    batch: 1,
    transA: false,
    transB: false,
    accumulate: false,
    aOffset: 0,
    bOffset: 0,
    cOffset: 0,
    aBatchStride: p.m * p.k,
    bBatchStride: p.k * p.n,
    cBatchStride: p.m * p.n,
    kBegin: 0,
    kEnd: p.k,
    ...p,
  };
}

/**
 * The uniform words of a problem.
 *
 * @param p the resolved problem
 * @returns packed words
 */
export function matmulUniforms(p: Required<MatmulProblem>): Uint32Array<ArrayBuffer> {
  return packUniforms(MATMUL_FIELDS, {
    M: p.m,
    N: p.n,
    K: p.k,
    a_offset: p.aOffset,
    b_offset: p.bOffset,
    c_offset: p.cOffset,
    a_batch_stride: p.aBatchStride,
    b_batch_stride: p.bBatchStride,
    c_batch_stride: p.cBatchStride,
    k_begin: p.kBegin,
    k_end: p.kEnd,
  });
}

/**
 * WGSL index of A(m, k).
 *
 * @param trans A stored transposed
 * @param m row expression
 * @param k column expression
 * @returns the index expression
 */
export function elemA(trans: boolean, m: string, k: string): string {
  return trans ? `a_base + ${k} * params.M + ${m}` : `a_base + ${m} * params.K + ${k}`;
}
/**
 * WGSL index of B(k, n).
 *
 * @param trans B stored transposed
 * @param k row expression
 * @param n column expression
 * @returns the index expression
 */
export function elemB(trans: boolean, k: string, n: string): string {
  return trans ? `b_base + ${n} * params.K + ${k}` : `b_base + ${k} * params.N + ${n}`;
}
