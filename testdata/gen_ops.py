"""Golden fixtures for the katagrad op suite, generated once from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gen_ops.py
Writes testdata/ops/<family>.json. Tests never run this script.

Format of each file:
  {"header": {torch, python, numpy, seed, generator},
   "cases": [{"name", "op", "kwargs", "inputs": [T], "outputs": [T],
              "w": [T | null] (one per output), "grads": [T | null] (one per input)}]}
  T = {"shape": [..], "dtype": "float32" | "int32" | "bool", "data": [flat row-major]}
Non-finite floats are the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
Gradients are those of  sum_i sum(outputs[i] * w[i])  for the fixed random directions w[i]; an
input gets a gradient when it is float32 and the case is differentiable. Inputs come from numpy
with a fixed seed and are stored, so the TypeScript side needs no RNG parity. Integer tensors are
int64 for torch (its index dtype) and stored as int32 (katagrad's index dtype).
"""

import json
import math
import os
import platform
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 1337
rng = np.random.default_rng(SEED)
torch.manual_seed(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ops")

families = {}


# ---- inputs -------------------------------------------------------------------------------------

def f(*shape, lo=-2.0, hi=2.0):
    """Uniform float32 values in [lo, hi), rounded to 4 decimals so the JSON stays short."""
    return np.round(rng.uniform(lo, hi, size=shape), 4).astype(np.float32)


def pos(*shape, lo=0.2, hi=3.0):
    return f(*shape, lo=lo, hi=hi)


def away(*shape, gap=0.1):
    """Floats at least `gap` away from 0 (for relu/abs/clamp kinks)."""
    x = f(*shape)
    return np.where(np.abs(x) < gap, x + np.sign(x + 1e-9) * gap * 2, x).astype(np.float32)


def ints(*shape, lo=0, hi=5):
    return rng.integers(lo, hi, size=shape).astype(np.int64)


def distinct(*shape):
    """A random permutation of distinct values (no ties for max/min/argmax)."""
    n = int(np.prod(shape)) if shape else 1
    return (rng.permutation(n).astype(np.float32) * 0.37 - n * 0.15).reshape(shape).astype(np.float32)


def lit(values, dtype=np.float32):
    return np.array(values, dtype=dtype)


NAN, INF = float("nan"), float("inf")


# ---- encoding -----------------------------------------------------------------------------------

def dtype_name(t):
    if t.dtype in (torch.float32, torch.float64):
        return "float32"
    if t.dtype in (torch.int64, torch.int32):
        return "int32"
    if t.dtype == torch.bool:
        return "bool"
    raise ValueError(f"unexpected dtype {t.dtype}")


def num(x, kind):
    if kind == "bool":
        return bool(x)
    if kind == "int32":
        return int(x)
    x = float(np.float32(x))
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    # numpy prints the shortest decimal that reads back as the same float32.
    v = float(str(np.float32(x)))
    return int(v) if v == int(v) and abs(v) < 1e15 and not (v == 0 and math.copysign(1, v) < 0) else v


def enc(t):
    if not isinstance(t, torch.Tensor):
        t = torch.from_numpy(np.asarray(t))
    t = t.detach()
    kind = dtype_name(t)
    flat = t.reshape(-1).tolist()
    return {"shape": list(t.shape), "dtype": kind, "data": [num(x, kind) for x in flat]}


def to_torch(a, grad):
    t = torch.from_numpy(np.array(a))
    if t.dtype == torch.float32 and grad:
        t.requires_grad_(True)
    return t


def case(family, name, op, fn, inputs, kwargs=None, grad=True):
    """Runs fn(*torch inputs, kwargs) and records outputs, directions w and input gradients.

    grad: whether float inputs get gradients (a list gives one flag per input; running
    statistics of batch norm are buffers, not differentiable inputs)."""
    kwargs = kwargs or {}
    flags = grad if isinstance(grad, list) else [grad] * len(inputs)
    ts = [to_torch(a, g) for a, g in zip(inputs, flags)]
    out = fn(*ts, kwargs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    rec = {"name": f"{op}/{name}", "op": op, "kwargs": kwargs, "inputs": [enc(a) for a in inputs]}
    rec["outputs"] = [enc(o) for o in outs]
    ws, total = [], None
    wants = any(t.requires_grad for t in ts)
    for o in outs:
        if wants and o.dtype == torch.float32 and o.requires_grad:
            w = torch.from_numpy(np.array(np.round(rng.standard_normal(size=tuple(o.shape)), 4), dtype=np.float32))
            ws.append(enc(w))
            term = (o * w).sum()
            total = term if total is None else total + term
        else:
            ws.append(None)
    rec["w"] = ws
    grads = [None] * len(ts)
    if total is not None:
        total.backward()
        for i, t in enumerate(ts):
            if t.requires_grad:
                g = t.grad if t.grad is not None else torch.zeros_like(t)
                grads[i] = enc(g)
    rec["grads"] = grads
    families.setdefault(family, []).append(rec)


# ---- creation ------------------------------------------------------------------------------------

def creation():
    c = "creation"
    case(c, "end5", "arange", lambda k: torch.arange(k["end"]), [], {"end": 5}, grad=False)
    case(c, "start_end", "arange", lambda k: torch.arange(k["start"], k["end"]), [],
         {"start": -3, "end": 4}, grad=False)
    case(c, "float_step", "arange", lambda k: torch.arange(k["start"], k["end"], k["step"]), [],
         {"start": 0, "end": 1, "step": 0.3}, grad=False)
    case(c, "negative_step", "arange", lambda k: torch.arange(k["start"], k["end"], k["step"]), [],
         {"start": 5, "end": -2, "step": -2}, grad=False)
    case(c, "empty", "arange", lambda k: torch.arange(k["start"], k["end"]), [],
         {"start": 3, "end": 3}, grad=False)
    case(c, "float_dtype", "arange", lambda k: torch.arange(k["end"], dtype=torch.float32), [],
         {"end": 4, "dtype": "float32"}, grad=False)
    for s, e, n in [(0, 1, 5), (-1, 1, 7), (2, -3, 4), (3, 3, 1), (0, 1, 0), (0, 10, 11)]:
        case(c, f"{s}_{e}_{n}", "linspace", lambda k: torch.linspace(k["start"], k["end"], k["steps"]),
             [], {"start": s, "end": e, "steps": n}, grad=False)
    case(c, "n3", "eye", lambda k: torch.eye(k["n"]), [], {"n": 3}, grad=False)
    case(c, "n2_m5", "eye", lambda k: torch.eye(k["n"], k["m"]), [], {"n": 2, "m": 5}, grad=False)
    case(c, "n4_m3", "eye", lambda k: torch.eye(k["n"], k["m"]), [], {"n": 4, "m": 3}, grad=False)
    case(c, "2x3", "zeros", lambda k: torch.zeros(k["shape"]), [], {"shape": [2, 3]}, grad=False)
    case(c, "0x4", "zeros", lambda k: torch.zeros(k["shape"]), [], {"shape": [0, 4]}, grad=False)
    case(c, "scalar", "ones", lambda k: torch.ones(k["shape"]), [], {"shape": []}, grad=False)
    case(c, "3x1x2", "ones", lambda k: torch.ones(k["shape"]), [], {"shape": [3, 1, 2]}, grad=False)
    case(c, "2x3_value", "full", lambda k: torch.full(k["shape"], k["value"]), [],
         {"shape": [2, 3], "value": -1.5}, grad=False)
    case(c, "int", "full", lambda k: torch.full(k["shape"], k["value"], dtype=torch.int32), [],
         {"shape": [4], "value": 7, "dtype": "int32"}, grad=False)
    case(c, "2x5", "zerosLike", lambda x, k: torch.zeros_like(x), [f(2, 5)], grad=False)
    case(c, "3x2", "onesLike", lambda x, k: torch.ones_like(x), [f(3, 2)], grad=False)
    case(c, "float_to_int", "to", lambda x, k: x.to(torch.int32), [lit([-2.7, -0.5, 0.0, 1.9, 3.2])],
         {"dtype": "int32"}, grad=False)
    case(c, "int_to_float", "to", lambda x, k: x.to(torch.float32), [ints(2, 3, lo=-4, hi=9)],
         {"dtype": "float32"}, grad=False)
    case(c, "float_to_bool", "to", lambda x, k: x.to(torch.bool), [lit([0.0, -0.0, 2.0, NAN])],
         {"dtype": "bool"}, grad=False)
    case(c, "bool_to_float", "to", lambda x, k: x.to(torch.float32), [lit([True, False, True], bool)],
         {"dtype": "float32"}, grad=False)


# ---- elementwise ---------------------------------------------------------------------------------

BIN_SHAPES = [
    ("3x4_3x4", (3, 4), (3, 4)),
    ("3x1_1x5", (3, 1), (1, 5)),
    ("2x3x4_4", (2, 3, 4), (4,)),
    ("5_scalar", (5,), ()),
    ("2x1x3_4x1", (2, 1, 3), (4, 1)),
    ("0x3_1x3", (0, 3), (1, 3)),
]


def elementwise():
    e = "elementwise"
    binops = {
        "add": lambda a, b, k: a + b,
        "sub": lambda a, b, k: a - b,
        "mul": lambda a, b, k: a * b,
        "div": lambda a, b, k: a / b,
        "maximum": lambda a, b, k: torch.maximum(a, b),
        "minimum": lambda a, b, k: torch.minimum(a, b),
    }
    for op, fn in binops.items():
        for name, sa, sb in BIN_SHAPES:
            b = away(*sb, gap=0.3) if op == "div" else f(*sb)
            case(e, name, op, fn, [f(*sa), b])
        case(e, "scalar_other", op, lambda a, k, fn=fn: fn(a, torch.tensor(k["other"]), k),
             [f(2, 3)], {"other": 0.75})
    case(e, "pow_scalar2", "pow", lambda a, k: a ** k["exponent"], [f(3, 4)], {"exponent": 2})
    case(e, "pow_scalar_half", "pow", lambda a, k: a ** k["exponent"], [pos(5)], {"exponent": 0.5})
    case(e, "pow_scalar_neg", "pow", lambda a, k: a ** k["exponent"], [pos(2, 3)], {"exponent": -1.5})
    case(e, "pow_tensor", "pow", lambda a, b, k: a ** b, [pos(3, 4), f(1, 4)])
    unary = {
        "neg": (lambda a, k: -a, f), "exp": (lambda a, k: a.exp(), f),
        "log": (lambda a, k: a.log(), pos), "sqrt": (lambda a, k: a.sqrt(), pos),
        "abs": (lambda a, k: a.abs(), away), "tanh": (lambda a, k: a.tanh(), f),
        "relu": (lambda a, k: a.relu(), away), "sigmoid": (lambda a, k: a.sigmoid(), f),
    }
    for op, (fn, gen) in unary.items():
        case(e, "3x5", op, fn, [gen(3, 5)])
        case(e, "2x3x2", op, fn, [gen(2, 3, 2)])
        case(e, "scalar", op, fn, [gen()])
        case(e, "0x2", op, fn, [gen(0, 2)])
    for approx in ["none", "tanh"]:
        case(e, f"{approx}_4x7", "gelu", lambda a, k: F.gelu(a, approximate=k["approximate"]),
             [f(4, 7, lo=-4, hi=4)], {"approximate": approx})
    case(e, "min_max", "clamp", lambda a, k: a.clamp(k["min"], k["max"]), [away(4, 6)],
         {"min": -0.5, "max": 1.0})
    case(e, "min_only", "clamp", lambda a, k: a.clamp(min=k["min"]), [away(3, 5)], {"min": 0.25})
    case(e, "max_only", "clamp", lambda a, k: a.clamp(max=k["max"]), [away(7)], {"max": -0.25})
    cmp = {
        "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge,
    }
    for op, fn in cmp.items():
        # Values on a coarse grid so ties (where le/ge differ from lt/gt) really occur.
        a, b = np.round(f(3, 4)).astype(np.float32), np.round(f(1, 4)).astype(np.float32)
        case(e, "3x4_1x4_ties", op, lambda x, y, k, fn=fn: fn(x, y), [a, b], grad=False)
        case(e, "scalar_other", op, lambda x, k, fn=fn: fn(x, k["other"]),
             [np.round(f(2, 5) * 2).astype(np.float32) / 2], {"other": 0.5}, grad=False)
        case(e, "int", op, lambda x, y, k, fn=fn: fn(x, y), [ints(6, lo=-2, hi=3), ints(6, lo=-2, hi=3)],
             grad=False)
    cond = lambda *s: rng.random(size=s) < 0.5  # noqa: E731
    case(e, "3x4", "where", lambda c_, a, b, k: torch.where(c_, a, b), [cond(3, 4), f(3, 4), f(3, 4)])
    case(e, "broadcast", "where", lambda c_, a, b, k: torch.where(c_, a, b),
         [cond(3, 1), f(1, 4), f(3, 4)])
    case(e, "scalar_other", "where", lambda c_, a, k: torch.where(c_, a, torch.tensor(k["other"])),
         [cond(2, 5), f(2, 5)], {"other": -1.0})
    # Integer arithmetic and promotion (torch rules: int+int stays int, int/int is float).
    i1, i2 = ints(2, 3, lo=-5, hi=6), ints(2, 3, lo=1, hi=4)
    case(e, "int_int", "add", lambda a, b, k: a + b, [i1, i2], grad=False)
    case(e, "int_int", "mul", lambda a, b, k: a * b, [i1, i2], grad=False)
    case(e, "int_int", "div", lambda a, b, k: a / b, [i1, i2], grad=False)
    case(e, "int_float", "add", lambda a, b, k: a + b, [i1, f(2, 3)])
    case(e, "int_scalar_float", "mul", lambda a, k: a * k["other"], [i1], {"other": 0.5}, grad=False)
    # NaN and infinities propagate as in torch.
    sp = lit([NAN, INF, -INF, 0.0, -0.0, 1.0, -2.0])
    sq = lit([1.0, INF, INF, 0.0, 0.0, NAN, -INF])
    for op in ["add", "sub", "mul", "div", "maximum", "minimum"]:
        case(e, "nan_inf", op, lambda a, b, k, fn=binops[op]: fn(a, b, k), [sp, sq], grad=False)
    for op, fn in [("exp", torch.exp), ("log", torch.log), ("sqrt", torch.sqrt), ("tanh", torch.tanh),
                   ("sigmoid", torch.sigmoid), ("relu", torch.relu), ("abs", torch.abs),
                   ("neg", torch.neg)]:
        case(e, "nan_inf", op, lambda a, k, fn=fn: fn(a), [sp], grad=False)
    case(e, "nan_inf", "clamp", lambda a, k: a.clamp(k["min"], k["max"]), [sp],
         {"min": -1.0, "max": 1.0}, grad=False)
    case(e, "nan_inf_none", "gelu", lambda a, k: F.gelu(a, approximate=k["approximate"]), [sp],
         {"approximate": "none"}, grad=False)
    case(e, "nan_inf", "pow", lambda a, k: a ** k["exponent"], [sp], {"exponent": 2}, grad=False)
    for op, fn in cmp.items():
        case(e, "nan_inf", op, lambda a, b, k, fn=fn: fn(a, b), [sp, sq], grad=False)


# ---- reductions -----------------------------------------------------------------------------------

def reductions():
    r = "reduce"
    dims = [("all", {}), ("dim0", {"dim": 0}), ("dim1_keepdim", {"dim": 1, "keepdim": True}),
            ("dim_neg1", {"dim": -1}), ("dims_0_2", {"dim": [0, 2]}),
            ("dims_neg1_0_keepdim", {"dim": [-1, 0], "keepdim": True})]

    def red(fn):
        def go(x, k):
            if "dim" not in k:
                return fn(x)
            d = tuple(k["dim"]) if isinstance(k["dim"], list) else k["dim"]
            return fn(x, dim=d, keepdim=k.get("keepdim", False))
        return go
    for op, fn in [("sum", torch.sum), ("mean", torch.mean)]:
        for name, kw in dims:
            case(r, f"3x4x5_{name}", op, red(fn), [f(3, 4, 5)], kw)
        case(r, "7x3_dim1", op, red(fn), [f(7, 3)], {"dim": 1})
        case(r, "scalar_all", op, red(fn), [f()], {})
        case(r, "0x3_dim0", op, red(fn), [f(0, 3)], {"dim": 0})
        case(r, "0x3_all", op, red(fn), [f(0, 3)], {})
        case(r, "nan_inf_dim1", op, red(fn),
             [lit([[1.0, NAN, 2.0], [INF, 1.0, 2.0], [INF, -INF, 0.0], [1.0, 2.0, 3.0]])],
             {"dim": 1}, grad=False)
    case(r, "int_all", "sum", lambda x, k: x.sum(), [ints(3, 4, lo=-3, hi=9)], grad=False)
    case(r, "int_dim0", "sum", lambda x, k: x.sum(dim=0), [ints(3, 4, lo=-3, hi=9)], {"dim": 0},
         grad=False)
    case(r, "bool_dim1", "sum", lambda x, k: x.sum(dim=1), [rng.random(size=(3, 5)) < 0.5], {"dim": 1},
         grad=False)
    for op, fn in [("max", torch.max), ("min", torch.min)]:
        case(r, "4x5_all", op, lambda x, k, fn=fn: fn(x), [distinct(4, 5)])
        case(r, "4x5_dim1", op, lambda x, k, fn=fn: fn(x, dim=k["dim"]), [distinct(4, 5)], {"dim": 1})
        case(r, "3x4x2_dim0_keepdim", op, lambda x, k, fn=fn: fn(x, dim=k["dim"], keepdim=True),
             [distinct(3, 4, 2)], {"dim": 0, "keepdim": True})
        case(r, "3x4x2_dim_neg1", op, lambda x, k, fn=fn: fn(x, dim=k["dim"]), [distinct(3, 4, 2)],
             {"dim": -1})
        case(r, "nan_dim1", op, lambda x, k, fn=fn: fn(x, dim=k["dim"]),
             [lit([[1.0, NAN, 3.0], [INF, 2.0, -INF], [-1.0, -5.0, 2.0]])], {"dim": 1}, grad=False)
        case(r, "nan_all", op, lambda x, k, fn=fn: fn(x), [lit([1.0, NAN, -INF, INF])], grad=False)
    case(r, "all", "argmax", lambda x, k: x.argmax(), [distinct(3, 5)], grad=False)
    case(r, "dim0", "argmax", lambda x, k: x.argmax(dim=0), [distinct(3, 5)], {"dim": 0}, grad=False)
    case(r, "dim1_keepdim", "argmax", lambda x, k: x.argmax(dim=1, keepdim=True), [distinct(4, 3)],
         {"dim": 1, "keepdim": True}, grad=False)
    case(r, "nan", "argmax", lambda x, k: x.argmax(dim=1),
         [lit([[1.0, NAN, 3.0], [INF, 2.0, -INF]])], {"dim": 1}, grad=False)
    case(r, "dim1", "argmin", lambda x, k: x.argmin(dim=1), [distinct(4, 3)], {"dim": 1}, grad=False)
    for op, fn in [("var", torch.var), ("std", torch.std)]:
        for unb in [True, False]:
            tag = "unbiased" if unb else "biased"
            case(r, f"all_{tag}", op, lambda x, k, fn=fn: fn(x, unbiased=k["unbiased"]), [f(4, 5)],
                 {"unbiased": unb})
            case(r, f"dim1_{tag}", op, lambda x, k, fn=fn: fn(x, dim=k["dim"], unbiased=k["unbiased"]),
                 [f(3, 7)], {"dim": 1, "unbiased": unb})
            case(r, f"dim0_keepdim_{tag}", op,
                 lambda x, k, fn=fn: fn(x, dim=k["dim"], unbiased=k["unbiased"], keepdim=True),
                 [f(5, 2, 3)], {"dim": 0, "unbiased": unb, "keepdim": True})
        case(r, "single_unbiased", op, lambda x, k, fn=fn: fn(x, dim=k["dim"], unbiased=True),
             [f(1, 3)], {"dim": 0, "unbiased": True}, grad=False)
    lse = lambda x, k: torch.logsumexp(x, dim=k["dim"], keepdim=k.get("keepdim", False))  # noqa: E731
    case(r, "3x5_dim1", "logsumexp", lse, [f(3, 5)], {"dim": 1})
    case(r, "2x3x4_dim0_keepdim", "logsumexp", lse, [f(2, 3, 4)], {"dim": 0, "keepdim": True})
    case(r, "large_dim_neg1", "logsumexp", lse, [f(2, 4, lo=500, hi=1000)], {"dim": -1})
    case(r, "nan_inf", "logsumexp", lse,
         [lit([[-INF, -INF, -INF], [INF, 1.0, 2.0], [NAN, 1.0, 0.0], [-INF, 0.0, 1.0]])], {"dim": 1},
         grad=False)


# ---- matmul ---------------------------------------------------------------------------------------

def matmul():
    m = "matmul"
    mm = lambda a, b, k: torch.matmul(a, b)  # noqa: E731
    for name, sa, sb in [
        ("3x4_4x5", (3, 4), (4, 5)), ("7x5_5x1", (7, 5), (5, 1)), ("1x6_6x3", (1, 6), (6, 3)),
        ("6x13_13x10", (6, 13), (13, 10)),
        ("2x3x4_2x4x5", (2, 3, 4), (2, 4, 5)), ("2x3x4_4x5", (2, 3, 4), (4, 5)),
        ("3x4_2x4x5", (3, 4), (2, 4, 5)), ("2x1x3x4_3x4x2", (2, 1, 3, 4), (3, 4, 2)),
        ("4_4", (4,), (4,)), ("3x4_4", (3, 4), (4,)), ("4_4x5", (4,), (4, 5)),
        ("2x3x4_4", (2, 3, 4), (4,)), ("4_2x4x5", (4,), (2, 4, 5)),
        ("3x0_0x4", (3, 0), (0, 4)), ("0x4_4x5", (0, 4), (4, 5)),
    ]:
        case(m, name, "matmul", mm, [f(*sa), f(*sb)])
    case(m, "3x5", "t", lambda a, k: a.t(), [f(3, 5)])
    case(m, "vector", "t", lambda a, k: a.t(), [f(4)])
    case(m, "2x3x4", "mT", lambda a, k: a.mT, [f(2, 3, 4)])
    case(m, "nan_inf", "matmul", mm, [lit([[1.0, NAN], [INF, 1.0], [INF, -1.0]]),
                                      lit([[1.0, 0.0], [2.0, 1.0]])], grad=False)


# ---- movement --------------------------------------------------------------------------------------

def movement():
    v = "movement"
    case(v, "3x4_to_2x6", "reshape", lambda a, k: a.reshape(k["shape"]), [f(3, 4)], {"shape": [2, 6]})
    case(v, "2x3x4_to_neg1x4", "reshape", lambda a, k: a.reshape(k["shape"]), [f(2, 3, 4)],
         {"shape": [-1, 4]})
    case(v, "6_to_1x2x3x1", "reshape", lambda a, k: a.reshape(k["shape"]), [f(6)],
         {"shape": [1, 2, 3, 1]})
    case(v, "scalar_to_1", "reshape", lambda a, k: a.reshape(k["shape"]), [f()], {"shape": [1]})
    case(v, "0x3_to_3x0", "reshape", lambda a, k: a.reshape(k["shape"]), [f(0, 3)], {"shape": [3, 0]})
    case(v, "transposed_to_12", "reshape", lambda a, k: a.t().reshape(k["shape"]), [f(3, 4)],
         {"shape": [12], "transposeFirst": True})
    case(v, "4x6_to_neg1x2x3", "view", lambda a, k: a.view(k["shape"]), [f(4, 6)],
         {"shape": [-1, 2, 3]})
    case(v, "3x5_0_1", "transpose", lambda a, k: a.transpose(k["dim0"], k["dim1"]), [f(3, 5)],
         {"dim0": 0, "dim1": 1})
    case(v, "2x3x4_neg1_neg3", "transpose", lambda a, k: a.transpose(k["dim0"], k["dim1"]),
         [f(2, 3, 4)], {"dim0": -1, "dim1": -3})
    case(v, "2x3x4_201", "permute", lambda a, k: a.permute(k["dims"]), [f(2, 3, 4)],
         {"dims": [2, 0, 1]})
    case(v, "2x3x1x4_3102", "permute", lambda a, k: a.permute(k["dims"]), [f(2, 3, 1, 4)],
         {"dims": [3, 1, 0, 2]})
    case(v, "all", "squeeze", lambda a, k: a.squeeze(), [f(1, 3, 1, 2)], {})
    case(v, "dim2", "squeeze", lambda a, k: a.squeeze(k["dim"]), [f(1, 3, 1, 2)], {"dim": 2})
    case(v, "dim_not1", "squeeze", lambda a, k: a.squeeze(k["dim"]), [f(2, 3)], {"dim": 1})
    case(v, "dim0", "unsqueeze", lambda a, k: a.unsqueeze(k["dim"]), [f(3, 4)], {"dim": 0})
    case(v, "dim_neg1", "unsqueeze", lambda a, k: a.unsqueeze(k["dim"]), [f(3, 4)], {"dim": -1})
    case(v, "dim1_scalar", "unsqueeze", lambda a, k: a.unsqueeze(k["dim"]), [f()], {"dim": 0})
    case(v, "3x1_to_3x4", "expand", lambda a, k: a.expand(k["shape"]), [f(3, 1)], {"shape": [3, 4]})
    case(v, "4_to_2x3x4", "expand", lambda a, k: a.expand(k["shape"]), [f(4)], {"shape": [2, 3, 4]})
    case(v, "1x3_neg1", "expand", lambda a, k: a.expand(k["shape"]), [f(1, 3)], {"shape": [5, -1]})
    case(v, "all", "flatten", lambda a, k: a.flatten(), [f(2, 3, 4)], {})
    case(v, "start1", "flatten", lambda a, k: a.flatten(k["startDim"]), [f(2, 3, 4)], {"startDim": 1})
    case(v, "start1_end2", "flatten", lambda a, k: a.flatten(k["startDim"], k["endDim"]),
         [f(2, 3, 4, 2)], {"startDim": 1, "endDim": 2})
    case(v, "transposed", "contiguous", lambda a, k: a.t().contiguous(), [f(3, 4)],
         {"transposeFirst": True})
    sl = lambda a, k: a[(slice(None),) * (k["dim"] % a.dim()) + (slice(k["start"], k["stop"], k["step"]),)]  # noqa: E731,E501
    for name, shape, kw in [
        ("dim0_1_3", (5, 3), {"dim": 0, "start": 1, "stop": 3, "step": 1}),
        ("dim1_step2", (3, 7), {"dim": 1, "start": 0, "stop": 7, "step": 2}),
        ("dim1_neg", (3, 7), {"dim": 1, "start": -5, "stop": -1, "step": 1}),
        ("dim_neg1_step3", (2, 3, 8), {"dim": -1, "start": 1, "stop": None, "step": 3}),
        ("dim0_open_start", (6, 2), {"dim": 0, "start": None, "stop": -2, "step": 2}),
        ("dim0_clamped", (4, 2), {"dim": 0, "start": -10, "stop": 10, "step": 1}),
        ("dim1_empty", (3, 4), {"dim": 1, "start": 3, "stop": 1, "step": 1}),
    ]:
        case(v, name, "slice", sl, [f(*shape)], kw)
    sp = lambda a, k: a.split(k["size"], dim=k["dim"])  # noqa: E731
    case(v, "size2_dim0", "split", sp, [f(5, 3)], {"size": 2, "dim": 0})
    case(v, "sizes_dim1", "split", sp, [f(2, 7)], {"size": [3, 1, 3], "dim": 1})
    case(v, "chunks3_dim0", "chunk", lambda a, k: a.chunk(k["chunks"], dim=k["dim"]), [f(7, 2)],
         {"chunks": 3, "dim": 0})
    case(v, "chunks2_dim_neg1", "chunk", lambda a, k: a.chunk(k["chunks"], dim=k["dim"]), [f(2, 3, 4)],
         {"chunks": 2, "dim": -1})
    ct = lambda *a: torch.cat(a[:-1], dim=a[-1]["dim"])  # noqa: E731
    case(v, "dim0", "cat", ct, [f(2, 3), f(4, 3)], {"dim": 0})
    case(v, "dim1_three", "cat", ct, [f(2, 1), f(2, 3), f(2, 2)], {"dim": 1})
    case(v, "with_empty", "cat", ct, [f(0, 3), f(2, 3)], {"dim": 0})
    case(v, "dim_neg1_3d", "cat", ct, [f(2, 3, 1), f(2, 3, 4)], {"dim": -1})
    st = lambda *a: torch.stack(a[:-1], dim=a[-1]["dim"])  # noqa: E731
    case(v, "dim0", "stack", st, [f(2, 3), f(2, 3), f(2, 3)], {"dim": 0})
    case(v, "dim_neg1", "stack", st, [f(4), f(4)], {"dim": -1})
    case(v, "dim1", "stack", st, [f(3, 2), f(3, 2)], {"dim": 1})


# ---- indexing --------------------------------------------------------------------------------------

def indexing():
    x = "indexing"
    C = f(7, 3)
    for name, X in [("X5", ints(5, hi=7)), ("X4x3", ints(4, 3, hi=7)), ("X2x3x2", ints(2, 3, 2, hi=7)),
                    ("X_repeats", lit([1, 1, 1, 4, 1], np.int64)), ("X_scalar", lit(5, np.int64)),
                    ("X_negative", lit([-1, 0, -7, 2], np.int64)), ("X_empty", lit([], np.int64))]:
        case(x, name, "index", lambda c, i, k: c[i], [C, X])
    case(x, "3d_source", "index", lambda c, i, k: c[i], [f(4, 2, 3), ints(2, 2, hi=4)])
    case(x, "1d_source", "index", lambda c, i, k: c[i], [f(6), ints(3, 2, hi=6)])
    for name, n, c_ in [("5x4", 5, 4), ("32x27", 32, 27)]:
        probs = f(n, c_, lo=0.0, hi=1.0)
        ys = ints(n, hi=c_)
        case(x, name, "pick", lambda p, y, k: p[torch.arange(p.shape[0]), y], [probs, ys])
    g = lambda s, i, k: torch.gather(s, k["dim"], i)  # noqa: E731
    case(x, "dim1", "gather", g, [f(3, 5), ints(3, 4, hi=5)], {"dim": 1})
    case(x, "dim0", "gather", g, [f(4, 3), ints(2, 3, hi=4)], {"dim": 0})
    case(x, "dim_neg1_3d", "gather", g, [f(2, 3, 4), ints(2, 3, 2, hi=4)], {"dim": -1})
    case(x, "dim1_smaller", "gather", g, [f(4, 5), ints(2, 3, hi=5)], {"dim": 1})
    isel = lambda s, i, k: torch.index_select(s, k["dim"], i)  # noqa: E731
    case(x, "dim0", "indexSelect", isel, [f(5, 3), lit([4, 0, 4, 2], np.int64)], {"dim": 0})
    case(x, "dim1", "indexSelect", isel, [f(2, 6), lit([5, 1], np.int64)], {"dim": 1})
    case(x, "dim_neg1_3d", "indexSelect", isel, [f(2, 3, 4), lit([3, 3, 0], np.int64)], {"dim": -1})
    mf = lambda s, m, k: s.masked_fill(m, float(k["value"]))  # noqa: E731
    case(x, "same_shape", "maskedFill", mf, [f(3, 4), rng.random(size=(3, 4)) < 0.4], {"value": 0.5})
    causal = np.tril(np.ones((4, 4), dtype=bool)) == 0
    case(x, "causal_neg_inf", "maskedFill", mf, [f(2, 4, 4), causal], {"value": "-Infinity"})
    case(x, "broadcast_row", "maskedFill", mf, [f(3, 5), rng.random(size=(1, 5)) < 0.5],
         {"value": -2.0})
    for op, fn in [("tril", torch.tril), ("triu", torch.triu)]:
        for name, shape, d in [("4x4", (4, 4), 0), ("3x5_diag1", (3, 5), 1),
                               ("5x3_diag_neg1", (5, 3), -1), ("2x3x3", (2, 3, 3), 0)]:
            case(x, name, op, lambda a, k, fn=fn: fn(a, k["diagonal"]), [f(*shape)], {"diagonal": d})
    oh = lambda i, k: F.one_hot(i, k["numClasses"])  # noqa: E731
    case(x, "classes5", "oneHot", oh, [ints(6, hi=5)], {"numClasses": 5})
    case(x, "2d_classes4", "oneHot", oh, [ints(2, 3, hi=4)], {"numClasses": 4})
    case(x, "inferred", "oneHot", lambda i, k: F.one_hot(i), [lit([0, 3, 1], np.int64)],
         {"numClasses": -1})

    def put(N, i1, i2, k):
        N = N.clone()
        N.index_put_((i1, i2), torch.tensor(k["value"], dtype=N.dtype), accumulate=True)
        return N
    case(x, "bigram_counts", "indexPutAdd", put,
         [np.zeros((5, 5), dtype=np.int64), ints(30, hi=5), ints(30, hi=5)], {"value": 1}, grad=False)
    case(x, "float_value", "indexPutAdd", put,
         [np.zeros((3, 4), dtype=np.float32), lit([0, 2, 0, 0], np.int64), lit([1, 3, 1, 0], np.int64)],
         {"value": 0.5}, grad=False)

    def put1(N, i1, v, k):
        N = N.clone()
        N.index_put_((i1,), v, accumulate=True)
        return N
    case(x, "rows_values", "indexPutAdd", put1,
         [np.zeros((4, 2), dtype=np.float32), lit([3, 0, 3], np.int64), f(3, 2)], {}, grad=False)


# ---- functional ------------------------------------------------------------------------------------

def functional():
    fn = "functional"
    for op, g in [("softmax", F.softmax), ("logSoftmax", F.log_softmax)]:
        case(fn, "4x7_dim1", op, lambda a, k, g=g: g(a, dim=k["dim"]), [f(4, 7)], {"dim": 1})
        case(fn, "5x3_dim0", op, lambda a, k, g=g: g(a, dim=k["dim"]), [f(5, 3)], {"dim": 0})
        case(fn, "2x3x4_dim_neg1", op, lambda a, k, g=g: g(a, dim=k["dim"]), [f(2, 3, 4)],
             {"dim": -1})
        case(fn, "large", op, lambda a, k, g=g: g(a, dim=k["dim"]), [f(2, 5, lo=900, hi=1000)],
             {"dim": 1})
        case(fn, "neg_inf_and_nan", op, lambda a, k, g=g: g(a, dim=k["dim"]),
             [lit([[0.5, -INF, 1.0], [-INF, -INF, -INF], [NAN, 0.0, 1.0], [INF, 0.0, 1.0]])],
             {"dim": 1}, grad=False)
    for red in ["mean", "sum", "none"]:
        case(fn, f"5x4_{red}", "crossEntropy",
             lambda a, t, k: F.cross_entropy(a, t, reduction=k["reduction"]),
             [f(5, 4, lo=-3, hi=3), ints(5, hi=4)], {"reduction": red})
        case(fn, f"6x3_{red}", "nll",
             lambda a, t, k: F.nll_loss(a, t, reduction=k["reduction"]),
             [np.log(f(6, 3, lo=0.05, hi=1.0)), ints(6, hi=3)], {"reduction": red})
        case(fn, f"3x4_{red}", "mse", lambda a, b, k: F.mse_loss(a, b, reduction=k["reduction"]),
             [f(3, 4), f(3, 4)], {"reduction": red})
    case(fn, "32x27_mean", "crossEntropy", lambda a, t, k: F.cross_entropy(a, t),
         [f(32, 27, lo=-4, hi=4), ints(32, hi=27)], {"reduction": "mean"})
    case(fn, "large_logits", "crossEntropy", lambda a, t, k: F.cross_entropy(a, t),
         [lit([[1000.0, 0.0, -1000.0], [0.0, 500.0, 1.0]]), lit([1, 1], np.int64)],
         {"reduction": "mean"})
    case(fn, "0x3_sum", "crossEntropy", lambda a, t, k: F.cross_entropy(a, t, reduction="sum"),
         [f(0, 3), lit([], np.int64)], {"reduction": "sum"})
    ln = lambda a, w, b, k: F.layer_norm(a, k["normalizedShape"], w, b, eps=k["eps"])  # noqa: E731
    case(fn, "4x6_affine", "layerNorm", ln, [f(4, 6), f(6), f(6)], {"normalizedShape": [6], "eps": 1e-5})
    case(fn, "2x3x5_affine", "layerNorm", ln, [f(2, 3, 5), f(5), f(5)],
         {"normalizedShape": [5], "eps": 1e-5})
    case(fn, "2x3x4_last2", "layerNorm", ln, [f(2, 3, 4), f(3, 4), f(3, 4)],
         {"normalizedShape": [3, 4], "eps": 1e-5})
    case(fn, "3x5_plain", "layerNorm", lambda a, k: F.layer_norm(a, k["normalizedShape"], eps=k["eps"]),
         [f(3, 5)], {"normalizedShape": [5], "eps": 1e-5})

    def bn(a, w, b, rm, rv, k):
        rm, rv = rm.detach().clone(), rv.detach().clone()
        y = F.batch_norm(a, rm, rv, w, b, training=k["training"], momentum=k["momentum"], eps=k["eps"])
        return y, rm, rv
    for name, shape, training in [("8x5_train", (8, 5), True), ("4x3x6_train", (4, 3, 6), True),
                                  ("8x5_eval", (8, 5), False), ("4x3x6_eval", (4, 3, 6), False)]:
        c_ = shape[1]
        case(fn, name, "batchNorm", bn,
             [f(*shape, lo=-1, hi=3), f(c_), f(c_), f(c_, lo=-0.5, hi=0.5), pos(c_, lo=0.5, hi=2.0)],
             {"training": training, "momentum": 0.1, "eps": 1e-5},
             grad=[True, True, True, False, False])
    case(fn, "7x4_idx3x2", "embedding", lambda i, w, k: F.embedding(i, w), [ints(3, 2, hi=7), f(7, 4)])
    case(fn, "27x10_idx32x3", "embedding", lambda i, w, k: F.embedding(i, w),
         [ints(32, 3, hi=27), f(27, 10)])
    # Dropout: RNG streams differ, so only the identity cases are exact; the suite checks the scale
    # property (every output is 0 or x / (1 - p)) and the keep rate for p = 0.5 itself.
    case(fn, "p0", "dropout", lambda a, k: F.dropout(a, p=k["p"], training=True), [f(4, 5)],
         {"p": 0.0, "training": True})
    case(fn, "eval", "dropout", lambda a, k: F.dropout(a, p=k["p"], training=False), [f(4, 5)],
         {"p": 0.5, "training": False})
    case(fn, "p1", "dropout", lambda a, k: F.dropout(a, p=k["p"], training=True), [f(3, 2)],
         {"p": 1.0, "training": True})
    # nanoGPT passes ignore_index=-1; label smoothing mixes in the uniform distribution
    for red in ["mean", "sum", "none"]:
        case(fn, f"6x5_ignore_{red}", "crossEntropy",
             lambda a, t, k: F.cross_entropy(a, t, reduction=k["reduction"],
                                             ignore_index=k["ignoreIndex"]),
             [f(6, 5, lo=-3, hi=3), lit([2, -1, 0, 4, -1, 1], np.int64)],
             {"reduction": red, "ignoreIndex": -1})
    case(fn, "5x4_smoothing", "crossEntropy",
         lambda a, t, k: F.cross_entropy(a, t, label_smoothing=k["labelSmoothing"]),
         [f(5, 4, lo=-3, hi=3), ints(5, hi=4)], {"reduction": "mean", "labelSmoothing": 0.1})
    case(fn, "6x5_ignore_smoothing_sum", "crossEntropy",
         lambda a, t, k: F.cross_entropy(a, t, reduction="sum", ignore_index=k["ignoreIndex"],
                                         label_smoothing=k["labelSmoothing"]),
         [f(6, 5, lo=-3, hi=3), lit([-1, 3, 3, 0, -1, 2], np.int64)],
         {"reduction": "sum", "ignoreIndex": -1, "labelSmoothing": 0.25})


# ---- ops the lecture and nanoGPT code reach for (issue 9, section 4) ---------------------------------
# Generated after every older family, so the older cases' random draws (and files) stay identical;
# these functions append cases to existing families and add the "sorting" family.

SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 1.0, -2.0]


def lecture_creation():
    c = "creation"
    rp = lambda k: torch.randperm(k["n"], generator=torch.Generator().manual_seed(k["seed"]))  # noqa: E731
    for n, seed in [(10, 42), (1, 0), (0, 0), (100, 2147483647)]:
        case(c, f"n{n}_seed{seed}", "randperm", rp, [], {"n": n, "seed": seed}, grad=False)
    case(c, "float32", "randperm",
         lambda k: torch.randperm(k["n"], generator=torch.Generator().manual_seed(k["seed"]),
                                  dtype=torch.float32), [], {"n": 7, "seed": 5, "dtype": "float32"},
         grad=False)
    case(c, "int_to_float", "float", lambda x, k: x.float(), [ints(2, 3, lo=-4, hi=9)], grad=False)
    case(c, "float_to_int", "int", lambda x, k: x.int(), [lit([-2.7, -0.5, 0.0, 1.9, 3.2])], grad=False)


def lecture_elementwise():
    e = "elementwise"
    unary = {
        "log10": (torch.log10, pos), "log1p": (torch.log1p, lambda *s: f(*s, lo=-0.9, hi=3.0)),
        "sin": (torch.sin, lambda *s: f(*s, lo=-7.0, hi=7.0)),
        "cos": (torch.cos, lambda *s: f(*s, lo=-7.0, hi=7.0)),
        "rsqrt": (torch.rsqrt, pos), "square": (torch.square, f),
    }
    for op, (fn, gen) in unary.items():
        case(e, "3x5", op, lambda a, k, fn=fn: fn(a), [gen(3, 5)])
        case(e, "2x3x2", op, lambda a, k, fn=fn: fn(a), [gen(2, 3, 2)])
        case(e, "scalar", op, lambda a, k, fn=fn: fn(a), [gen()])
        case(e, "nan_inf", op, lambda a, k, fn=fn: fn(a), [lit(SPECIAL)], grad=False)
    case(e, "small", "log1p", lambda a, k: torch.log1p(a), [lit([1e-7, -1e-6, 1e-4, -1e-3, 2e-2])])
    case(e, "wide", "sin", lambda a, k: torch.sin(a), [f(40, lo=-100.0, hi=100.0)], grad=False)
    case(e, "wide", "cos", lambda a, k: torch.cos(a), [f(40, lo=-100.0, hi=100.0)], grad=False)
    case(e, "powers", "log10", lambda a, k: torch.log10(a), [lit([1e-3, 0.1, 1.0, 10.0, 1000.0])])
    case(e, "int", "square", lambda a, k: torch.square(a), [ints(6, lo=-5, hi=6)], grad=False)
    case(e, "int", "sin", lambda a, k: torch.sin(a), [ints(6, lo=-5, hi=6)], grad=False)


def lecture_reductions():
    r = "reduce"
    dims = [("all", {}), ("dim1", {"dim": 1}), ("dims_0_2_keepdim", {"dim": [0, 2], "keepdim": True}),
            ("dim_neg1", {"dim": -1})]

    def red(fn):
        def go(x, k):
            if "dim" not in k:
                return fn(x)
            d = tuple(k["dim"]) if isinstance(k["dim"], list) else k["dim"]
            return fn(x, dim=d, keepdim=k.get("keepdim", False))
        return go
    for op, fn in [("amax", torch.amax), ("amin", torch.amin)]:
        for name, kw in dims:
            case(r, f"3x4x5_{name}", op, red(fn), [distinct(3, 4, 5)], kw)
        # ties share the gradient evenly, as torch.amax's backward does
        ties = lit([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [-4.0, 0.5, -4.0, 0.5]])
        case(r, "ties_dim1", op, red(fn), [ties], {"dim": 1})
        case(r, "ties_all", op, red(fn), [ties], {})
        case(r, "nan_dim1", op, red(fn), [lit([[1.0, NAN, 2.0], [INF, 1.0, -INF]])], {"dim": 1},
             grad=False)
    pr = lambda x, k: x.prod() if "dim" not in k else x.prod(k["dim"], keepdim=k.get("keepdim", False))  # noqa: E731,E501
    case(r, "3x4_all", "prod", pr, [f(3, 4)], {})
    case(r, "3x4_dim0", "prod", pr, [f(3, 4)], {"dim": 0})
    case(r, "2x3x4_dim1_keepdim", "prod", pr, [f(2, 3, 4)], {"dim": 1, "keepdim": True})
    zeros_ = lit([[2.0, 0.0, 3.0, 0.5], [0.0, 0.0, 1.0, 2.0], [1.5, -2.0, 0.5, 1.0]])
    case(r, "zeros_dim1", "prod", pr, [zeros_], {"dim": 1})
    case(r, "zeros_dim0", "prod", pr, [zeros_], {"dim": 0})
    case(r, "one_zero_all", "prod", pr, [lit([2.0, 0.0, 3.0, 0.5])], {})
    case(r, "int_dim1", "prod", pr, [ints(3, 4, lo=-3, hi=4)], {"dim": 1}, grad=False)
    case(r, "0x3_dim0", "prod", pr, [f(0, 3)], {"dim": 0})
    nm = lambda x, k: torch.norm(x, p=float(k["p"]), dim=(tuple(k["dim"]) if isinstance(k.get("dim"), list) else k.get("dim")), keepdim=k.get("keepdim", False))  # noqa: E731,E501
    for name, kw in [("p2_all", {"p": 2}), ("p2_dim1", {"p": 2, "dim": 1}),
                     ("p1_dim_neg1_keepdim", {"p": 1, "dim": -1, "keepdim": True}),
                     ("inf_dim1", {"p": "Infinity", "dim": 1}), ("neg_inf_dim0", {"p": "-Infinity", "dim": 0}),
                     ("p3_dims_0_1", {"p": 3, "dim": [0, 1]}), ("p1.5_dim1", {"p": 1.5, "dim": 1}),
                     ("p0.5_dim1", {"p": 0.5, "dim": 1})]:
        # max/min |x| from distinct |x| values, so a finite-difference step crosses no kink
        case(r, f"3x4_{name}", "norm", nm, [distinct(3, 4) if "inf" in name else away(3, 4)], kw)
    # a zero row: the gradient there is 0 (the composed sqrt(sum(x^2)) would give NaN)
    zr = lit([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -3.0, 3.0]])
    for name, kw in [("p2", {"p": 2, "dim": 1}), ("p1", {"p": 1, "dim": 1}), ("inf", {"p": "Infinity", "dim": 1}),
                     ("p3", {"p": 3, "dim": 1})]:
        case(r, f"zero_row_{name}", "norm", nm, [zr], kw)
    tf = lambda op: (lambda x, k: getattr(torch, op)(x) if "dim" not in k else getattr(torch, op)(x, k["dim"], keepdim=k.get("keepdim", False)))  # noqa: E731,E501
    for op in ["all", "any"]:
        case(r, "bool_all", op, tf(op), [rng.random(size=(3, 4)) < 0.7], {}, grad=False)
        case(r, "bool_dim1", op, tf(op), [rng.random(size=(4, 3)) < 0.6], {"dim": 1}, grad=False)
        case(r, "float_dim0_keepdim", op, tf(op),
             [lit([[0.0, 1.0, NAN, 0.0], [2.0, 0.0, 1.0, -0.0]])], {"dim": 0, "keepdim": True}, grad=False)
        case(r, "int_all", op, tf(op), [ints(5, lo=0, hi=2)], {}, grad=False)
        case(r, "0x3_dim0", op, tf(op), [np.zeros((0, 3), dtype=np.float32)], {"dim": 0}, grad=False)
    ic = lambda a, b, k: torch.isclose(a, b, rtol=k["rtol"], atol=k["atol"], equal_nan=k["equalNan"])  # noqa: E731
    ac = lambda a, b, k: torch.tensor(torch.allclose(a, b, rtol=k["rtol"], atol=k["atol"], equal_nan=k["equalNan"]))  # noqa: E731,E501
    near_a = lit([1.0, 1.0, 100.0, 0.0, NAN, INF, INF, -INF, 1e-9])
    near_b = lit([1.0, 1.00001, 100.002, 1e-9, NAN, INF, -INF, -INF, 0.0])
    for name, kw in [("default", {"rtol": 1e-5, "atol": 1e-8, "equalNan": False}),
                     ("equal_nan", {"rtol": 1e-5, "atol": 1e-8, "equalNan": True}),
                     ("loose", {"rtol": 1e-3, "atol": 1e-6, "equalNan": False})]:
        case(r, name, "isclose", ic, [near_a, near_b], kw, grad=False)
    case(r, "broadcast", "isclose", ic, [f(3, 4), f(1, 4)], {"rtol": 0.5, "atol": 0.3, "equalNan": False},
         grad=False)
    a_ = f(3, 4)
    for name, b_, kw in [("close", a_ + np.float32(1e-6), {"rtol": 1e-5, "atol": 1e-8, "equalNan": False}),
                         ("far", a_ + np.float32(1e-2), {"rtol": 1e-5, "atol": 1e-8, "equalNan": False}),
                         ("nan_equal", near_a, {"rtol": 1e-5, "atol": 1e-8, "equalNan": True}),
                         ("nan_unequal", near_a, {"rtol": 1e-5, "atol": 1e-8, "equalNan": False})]:
        case(r, name, "allclose", ac, [near_a if "nan" in name else a_, b_], kw, grad=False)
    cs = lambda x, k: torch.cumsum(x, k["dim"])  # noqa: E731
    case(r, "3x4_dim0", "cumsum", cs, [f(3, 4)], {"dim": 0})
    case(r, "3x4_dim1", "cumsum", cs, [f(3, 4)], {"dim": 1})
    case(r, "2x3x4_dim_neg1", "cumsum", cs, [f(2, 3, 4)], {"dim": -1})
    case(r, "2x3x4_dim1", "cumsum", cs, [f(2, 3, 4)], {"dim": 1})
    case(r, "scalar", "cumsum", cs, [f()], {"dim": 0})
    case(r, "long_dim0", "cumsum", cs, [f(300)], {"dim": 0})
    case(r, "int_dim1", "cumsum", cs, [ints(3, 4, lo=-5, hi=6)], {"dim": 1}, grad=False)
    case(r, "bool_dim0", "cumsum", cs, [rng.random(size=(5,)) < 0.5], {"dim": 0}, grad=False)
    case(r, "nan_inf", "cumsum", cs, [lit(SPECIAL)], {"dim": 0}, grad=False)


def lecture_movement():
    v = "movement"
    sel = lambda a, k: a.select(k["dim"], k["index"])  # noqa: E731
    case(v, "emb_T0", "select", sel, [f(2, 3, 4)], {"dim": 1, "index": 0})
    case(v, "dim0_last", "select", sel, [f(3, 4)], {"dim": 0, "index": -1})
    case(v, "dim_neg1", "select", sel, [f(2, 3, 4)], {"dim": -1, "index": 2})
    case(v, "1d", "select", sel, [f(5)], {"dim": 0, "index": 3})
    nw = lambda a, k: a.narrow(k["dim"], k["start"], k["length"])  # noqa: E731
    case(v, "dim0", "narrow", nw, [f(4, 5)], {"dim": 0, "start": 1, "length": 2})
    case(v, "dim1_neg_start", "narrow", nw, [f(4, 5)], {"dim": 1, "start": -3, "length": 3})
    case(v, "empty", "narrow", nw, [f(4, 5)], {"dim": 1, "start": 5, "length": 0})
    ub = lambda a, k: a.unbind(k["dim"])  # noqa: E731
    case(v, "dim0", "unbind", ub, [f(3, 2)], {"dim": 0})
    case(v, "dim_neg1", "unbind", ub, [f(2, 3, 4)], {"dim": -1})
    fl = lambda a, k: a.flip(k["dims"])  # noqa: E731
    case(v, "dim0", "flip", fl, [f(3, 4)], {"dims": [0]})
    case(v, "both", "flip", fl, [f(3, 4)], {"dims": [0, 1]})
    case(v, "3d_neg1_0", "flip", fl, [f(2, 3, 4)], {"dims": [-1, 0]})
    case(v, "size1", "flip", fl, [f(1, 4)], {"dims": [0]})
    rp = lambda a, k: a.repeat(*k["sizes"])  # noqa: E731
    case(v, "2x3_by_2x1", "repeat", rp, [f(2, 3)], {"sizes": [2, 1]})
    case(v, "3_by_2x2", "repeat", rp, [f(3)], {"sizes": [2, 2]})
    case(v, "2x1_by_1x3x2", "repeat", rp, [f(2, 1)], {"sizes": [1, 3, 2]})
    case(v, "ones", "repeat", rp, [f(2, 2)], {"sizes": [1, 1]})
    case(v, "zero", "repeat", rp, [f(1, 2)], {"sizes": [0, 2]})


def sorting():
    s = "sorting"
    so = lambda x, k: torch.sort(x, dim=k["dim"], descending=k["descending"], stable=True)  # noqa: E731
    for name, x_, kw in [("3x5_last", distinct(3, 5), {"dim": -1, "descending": False}),
                         ("3x5_last_desc", distinct(3, 5), {"dim": -1, "descending": True}),
                         ("4x3_dim0", distinct(4, 3), {"dim": 0, "descending": False}),
                         ("2x3x4_dim1_desc", distinct(2, 3, 4), {"dim": 1, "descending": True}),
                         ("7", distinct(7), {"dim": 0, "descending": True}),
                         ("scalar", f(), {"dim": 0, "descending": False}),
                         ("ties_stable", np.round(f(3, 9)).astype(np.float32), {"dim": 1, "descending": False}),
                         ("ties_stable_desc", np.round(f(3, 9)).astype(np.float32), {"dim": 1, "descending": True})]:
        # ties: positions as torch's stable sort; no gradient (a finite difference would cross ties)
        case(s, name, "sort", so, [x_], kw, grad="ties" not in name)
    case(s, "nan_inf", "sort", so, [lit(SPECIAL + [2.5, NAN])], {"dim": 0, "descending": False}, grad=False)
    case(s, "nan_inf_desc", "sort", so, [lit(SPECIAL + [2.5, NAN])], {"dim": 0, "descending": True}, grad=False)
    case(s, "int", "sort", so, [ints(3, 6, lo=-9, hi=9)], {"dim": 1, "descending": True}, grad=False)
    asr = lambda x, k: torch.argsort(x, dim=k["dim"], descending=k["descending"], stable=True)  # noqa: E731
    for name, x_, kw in [("3x5_last", distinct(3, 5), {"dim": -1, "descending": False}),
                         ("4x3_dim0_desc", distinct(4, 3), {"dim": 0, "descending": True}),
                         ("ties_stable", np.round(f(2, 10)).astype(np.float32), {"dim": 1, "descending": True}),
                         ("nan_inf", lit(SPECIAL), {"dim": 0, "descending": False}),
                         ("int", ints(8, lo=-3, hi=3), {"dim": 0, "descending": False})]:
        case(s, name, "argsort", asr, [x_], kw, grad=False)
    tk = lambda x, k: torch.topk(x, k["k"], dim=k["dim"], largest=k["largest"])  # noqa: E731
    for name, x_, kw in [("4x7_k3", distinct(4, 7), {"k": 3, "dim": -1, "largest": True}),
                         ("4x7_k3_smallest", distinct(4, 7), {"k": 3, "dim": -1, "largest": False}),
                         ("6x3_dim0_k2", distinct(6, 3), {"k": 2, "dim": 0, "largest": True}),
                         ("2x5x4_dim1_k5", distinct(2, 5, 4), {"k": 5, "dim": 1, "largest": True}),
                         ("k1", distinct(3, 6), {"k": 1, "dim": 1, "largest": True}),
                         ("k0", distinct(3, 6), {"k": 0, "dim": 1, "largest": True}),
                         ("gpt_logits_2x65_k10", distinct(2, 65), {"k": 10, "dim": -1, "largest": True})]:
        case(s, name, "topk", tk, [x_], kw)
    case(s, "nan_inf", "topk", tk, [lit(SPECIAL + [2.5])], {"k": 4, "dim": 0, "largest": True}, grad=False)
    case(s, "nan_inf_smallest", "topk", tk, [lit(SPECIAL + [2.5])], {"k": 3, "dim": 0, "largest": False},
         grad=False)


def lecture_functional():
    fn = "functional"
    lin = lambda x, w, b, k: F.linear(x, w, b)  # noqa: E731
    case(fn, "4x3_5x3_bias", "F.linear", lin, [f(4, 3), f(5, 3), f(5)])
    case(fn, "2x3x4_6x4_bias", "F.linear", lin, [f(2, 3, 4), f(6, 4), f(6)])
    case(fn, "4_2x4_bias", "F.linear", lin, [f(4), f(2, 4), f(2)])
    case(fn, "3x4_5x4_no_bias", "F.linear", lambda x, w, k: F.linear(x, w), [f(3, 4), f(5, 4)])
    case(fn, "3x5", "F.relu", lambda a, k: F.relu(a), [away(3, 5)])
    case(fn, "3x5", "F.tanh", lambda a, k: torch.tanh(a), [f(3, 5)])
    for approx in ["none", "tanh"]:
        case(fn, f"{approx}_3x5", "F.gelu", lambda a, k: F.gelu(a, approximate=k["approximate"]),
             [f(3, 5, lo=-4, hi=4)], {"approximate": approx})


def main():
    creation()
    elementwise()
    reductions()
    matmul()
    movement()
    indexing()
    functional()
    lecture_creation()
    lecture_elementwise()
    lecture_reductions()
    lecture_movement()
    sorting()
    lecture_functional()
    os.makedirs(OUT, exist_ok=True)
    header = {
        "generator": "testdata/gen_ops.py",
        "torch": torch.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "seed": SEED,
        "grads": "d/d(input) of sum_i sum(outputs[i] * w[i])",
    }
    total = 0
    for fam, cases in families.items():
        path = os.path.join(OUT, f"{fam}.json")
        with open(path, "w") as fh:
            fh.write('{"header": ' + json.dumps(header) + ',\n"cases": [\n')
            fh.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
            fh.write("\n]}\n")
        size = os.path.getsize(path)
        total += size
        print(f"{fam}: {len(cases)} cases, {size} bytes", file=sys.stderr)
    print(f"total {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
