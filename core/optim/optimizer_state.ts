/**
 * An optimizer's state dict (PyTorch's layout: per-parameter state keyed by the parameter's
 * position across groups, and the groups' hyper-parameters) and its safetensors checkpoint, so
 * a training run can stop and resume with the same moments and step counts.
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import { loadSafetensors, saveSafetensors } from "../io/safetensors.ts";
import { fromSafetensors, toSafetensors } from "../nn/checkpoint.ts";
import { StateDictError } from "../nn/state_dict.ts";
import { Tensor } from "../tensor.ts";
import { checkNumbers, checkString, describe } from "../validate.ts";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Tensor);

/** Throws unless `groups` are parameter groups and `state` a Map. */
function checkGroups(op: string, groups: unknown, state: unknown): void {
  if (!Array.isArray(groups) || !groups.every((g) => isRecord(g) && Array.isArray(g.params))) {
    throw new TypeError(
      `${op}: groups must be an array of { params, ... } groups, got ${describe(groups)}`,
    );
  }
  if (!(state instanceof Map)) {
    throw new TypeError(
      `${op}: state must be a Map of per-parameter state, got ${describe(state)}`,
    );
  }
}

/** Throws unless `sd` has the layout of an {@link OptimizerStateDict}. */
function checkOptimizerStateDict(op: string, sd: unknown): asserts sd is OptimizerStateDict {
  const bad = (what: string, v: unknown) => {
    throw new TypeError(`${op}: ${what}, got ${describe(v)}`);
  };
  if (!isRecord(sd)) bad("the state dict must be an object { state, paramGroups }", sd);
  const { state, paramGroups } = sd as Record<string, unknown>;
  if (!isRecord(state)) bad("state must be an object of per-parameter records", state);
  if (!Array.isArray(paramGroups)) bad("paramGroups must be an array of groups", paramGroups);
  (paramGroups as unknown[]).forEach((g, i) => {
    if (!isRecord(g)) bad(`paramGroups[${i}] must be an object`, g);
    checkNumbers(op, `paramGroups[${i}].params`, (g as Record<string, unknown>).params, {
      integer: true,
      min: 0,
    });
  });
  for (const [k, rec] of Object.entries(state as Record<string, unknown>)) {
    if (!isRecord(rec)) bad(`state[${JSON.stringify(k)}] must be an object`, rec);
    for (const [f, v] of Object.entries(rec as Record<string, unknown>)) {
      if (typeof v !== "number" && !(v instanceof Tensor)) {
        bad(`state[${JSON.stringify(k)}].${f} must be a Tensor or a number`, v);
      }
    }
  }
}

/** A state record of one parameter: tensors (moments) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/** What `Optimizer.stateDict()` returns and `Optimizer.loadStateDict()` takes. */
export interface OptimizerStateDict {
  /** Per-parameter state by the parameter's position across all groups ("0", "1", ...). */
  state: Record<string, ParamState>;
  /** Each group's hyper-parameters and its parameters' positions. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Snapshots groups and state (tensors are copied, so later steps leave the snapshot alone).
 *
 * @typeParam G a group: its `params` and hyper-parameters
 * @param groups the optimizer's parameter groups
 * @param state its per-parameter state
 * @returns the state dict
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { exportOptimizerState } from "./optimizer_state.ts";
 * const p = tensor([1], { requiresGrad: true });
 * const sd = exportOptimizerState([{ params: [p], lr: 0.1 }], new Map([[p, { step: 3 }]]));
 * deepEqual(sd, { state: { 0: { step: 3 } }, paramGroups: [{ lr: 0.1, params: [0] }] });
 * ```
 */
export function exportOptimizerState<G extends { params: Tensor[] }>(
  groups: readonly G[],
  state: ReadonlyMap<Tensor, unknown>,
): OptimizerStateDict {
  checkGroups("exportOptimizerState", groups, state);
  const out: OptimizerStateDict = { state: {}, paramGroups: [] };
  let i = 0;
  for (const { params, ...hyper } of groups) {
    out.paramGroups.push({ ...structuredClone(hyper), params: params.map(() => i++) });
  }
  groups.flatMap((g) => g.params).forEach((p, j) => {
    const s = state.get(p) as ParamState | undefined;
    if (s) {
      out.state[j] = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, typeof v === "number" ? v : v.detach().clone()]),
      );
    }
  });
  return out;
}

/**
 * Restores groups' hyper-parameters and the per-parameter state from a state dict.
 *
 * @typeParam G a group: its `params` and hyper-parameters
 * @param name the optimizer's name (error messages)
 * @param groups the optimizer's parameter groups (hyper-parameters are overwritten)
 * @param state its per-parameter state (replaced)
 * @param sd the state dict
 * @throws {StateDictError} when the group count or a group's parameter count differs
 * @throws {ShapeError} when a state tensor's shape differs from its parameter's
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { importOptimizerState } from "./optimizer_state.ts";
 * const p = tensor([1], { requiresGrad: true });
 * const groups = [{ params: [p], lr: 0.1 }];
 * const state = new Map();
 * importOptimizerState("SGD", groups, state, {
 *   state: { 0: { momentumBuffer: tensor([0.5]) } },
 *   paramGroups: [{ lr: 0.01, params: [0] }],
 * });
 * equal(groups[0].lr, 0.01);
 * equal(state.get(p).momentumBuffer.itemSync(), 0.5);
 * ```
 */
export function importOptimizerState<G extends { params: Tensor[] }>(
  name: string,
  groups: readonly G[],
  state: Map<Tensor, unknown>,
  sd: OptimizerStateDict,
): void {
  checkString("importOptimizerState", "name", name);
  checkGroups("importOptimizerState", groups, state);
  checkOptimizerStateDict(`${name}.loadStateDict`, sd);
  const fail = (why: string) => {
    throw new StateDictError(`Cannot load ${name} state: ${why}`);
  };
  if (sd.paramGroups.length !== groups.length) {
    fail(`the state dict has ${sd.paramGroups.length} groups, the optimizer ${groups.length}`);
  }
  sd.paramGroups.forEach((g, i) => {
    if (g.params.length !== groups[i].params.length) {
      fail(
        `group ${i} has ${g.params.length} parameters in the state dict, ` +
          `${groups[i].params.length} in the optimizer`,
      );
    }
  });
  const params = groups.flatMap((g) => g.params);
  const restored = new Map<Tensor, ParamState>();
  for (const [key, s] of Object.entries(sd.state)) {
    const p = params[Number(key)];
    if (p === undefined) fail(`state for parameter ${key}, which the optimizer does not have`);
    const copy: ParamState = {};
    for (const [k, v] of Object.entries(s)) {
      if (typeof v !== "number" && v.shape.join() !== p.shape.join()) {
        throw new ShapeError(
          `Cannot load ${name} state: "${key}.${k}" has shape ${formatShape(v.shape)} but the ` +
            `parameter has shape ${formatShape(p.shape)}`,
        );
      }
      copy[k] = typeof v === "number" ? v : v.detach().clone();
    }
    restored.set(p, copy);
  }
  sd.paramGroups.forEach(({ params: _, ...hyper }, i) => Object.assign(groups[i], hyper));
  state.clear();
  for (const [p, s] of restored) state.set(p, s);
}

/**
 * Splits an optimizer state dict into what a safetensors file holds: the tensors, named
 * `state.<i>.<key>`, and a JSON string with the numbers (step counts) and the groups'
 * hyper-parameters — to store beside a model's tensors in one checkpoint.
 *
 * @param sd `optimizer.stateDict()`
 * @returns the tensors and the JSON text
 * @throws {TypeError} when sd is not an optimizer state dict
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { AdamW } from "./adam.ts";
 * import { optimizerStateFromTensors, optimizerStateToTensors } from "./optimizer_state.ts";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new AdamW([w]);
 * w.grad = tensor([0.5, -0.5]);
 * opt.step();
 * const { tensors, json } = optimizerStateToTensors(opt.stateDict());
 * deepEqual(Object.keys(tensors), ["state.0.expAvg", "state.0.expAvgSq"]);
 * deepEqual(optimizerStateFromTensors(tensors, json).state[0].step, 1);
 * ```
 */
export function optimizerStateToTensors(
  sd: OptimizerStateDict,
): { tensors: Record<string, Tensor>; json: string } {
  checkOptimizerStateDict("optimizerStateToTensors", sd);
  const tensors: Record<string, Tensor> = {};
  const numbers: Record<string, number> = {};
  for (const [i, s] of Object.entries(sd.state)) {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === "number") numbers[`${i}.${k}`] = v;
      else tensors[`state.${i}.${k}`] = v;
    }
  }
  return { tensors, json: JSON.stringify({ paramGroups: sd.paramGroups, numbers }) };
}

/**
 * Joins what {@linkcode optimizerStateToTensors} split back into a state dict.
 *
 * @param tensors the `state.<i>.<key>` tensors (other names are ignored)
 * @param json the JSON text
 * @returns the state dict, for `optimizer.loadStateDict(...)`
 * @throws {StateDictError} when the JSON is not an optimizer state
 */
export function optimizerStateFromTensors(
  tensors: Record<string, Tensor>,
  json: string,
): OptimizerStateDict {
  checkString("optimizerStateFromTensors", "json", json);
  let parsed: { paramGroups?: unknown; numbers?: unknown };
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new StateDictError("Cannot load optimizer state: its metadata is not JSON");
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.paramGroups) || !isRecord(parsed.numbers)) {
    throw new StateDictError("Cannot load optimizer state: expected { paramGroups, numbers }");
  }
  const state: Record<string, ParamState> = {};
  const at = (i: string) => (state[i] ??= {});
  for (const [name, t] of Object.entries(tensors)) {
    const [head, i, k] = name.split(".");
    if (head === "state" && k !== undefined) at(i)[k] = t;
  }
  for (const [name, v] of Object.entries(parsed.numbers as Record<string, number>)) {
    const [i, k] = name.split(".");
    at(i)[k] = v;
  }
  const sd = { state, paramGroups: parsed.paramGroups } as OptimizerStateDict;
  checkOptimizerStateDict("optimizerStateFromTensors", sd);
  return sd;
}

/**
 * Writes an optimizer state dict to a safetensors file: tensors as `state.<i>.<key>`, numbers
 * and group hyper-parameters as JSON in the `optimizer` metadata entry.
 *
 * @param path the file
 * @param sd `optimizer.stateDict()`
 * @returns when written
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { SGD } from "./sgd.ts";
 * import { saveOptimizerState } from "./optimizer_state.ts";
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.grad = tensor([1]);
 * opt.step();
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveOptimizerState(path, opt.stateDict()); // state.0.momentumBuffer
 * ok((await Deno.stat(path)).size > 0);
 * await Deno.remove(path);
 * ```
 */
export async function saveOptimizerState(path: string, sd: OptimizerStateDict): Promise<void> {
  checkString("saveOptimizerState", "path", path);
  checkOptimizerStateDict("saveOptimizerState", sd);
  const { tensors, json } = optimizerStateToTensors(sd);
  await saveSafetensors(path, await toSafetensors(tensors), { optimizer: json });
}

/**
 * Reads a file written by {@linkcode saveOptimizerState}.
 *
 * @param path the file
 * @returns the state dict, for `optimizer.loadStateDict(...)`
 * @throws {StateDictError} when the file has no `optimizer` metadata
 * @throws {SafetensorsError} for an invalid file
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { AdamW } from "./adam.ts";
 * import { loadOptimizerState, saveOptimizerState } from "./optimizer_state.ts";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new AdamW([w]);
 * w.grad = tensor([0.5, -0.5]);
 * opt.step();
 * const path = await Deno.makeTempFile({ suffix: ".safetensors" });
 * await saveOptimizerState(path, opt.stateDict());
 * const again = new AdamW([tensor([1, 2], { requiresGrad: true })]);
 * again.loadStateDict(await loadOptimizerState(path));
 * const [a, b] = [again.stateDict(), opt.stateDict()];
 * deepEqual(a.paramGroups, b.paramGroups);
 * const values = (s: typeof a) =>
 *   Object.entries(s.state[0]).sort().map(([k, v]) =>
 *     [k, typeof v === "number" ? v : [...v.dataSync()]]
 *   );
 * deepEqual(values(a), values(b)); // tensors compared by value (storages differ)
 * await Deno.remove(path);
 * ```
 */
export async function loadOptimizerState(path: string): Promise<OptimizerStateDict> {
  checkString("loadOptimizerState", "path", path);
  const file = await loadSafetensors(path);
  if (file.metadata.optimizer === undefined) {
    throw new StateDictError(`Cannot load optimizer state from ${path}: no "optimizer" metadata`);
  }
  return optimizerStateFromTensors(fromSafetensors(file.tensors), file.metadata.optimizer);
}
