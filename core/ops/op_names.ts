/**
 * The names of the ops that record an autograd node, one union per family.
 * `OpName` is their union; `core/ops/rules.ts` maps every name to a backward
 * rule in a table typed over it, so a missing rule is a compile error.
 *
 * @module
 */

/** Binary elementwise ops with a gradient (comparisons have none and never record). */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "clamp"
  | "where";

/** Unary elementwise ops with a gradient. */
export type UnaryOp = "neg" | "exp" | "log" | "sqrt" | "abs" | "tanh" | "relu" | "sigmoid" | "gelu";

/** Elementwise ops with a gradient. */
export type ElementwiseOp = BinaryOp | UnaryOp;

/** Reductions with a gradient (mean, var and std are built from these). */
export type ReduceOp = "sum" | "max" | "min" | "logsumexp";

/** Views: same storage, other layout. */
export type ViewOp = "reshape" | "permute" | "expand" | "slice";

/** Copies that join or re-lay elements. */
export type JoinOp = "contiguous" | "cat";

/** Views and copies that move elements around. */
export type MovementOp = ViewOp | JoinOp;

/** Matrix products. */
export type MatmulOp = "matmul";

/** Indexing ops with a gradient (tril/triu/maskedFill are `where`, index is indexSelect). */
export type IndexingOp = "indexSelect" | "gather";

/** Fused nn.functional ops (the other F functions are compositions). */
export type FunctionalOp = "softmax" | "logSoftmax" | "causalSoftmax" | "crossEntropy";

/** Fused normalisation ops (recorded on devices with the fused kernels; composed on cpu). */
export type NormOp = "layerNorm";

/** Unary math ops with a kernel of their own (log10, rsqrt and square are compositions). */
export type UnaryMathOp = "sin" | "cos" | "log1p";

/** Max/min over several dims, the gradient shared evenly by the elements that attain them. */
export type AmaxOp = "amax" | "amin";

/** Vector norms. */
export type VectorNormOp = "norm";

/** Scans and the product built on them. */
export type ScanOp = "cumsum" | "prod";

/** Sorting ops (their values are a gather of the input at the returned indices). */
export type SortOp = "sort" | "topk";

/** Every op that records an autograd node. */
export type OpName =
  | ElementwiseOp
  | ReduceOp
  | MovementOp
  | MatmulOp
  | IndexingOp
  | FunctionalOp
  | NormOp
  | UnaryMathOp
  | AmaxOp
  | VectorNormOp
  | ScanOp
  | SortOp;
