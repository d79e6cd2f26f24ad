/**
 * Seeded random expression graphs for kata 01's finite-difference checks.
 * A program is evaluated twice: with plain numbers (the test's own reference,
 * independent of the learner's code) and with the learner's Values.
 *
 * @module
 */
import type { Value } from "./value.ts";

/** One operation of a random program; `a`, `b` index earlier nodes (leaves first). */
export type Instr =
  | { op: "add" | "mul" | "sub" | "div"; a: number; b: number }
  | { op: "neg" | "tanh" | "exp" | "log" | "relu" | "sigmoid"; a: number }
  | { op: "pow" | "addNum" | "mulNum"; a: number; k: number };

/** A random expression: leaf values, instructions, and the output as a sum of nodes. */
export interface Program {
  /** The leaves' values, in [-2, 2]. */
  leaves: number[];
  /** Node `leaves.length + i` is `instrs[i]` applied to earlier nodes. */
  instrs: Instr[];
  /** The nodes that nothing else uses; the output is their sum. */
  outputs: number[];
}

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPS = [
  "add",
  "mul",
  "sub",
  "div",
  "neg",
  "tanh",
  "exp",
  "log",
  "relu",
  "sigmoid",
  "pow",
  "addNum",
  "mulNum",
] as const;
const POWERS = [2, 3, -1, 0.5];

/**
 * A random program of `size` operations, with every intermediate kept in a
 * range where finite differences are accurate (no division by ~0, no log of
 * ≤ 0.2, no ReLU input within 1e-3 of its kink).
 */
export function randomProgram(seed: number, size: number): Program {
  const r = rng(seed);
  const nLeaves = Math.max(2, Math.floor(size / 4));
  const leaves = Array.from({ length: nLeaves }, () => 4 * r() - 2);
  const nums = [...leaves];
  const instrs: Instr[] = [];
  const used = new Set<number>();
  const pick = () => Math.floor(nums.length * (1 - r() * r())); // favours recent nodes
  for (let i = 0; i < size; i++) {
    const op = OPS[Math.floor(r() * OPS.length)];
    const a = pick(), b = pick(), k = op === "pow" ? POWERS[Math.floor(r() * 4)] : 4 * r() - 2;
    let instr: Instr = op === "pow" || op === "addNum" || op === "mulNum"
      ? { op, a, k }
      : op === "add" || op === "mul" || op === "sub" || op === "div"
      ? { op, a, b }
      : { op, a };
    const x = nums[a], y = nums[b];
    const safe = (op !== "div" || Math.abs(y) > 0.5) && (op !== "exp" || x < 3) &&
      (op !== "log" || x > 0.2) && (op !== "relu" || Math.abs(x) > 1e-3) &&
      (op !== "pow" || (k === -1 ? Math.abs(x) > 0.5 : k !== 0.5 || x > 0.2));
    if (!safe || !(Math.abs(step(instr, nums)) < 50)) instr = { op: "tanh", a };
    nums.push(step(instr, nums));
    instrs.push(instr);
    used.add(a);
    if ("b" in instr) used.add(instr.b);
  }
  const outputs = nums.map((_, i) => i).filter((i) => i >= nLeaves && !used.has(i));
  return { leaves, instrs, outputs };
}

function step(s: Instr, v: number[]): number {
  const x = v[s.a];
  switch (s.op) {
    case "add":
      return x + v[s.b];
    case "mul":
      return x * v[s.b];
    case "sub":
      return x - v[s.b];
    case "div":
      return x / v[s.b];
    case "neg":
      return -x;
    case "tanh":
      return Math.tanh(x);
    case "exp":
      return Math.exp(x);
    case "log":
      return Math.log(x);
    case "relu":
      return x > 0 ? x : 0;
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "pow":
      return x ** s.k;
    case "addNum":
      return x + s.k;
    case "mulNum":
      return x * s.k;
    default:
      return s satisfies never;
  }
}

/**
 * The program in the learner's API, for failure messages: every step
 * (`t0 = x1.mul(x0); t1 = t0.tanh(); y = t1`) for a short program, the ops and
 * how often each occurs for a long one.
 */
export function describeProgram(p: Program, maxSteps = 8): string {
  const n = p.leaves.length;
  const name = (i: number) => (i < n ? `x${i}` : `t${i - n}`);
  const num = (k: number) => String(Number(k.toFixed(3)));
  const counts = new Map<string, number>();
  const steps = p.instrs.map((s, i) => {
    const op = s.op === "addNum" ? "add(number)" : s.op === "mulNum" ? "mul(number)" : s.op;
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const a = name(s.a);
    const call = "b" in s
      ? `${a}.${s.op}(${name(s.b)})`
      : "k" in s
      ? `${a}.${s.op === "pow" ? "pow" : s.op === "addNum" ? "add" : "mul"}(${num(s.k)})`
      : `${a}.${s.op}()`;
    return `${name(n + i)} = ${call}`;
  });
  if (p.instrs.length <= maxSteps) {
    return [...steps, `y = ${p.outputs.map(name).join(" + ")}`].join("; ");
  }
  const ops = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([op, c]) => `${op} ×${c}`);
  return ops.join(", ");
}

/** The program's output for the given leaf values, with plain numbers. */
export function evalNumbers(p: Program, leaves: readonly number[]): number {
  const v = [...leaves];
  for (const s of p.instrs) v.push(step(s, v));
  return p.outputs.reduce((sum, i) => sum + v[i], 0);
}

/** The program built from the learner's Values; returns the output node. */
export function evalValues(p: Program, leaves: readonly Value[]): Value {
  const v = [...leaves];
  for (const s of p.instrs) {
    const x = v[s.a];
    switch (s.op) {
      case "add":
        v.push(x.add(v[s.b]));
        break;
      case "mul":
        v.push(x.mul(v[s.b]));
        break;
      case "sub":
        v.push(x.sub(v[s.b]));
        break;
      case "div":
        v.push(x.div(v[s.b]));
        break;
      case "pow":
        v.push(x.pow(s.k));
        break;
      case "addNum":
        v.push(x.add(s.k));
        break;
      case "mulNum":
        v.push(x.mul(s.k));
        break;
      default:
        v.push(x[s.op]());
    }
  }
  return p.outputs.slice(1).reduce((sum, i) => sum.add(v[i]), v[p.outputs[0]]);
}
