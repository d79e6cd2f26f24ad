/**
 * A `Value` graph as Graphviz DOT (micrograd's `draw_dot`, as text): one record
 * per value with its label, data and grad, one node per operation.
 *
 * @module
 */

import { topologicalOrder } from "./topological_order.ts";

/** What a graph node needs to be drawn (a `Value` has it). */
export interface DotNode {
  /** the value */
  readonly data: number;
  /** its gradient */
  readonly grad: number;
  /** the operation that made it ("" for a leaf) */
  readonly op: string;
  /** a name to show */
  readonly label: string;
  /** its operands */
  readonly children: readonly DotNode[];
}

/**
 * The graph that ends at `root`, as DOT text.
 *
 * @param root the output value
 * @returns `digraph { … }`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { graphToDot } from "./value_dot.ts";
 * const leaf = { data: 2, grad: 0, op: "", label: "a", children: [] };
 * ok(graphToDot(leaf).includes("data 2"));
 * ```
 */
export function graphToDot(root: DotNode): string {
  const nodes = topologicalOrder(root);
  const id = new Map(nodes.map((n, i) => [n, `v${i}`]));
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));
  const esc = (s: string) => s.replace(/[{}|<>"\\]/g, (c) => "\\" + c);
  const lines = ["digraph {", "  rankdir=LR;"];
  for (const n of nodes) {
    const v = id.get(n)!;
    lines.push(
      `  ${v} [label="{ ${esc(n.label)} | data ${fmt(n.data)} | grad ${
        fmt(n.grad)
      } }", shape=record];`,
    );
    if (n.op) {
      lines.push(`  ${v}_op [label="${esc(n.op)}"];`);
      lines.push(`  ${v}_op -> ${v};`);
      // One edge per distinct operand (micrograd keeps them in a set): a + a has one.
      for (const c of new Set(n.children)) lines.push(`  ${id.get(c)} -> ${v}_op;`);
    }
  }
  lines.push("}");
  return lines.join("\n");
}
