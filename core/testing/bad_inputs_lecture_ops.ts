// deno-fmt-ignore-file -- one case per line, so the table reads as a table
/**
 * Bad inputs to the ops added for the lectures and nanoGPT (sort/argsort/topk, cumsum/prod,
 * amax/amin, norm, all/any/isclose/allclose, select/narrow/unbind/flip/repeat, the unary
 * math, F.linear, randperm), with tensors on a given device: run on the CPU
 * (core/validation_test.ts) and on WebGPU (core/webgpu/validation_test.ts). Every call fails
 * in argument checking, before a kernel runs.
 *
 * @module
 */

import {
  allclose,
  amax,
  type CreateOptions,
  cumsum,
  type Device,
  F,
  flip,
  isclose,
  type NestedArray,
  norm,
  prod,
  randperm,
  repeat,
  select,
  sort,
  tensor,
  topk,
  zeros,
} from "../../mod.ts";
import type { BadInput } from "./bad_inputs.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/**
 * The bad inputs of the lecture ops on `device`.
 *
 * @param device where the tensors are made
 * @returns the cases
 */
export function lectureOpBadInputs(device: Device): BadInput[] {
  const T = (data: NestedArray, o: CreateOptions = {}) => tensor(data, { ...o, device });
  const x = () => T([[1, 2, 3], [4, 5, 6]]);
  const bad = (v: unknown) => v as Any;
  return [
    // sorting
    ["topk k above the dim's size", () => topk(x(), 4), "RangeError", /^topk: k must be an integer in \[0, 3\], got 4$/],
    ["topk fractional k", () => x().topk(1.5), "RangeError", /^topk: k must be an integer in \[0, 3\], got 1.5$/],
    ["topk k a string", () => x().topk(bad("2")), "TypeError", /^topk: k must be an integer in \[0, 3\], got "2" \(a string\)$/],
    ["topk dim out of range", () => x().topk(1, 2), "IndexError", /^topk: dim 2 is out of range for a 2-d tensor/],
    ["topk largest a string", () => x().topk(1, -1, bad({ largest: "yes" })), "TypeError", /^topk: largest must be true or false, got "yes"/],
    ["sort misspelt option", () => sort(x(), -1, bad({ descend: true })), "TypeError", /^sort: unknown option descend; did you mean descending\?$/],
    ["sort of an array", () => sort(bad([3, 1])), "TypeError", /^sort: input must be a Tensor, got an array \[3, 1\]$/],
    ["argsort dim a string", () => x().argsort(bad("0")), "TypeError", /^argsort: dim must be an integer, got "0" \(a string\)$/],
    // scans and reductions
    ["cumsum without a dim", () => bad(x()).cumsum(), "TypeError", /^cumsum: dim must be an integer, got undefined$/],
    ["cumsum dim out of range", () => cumsum(x(), -3), "IndexError", /^cumsum: dim -3 is out of range/],
    ["prod keepdims", () => prod(x(), 0, bad({ keepdims: true })), "TypeError", /^prod: unknown option keepdims; did you mean keepdim\?$/],
    ["prod keepdim a number", () => x().prod(0, bad({ keepdim: 1 })), "TypeError", /^prod: keepdim must be true or false, got 1$/],
    ["amax of an empty dim", () => amax(T([]).reshape(2, 0), 1), "IndexError", /^amax: cannot reduce dim 1 of size 0 \(shape \(2, 0\)\): no identity$/],
    ["amin dims with a string", () => x().amin(bad([0, "1"])), "TypeError", /^amin: dim\[1\] must be an integer, got "1" \(a string\)$/],
    ["amax repeated dim", () => x().amax([1, -1]), "IndexError", /^amax: dim 1 appears more than once$/],
    ["norm p 0", () => norm(x(), 0), "RangeError", /^norm: p must be a number > 0, Infinity or -Infinity, got 0$/],
    ["norm p nuc", () => x().norm(bad("nuc")), "TypeError", /^norm: p must be a number, got "nuc" \(a string\)$/],
    ["norm of int32", () => T([3, 4], { dtype: "int32" }).norm(), "DTypeError", /^norm: expected a float32 tensor, got int32; cast with .float\(\)$/],
    ["all keep option", () => x().all(0, bad({ keep: true })), "TypeError", /^all: unknown option keep; did you mean keepdim\?$/],
    ["any dim out of range", () => x().any(2), "IndexError", /^any: dim 2 is out of range/],
    ["isclose equal_nan", () => isclose(x(), x(), bad({ equal_nan: true })), "TypeError", /^isclose: unknown option equal_nan; did you mean equalNan\?$/],
    ["isclose negative rtol", () => x().isclose(x(), { rtol: -1 }), "RangeError", /^isclose: rtol must be a number >= 0, got -1$/],
    ["isclose shapes that do not broadcast", () => x().isclose(T([1, 2])), "ShapeError", /^isclose: cannot broadcast shapes \(2, 3\) and \(2\)/],
    ["allclose other a string", () => allclose(x(), bad("1")), "TypeError", /^allclose: other must be a Tensor, got "1" \(a string\)$/],
    // views
    ["select index past the end", () => select(x(), 1, 3), "IndexError", /^select: index 3 is out of range for dim 1 of size 3 \(shape \(2, 3\)\)$/],
    ["select fractional index", () => x().select(0, 0.5), "RangeError", /^select: index must be an integer, got 0.5$/],
    ["narrow past the end", () => x().narrow(1, 2, 2), "IndexError", /^narrow: start 2 \+ length 2 passes the end of dim 1 of size 3$/],
    ["narrow negative length", () => x().narrow(1, 0, -1), "RangeError", /^narrow: length must be an integer >= 0, got -1$/],
    ["unbind of a 0-d tensor", () => T(1).unbind(), "IndexError", /^unbind: cannot pick along a dim of a 0-d tensor/],
    ["flip repeated dim", () => flip(x(), [0, -2]), "IndexError", /^flip: dim 0 appears more than once$/],
    ["flip dims a string", () => flip(x(), bad("0")), "TypeError", /^flip: dims must be a number or an array of numbers, got "0" \(a string\)$/],
    ["repeat with fewer sizes than dims", () => repeat(x(), [2]), "ShapeError", /^repeat: got 1 sizes \[2\] for a 2-d tensor of shape \(2, 3\); give at least one per dim$/],
    ["repeat negative size", () => x().repeat(1, -1), "RangeError", /^repeat: sizes\[1\] must be an integer >= 0, got -1$/],
    // unary math, F.linear, randperm
    ["log10 of a number", () => bad(x().log10).call(5), "TypeError", /^log10: input must be a Tensor, got 5$/],
    ["linear 1-d weight", () => F.linear(x(), T([1, 2, 3])), "ShapeError", /^linear: weight must be 2-d \(out_features, in_features\), got shape \(3\)$/],
    ["linear features that differ", () => F.linear(x(), T([[1, 2]])), "ShapeError", /^linear: input of shape \(2, 3\) does not match weight of shape \(1, 2\)/],
    ["linear bias of the wrong size", () => F.linear(x(), x(), T([1, 2, 3])), "ShapeError", /^linear: bias must have shape \(2\) \(out_features\), got \(3\)$/],
    ["randperm negative", () => randperm(-1, { device }), "RangeError", /^randperm: n must be an integer in \[0, 2147483647\], got -1$/],
    ["randperm bool", () => randperm(3, { dtype: bad("bool"), device }), "DTypeError", /^randperm: dtype must be "int32" or "float32", got "bool"$/],
    ["randperm generater", () => randperm(3, bad({ generater: 1, device })), "TypeError", /^randperm: unknown option generater; did you mean generator\?$/],
    ["randperm over 2 GiB", () => randperm(2 ** 31 - 1, { device }), "RangeError", /^randperm: a int32 tensor of shape \(2147483647\) needs 8589934588 bytes/],
    ["zeros-shaped select dim", () => zeros([2, 0], { device }).select(1, 0), "IndexError", /^select: index 0 is out of range for dim 1 of size 0/],
  ];
}
