/**
 * The names of the ops that record an autograd node, one union per family.
 * `OpName` is their union; `core/ops/rules.ts` maps every name to a backward
 * rule in a table typed over it, so a missing rule is a compile error.
 *
 * @module
 */

/** Elementwise ops with a gradient (comparisons have none and never record). */
export type ElementwiseOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "tanh"
  | "relu"
  | "sigmoid"
  | "gelu"
  | "maximum"
  | "minimum"
  | "clamp"
  | "where";

/** Reductions with a gradient (mean, var, std and logsumexp are built from these). */
export type ReduceOp = "sum" | "max" | "min";

/** Views and copies that move elements around. */
export type MovementOp = "reshape" | "permute" | "expand" | "slice" | "contiguous" | "cat";

/** Matrix products. */
export type MatmulOp = "matmul";

/** Indexing ops with a gradient (tril/triu/maskedFill are `where`, index is indexSelect). */
export type IndexingOp = "indexSelect" | "gather";

/** Fused nn.functional ops (the other F functions are compositions). */
export type FunctionalOp = "softmax" | "logSoftmax" | "crossEntropy";

/** Every op that records an autograd node. */
export type OpName = ElementwiseOp | ReduceOp | MovementOp | MatmulOp | IndexingOp | FunctionalOp;
