/**
 * The reverse-mode engine: graph nodes, `backward` (iterative reverse
 * topological order), gradient accumulation, `noGrad`, the version check for
 * saved tensors, and the one place broadcasting is undone (`unbroadcast`).
 *
 * @module
 */

import { backendFor } from "./device.ts";
import { Recycler } from "./grad_recycler.ts";
import { PendingGrads } from "./pending_grads.ts";
import { disposeInternal } from "./memory.ts";
import { AutogradError, DTypeError, formatShape, ShapeError } from "./errors.ts";
import {
  checkBoolean,
  checkFunction,
  checkOptions,
  checkSameDevice,
  checkTensor,
} from "./validate.ts";
import { shapesEqual } from "./shape.ts";
import type { OpName } from "./ops/op_names.ts";
import { backwardRule } from "./ops/rules.ts";
import { onesLike } from "./ops/creation.ts";
import type { Tensor } from "./tensor.ts";

let gradEnabled = true;

/**
 * Whether ops currently record the autograd graph.
 *
 * @returns false inside {@link noGrad}
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isGradEnabled, noGrad } from "./autograd.ts";
 * equal(isGradEnabled(), true);
 * equal(noGrad(() => isGradEnabled()), false);
 * ```
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the autograd graph (parameter updates,
 * evaluation). Restores the previous mode afterwards, even on a throw.
 *
 * @param fn the code to run
 * @returns what `fn` returns
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { noGrad } from "./autograd.ts";
 * import { tensor } from "./ops/creation.ts";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2));
 * equal(y.requiresGrad, false);
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  checkFunction("noGrad", "fn", fn);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Op-specific values a backward rule needs besides saved tensors. */
export interface OpArgs {
  /** Reduced or concatenated dims. */
  dims?: readonly number[];
  /** A single dim. */
  dim?: number;
  /** Whether reduced dims were kept. */
  keepdim?: boolean;
  /** The input's shape. */
  shape?: readonly number[];
  /** Per-input sizes along `dim` (cat). */
  sizes?: readonly number[];
  /** Slice start and step along `dim`. */
  start?: number;
  /** Slice step. */
  step?: number;
  /** Clamp bounds. */
  min?: number;
  /** Clamp bounds. */
  max?: number;
  /** GELU variant. */
  approximate?: boolean;
  /** The source dtype of a cast. */
  from?: string;
  /** How a fused loss reduced its per-row values (crossEntropy). */
  reduction?: "mean" | "sum" | "none";
  /** Which of weight and bias a fused layerNorm was given (they follow x in its inputs). */
  affine?: readonly [boolean, boolean];
  /** The order of a vector norm. */
  p?: number;
  /** The factor a causal softmax applied before normalising. */
  scale?: number;
}

const NO_VERSIONS: number[] = [];

/**
 * A recorded op: what made a tensor, from which inputs, and what its backward
 * rule needs.
 */
export class GradNode {
  /** Saved tensors; `null` once a backward without `retainGraph` freed them. */
  saved: Tensor[] | null;
  /** Storage versions of the saved tensors at record time. */
  readonly versions: number[];
  /**
   * @param op the op name
   * @param inputs the tensor operands, in rule order
   * @param saved tensors the rule reads (version-checked)
   * @param args op-specific values
   */
  constructor(
    readonly op: OpName,
    readonly inputs: readonly Tensor[],
    saved: Tensor[],
    readonly args: OpArgs,
  ) {
    this.saved = saved;
    if (saved.length === 0) this.versions = NO_VERSIONS;
    else {
      const v = new Array<number>(saved.length);
      for (let i = 0; i < saved.length; i++) v[i] = saved[i].storage.version;
      this.versions = v;
    }
  }
}

/**
 * A backward rule: given the output's gradient, the node and its (checked)
 * saved tensors, returns one gradient per input (null where an input needs
 * none), each in its input's shape or in a shape the input was broadcast to
 * (the engine sums it down: {@link unbroadcast}). Runs with recording off.
 */
export type BackwardRule = (
  grad: Tensor,
  node: GradNode,
  saved: readonly Tensor[],
) => (Tensor | null)[];

/**
 * Attaches a node to `out` when recording is on and some input requires grad.
 *
 * @param out the op's result
 * @param op the op name
 * @param inputs the tensor operands
 * @param saved tensors the backward rule reads
 * @param args op-specific values
 * @returns `out`
 */
export function record(
  out: Tensor,
  op: OpName,
  inputs: Tensor[],
  saved: Tensor[],
  args: OpArgs,
): Tensor {
  out._node = new GradNode(op, inputs, saved, args);
  out._requiresGrad = true;
  return out;
}

/**
 * Whether an op on these inputs must record a node.
 *
 * @param a first input
 * @param b second input (optional)
 * @returns true when recording is on and an input requires grad
 */
export function needsGrad(a: Tensor, b?: Tensor): boolean {
  return gradEnabled && (a._requiresGrad || (b !== undefined && b._requiresGrad));
}

/**
 * Sums `grad` down to `shape`, undoing broadcasting: leading extra dims and
 * dims where `shape` has 1 are summed. Returns `grad` itself when the shapes
 * already match.
 *
 * @param grad a gradient of the broadcast shape
 * @param shape the operand's shape
 * @returns a gradient of `shape`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { unbroadcast } from "./autograd.ts";
 * import { ones } from "./ops/creation.ts";
 * deepEqual(unbroadcast(ones([4, 2, 3]), [2, 1]).toArraySync(), [[12], [12]]);
 * ```
 */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  const gs = grad.shape;
  if (gs.length === shape.length) {
    let same = true;
    for (let i = 0; i < gs.length; i++) if (gs[i] !== shape[i]) same = false;
    if (same) return grad;
  }
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) dims.push(i);
  }
  const summed = dims.length > 0 ? grad.sum(dims, { keepdim: true }) : grad;
  return summed.reshape(shape);
}

let epoch = 0;

/** Checks backward's gradient and options; returns retainGraph. */
function checkBackwardArgs(root: Tensor, gradient: unknown, opts: BackwardOptions): boolean {
  const o = checkOptions("backward", opts, ["retainGraph"]);
  if (gradient != null) {
    checkTensor("backward", "gradient", gradient);
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw new ShapeError(
        `backward: gradient shape ${formatShape(gradient.shape)} does not match output shape ${
          formatShape(root.shape)
        }`,
      );
    }
    if (gradient.dtype !== "float32") {
      throw new DTypeError(`backward: gradient must be float32, got ${gradient.dtype}`);
    }
    checkSameDevice("backward", root, gradient);
  }
  return o.retainGraph === undefined
    ? false
    : checkBoolean("backward", "retainGraph", o.retainGraph);
}

/** Options of {@link backward}. */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again. */
  retainGraph?: boolean;
}

/**
 * Runs reverse-mode autograd from `root` (what `t.backward()` calls).
 *
 * @param root the output to differentiate
 * @param gradient dL/droot; omitted only for single-element roots (then 1)
 * @param opts `retainGraph`
 * @throws {AutogradError} when root does not require grad, is non-scalar without a gradient,
 *   the graph was freed, or a saved tensor was modified in place
 * @throws {ShapeError} when `gradient`'s shape is not root's
 * @throws {DTypeError} when `gradient` is not float32
 * @throws {TypeError} when `gradient` is not a Tensor, or for a bad option
 */
export function backward(
  root: Tensor,
  gradient?: Tensor | null,
  opts: BackwardOptions = {},
): void {
  const retainGraph = checkBackwardArgs(root, gradient, opts);
  if (!root._requiresGrad) {
    throw new AutogradError(
      "Cannot run backward: the tensor does not require grad and has no grad_fn",
    );
  }
  let g: Tensor;
  if (gradient == null) {
    if (root.size !== 1) {
      throw new AutogradError(
        `Cannot run backward: the gradient can be implied only for single-element outputs, got shape ${
          formatShape(root.shape)
        }; pass a gradient of that shape`,
      );
    }
    g = onesLike(root);
  } else {
    g = gradient;
    g.storage.heldAsGrad = true; // the caller's tensor: copy before storing it as .grad
  }
  if (root._node === null) {
    accumulate(root, g);
    return;
  }
  const order = topoOrder(root);
  const prev = gradEnabled;
  gradEnabled = false;
  const recycler = new Recycler(backendFor(root.device));
  const pending = new PendingGrads(recycler);
  try {
    root._pending = g;
    recycler.hold(g);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const tg = pending.take(t);
      if (tg === null) continue;
      if (t._retainGrad) accumulate(t, tg);
      const node = t._node!;
      const saved = node.saved;
      if (saved === null) {
        throw new AutogradError(
          `Cannot run backward: the graph through ${node.op} was freed by an earlier backward(); pass { retainGraph: true } to the first call`,
        );
      }
      for (let j = 0; j < saved.length; j++) {
        if (saved[j].storage.version !== node.versions[j]) {
          throw new AutogradError(
            `Cannot run backward: a tensor needed for the gradient of ${node.op} was modified in place (version ${
              saved[j].storage.version
            }, expected ${node.versions[j]})`,
          );
        }
      }
      const x0 = node.inputs[0];
      if (node.op === "slice" && x0._node !== null && x0._requiresGrad) {
        // added into its part of the input's gradient, not padded with zeros first
        const { dim, start, step } = node.args;
        pending.addSlice(x0, dim!, start!, step ?? 1, tg);
        recycler.unhold(tg);
        recycler.flush();
        continue;
      }
      const grads = backwardRule(node.op)(tg, node, saved);
      if (!retainGraph && saved.length > 0) {
        node.saved = null;
        disposeInternal(saved);
      }
      const inputs = node.inputs;
      for (let j = 0; j < inputs.length; j++) {
        const x = inputs[j];
        let gx = grads[j];
        if (gx === null || gx === undefined || !x._requiresGrad) continue;
        if (!shapesEqual(gx.shape, x.shape)) {
          const full = gx;
          gx = unbroadcast(full, x.shape);
          if (gx.storage !== full.storage) recycler.drop(full);
        }
        if (x._node === null) {
          accumulate(x, gx);
          recycler.drop(gx);
        } else pending.add(x, gx);
      }
      recycler.unhold(tg);
      recycler.flush();
    }
  } finally {
    gradEnabled = prev;
    for (let i = 0; i < order.length; i++) order[i]._pending = null;
  }
}

/** Tensors with nodes reachable from root, children before parents. */
function topoOrder(root: Tensor): Tensor[] {
  const stamp = ++epoch;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  root._mark = stamp;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = t._node!.inputs;
    const i = next[top];
    if (i < inputs.length) {
      next[top] = i + 1;
      const c = inputs[i];
      if (c._node !== null && c._requiresGrad && c._mark !== stamp) {
        c._mark = stamp;
        stack.push(c);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  return order;
}

/** Adds `g` into `t.grad`, owning the storage it keeps. */
function accumulate(t: Tensor, g: Tensor): void {
  if (t.grad === null) {
    const own = g.storage.heldAsGrad || !g.isContiguous() || g.offset !== 0 ||
        g.storage.length !== g.size || g.dtype !== t.dtype
      ? g.clone()
      : g;
    own.storage.heldAsGrad = true;
    t.grad = own.shape.length === t.shape.length ? own : own.reshape(t.shape);
  } else {
    const sum = t.grad.add(g);
    sum.storage.heldAsGrad = true;
    t.grad = sum;
  }
}
