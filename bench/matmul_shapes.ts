/**
 * The matmul shapes the CPU benchmarks measure: 512³ and the makemore MLP's
 * forward products (batch 32, 3·10 inputs, hidden 200, 27 outputs) with the
 * backward products they need (Aᵀ·B for weight gradients, A·Bᵀ for input
 * gradients). `bench/peers/matmul_torch.py` lists the same shapes.
 *
 * @module
 */

/** One product `out (m x n) = op(A) (m x k) · op(B) (k x n)`. */
export interface MatmulShape {
  /** Short label, e.g. `"fwd (32x30)·(30x200)"`. */
  name: string;
  /** Rows of the output. */
  m: number;
  /** Inner dimension. */
  k: number;
  /** Columns of the output. */
  n: number;
  /** A is given as Aᵀ (k x m). */
  transA: boolean;
  /** B is given as Bᵀ (n x k). */
  transB: boolean;
}

/**
 * The benchmarked shapes.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { matmulShapes } from "./matmul_shapes.ts";
 * equal(matmulShapes[0].name, "512³ NN");
 * ```
 */
export const matmulShapes: readonly MatmulShape[] = [
  { name: "512³ NN", m: 512, k: 512, n: 512, transA: false, transB: false },
  { name: "512³ TN", m: 512, k: 512, n: 512, transA: true, transB: false },
  { name: "512³ NT", m: 512, k: 512, n: 512, transA: false, transB: true },
  { name: "fwd h=(32x30)·(30x200)", m: 32, k: 30, n: 200, transA: false, transB: false },
  { name: "fwd logits=(32x200)·(200x27)", m: 32, k: 200, n: 27, transA: false, transB: false },
  { name: "bwd dW1=(30x32)·(32x200) TN", m: 30, k: 32, n: 200, transA: true, transB: false },
  { name: "bwd dX=(32x200)·(200x30) NT", m: 32, k: 200, n: 30, transA: false, transB: true },
  { name: "bwd dW2=(200x32)·(32x27) TN", m: 200, k: 32, n: 27, transA: true, transB: false },
  { name: "bwd dH=(32x27)·(27x200) NT", m: 32, k: 27, n: 200, transA: false, transB: true },
  { name: "sample (1x30)·(30x200)", m: 1, k: 30, n: 200, transA: false, transB: false },
];

/**
 * Floating-point operations of one product (a multiply and an add per term).
 *
 * @param s the shape
 * @returns `2·m·k·n`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { flopsOf } from "./matmul_shapes.ts";
 * equal(flopsOf({ name: "", m: 2, k: 3, n: 4, transA: false, transB: false }), 48);
 * ```
 */
export function flopsOf(s: MatmulShape): number {
  return 2 * s.m * s.k * s.n;
}
