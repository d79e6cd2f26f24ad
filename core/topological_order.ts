/**
 * Topological order of a computation graph: every node after its children.
 * Shared by `Value.backward()` and `valueToSvg()`, and generic over any node with
 * `children`, so a learner's own kata `Value` works too.
 *
 * @module
 */

import { describe } from "./describe.ts";

/**
 * The nodes reachable from `root`, children before parents (root last).
 * Iterative depth-first search, so deep graphs do not overflow the stack.
 * Works on any node type with `children` (a `Value`, or a kata's own Value).
 *
 * @typeParam T the node type
 * @param root the output node
 * @param visited where seen nodes are marked (a new `Set` by default)
 * @returns every node once, in topological order
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { topologicalOrder } from "./topological_order.ts";
 * import { Value } from "./value.ts";
 * const a = new Value(1);
 * const y = a.mul(2).add(a);
 * equal(topologicalOrder(y).at(-1), y);
 * equal(topologicalOrder(y)[0], a);
 * ```
 */
export function topologicalOrder<T extends { readonly children: readonly T[] }>(
  root: T,
  visited: VisitedMarks<T> = new Set<T>(),
): T[] {
  if (typeof root !== "object" || root === null || !Array.isArray(root.children)) {
    throw new TypeError(
      `topologicalOrder: root must be a node with a children array, got ${describe(root)}`,
    );
  }
  if (typeof visited?.has !== "function" || typeof visited?.add !== "function") {
    throw new TypeError(
      `topologicalOrder: visited must be a Set or have has() and add(), got ${describe(visited)}`,
    );
  }
  const order: T[] = [];
  // Two parallel stacks: a node and the index of its next child to visit.
  const nodes: T[] = [root];
  const nextChild: number[] = [0];
  visited.add(root);
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const next = nextChild[top];
    if (next < node.children.length) {
      nextChild[top] = next + 1;
      const child = node.children[next];
      if (!visited.has(child)) {
        visited.add(child);
        nodes.push(child);
        nextChild.push(0);
      }
    } else {
      nodes.pop();
      nextChild.pop();
      order.push(node);
    }
  }
  return order;
}

/** How a traversal remembers the nodes it has seen: a `Set` or anything shaped like one. */
export interface VisitedMarks<T> {
  /** Whether `node` was seen. */
  has(node: T): boolean;
  /** Marks `node` as seen. */
  add(node: T): unknown;
}
