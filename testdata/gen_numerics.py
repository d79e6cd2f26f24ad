"""Edge-case fixtures of pow and the activations, generated once from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gen_numerics.py
Writes testdata/numerics/pow_edges.json and testdata/numerics/activations.json.
Tests never run this script (core/webgpu/numerics_test.ts reads the files).

pow_edges.json: {"header", "a": [..], "b": [..], "out": [[..]], "grad_a": [[..]], "grad_b": [[..]]}
  out[i][j] = a[i] ** b[j] in float32; grad_a/grad_b its gradients (upstream gradient 1).
activations.json: {"header", "x": [..], "<fn>": {"f32": [..], "grad_f32": [..], "exact": [..],
  "grad_exact": [..]}} for fn in tanh, gelu, gelu_tanh at the float32 points x (a grid over
  [-10, 10], values near 0, +-Inf, NaN): forward and d/dx from torch in float32, and "exact":
  the same functions in float64 written without cancellation (math.erfc, x*sigmoid(2u)), since
  torch's float64 1 + erf(x/sqrt 2) and 1 + tanh(u) are 0 below x = -8.3 and -7.1. The exact
  values are checked here to agree with torch.float64 to 1e-9 relative on |x| <= 5; at
  non-finite x they are torch.float64's.
Non-finite floats are the strings "NaN", "Infinity", "-Infinity"; -0.0 stays -0.0.
"""

import json
import math
import os
import platform

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "numerics")
HEADER = {"generator": "testdata/gen_numerics.py", "torch": torch.__version__,
          "python": platform.python_version(), "numpy": np.__version__}


def num(x, digits):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return -0.0 if math.copysign(1, x) < 0 else 0
    return float(f"{x:.{digits}g}")


def f32(values):
    # 9 significant digits read back as the same float32
    return [num(v, 9) for v in np.asarray(values, dtype=np.float32).reshape(-1).tolist()]


def f64(values):
    return [num(v, 17) for v in np.asarray(values, dtype=np.float64).reshape(-1).tolist()]


def pow_edges():
    nan, inf = float("nan"), float("inf")
    a = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, inf, -inf, nan]
    b = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5, -0.5, 2.5, inf, -inf, nan]
    ta = torch.tensor(a, dtype=torch.float32).reshape(-1, 1).expand(len(a), len(b)).clone()
    tb = torch.tensor(b, dtype=torch.float32).reshape(1, -1).expand(len(a), len(b)).clone()
    ta.requires_grad_(True)
    tb.requires_grad_(True)
    out = ta ** tb
    out.backward(torch.ones_like(out))
    rows = lambda t: [f32(r) for r in t.detach().numpy()]
    return {"header": HEADER, "a": f32(a), "b": f32(b), "out": rows(out), "grad_a": rows(ta.grad),
            "grad_b": rows(tb.grad)}


C, A = math.sqrt(2 / math.pi), 0.044715


def exact(name, x):
    """(f(x), f'(x)) in float64 without cancellation; None for non-finite x."""
    if not math.isfinite(x):
        return None
    if name == "tanh":
        return math.tanh(x), 1 / math.cosh(x) ** 2
    if name == "gelu":
        cdf = 0.5 * math.erfc(-x / math.sqrt(2))
        return x * cdf, cdf + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    u = C * (x + A * x ** 3)
    e = math.exp(-2 * abs(u))
    s, c = (1 / (1 + e), e / (1 + e)) if u >= 0 else (e / (1 + e), 1 / (1 + e))
    return x * s, s + x * s * c * 2 * C * (1 + 3 * A * x * x)


def activations():
    grid = np.arange(-200, 201, dtype=np.float64) * 0.05  # [-10, 10] step 0.05
    tiny = [1e-30, -1e-30, 1e-20, 1e-12, -1e-12, 1e-8, -1e-8, 1e-6, -1e-6, 1e-4, -1e-4, 1e-3, -1e-3,
            0.0, -0.0, -0.7518, -5.0, -9.0, 9.0, -9.01, 9.01]
    special = [float("inf"), float("-inf"), float("nan")]
    x32 = np.concatenate([grid, tiny, special]).astype(np.float32)
    fns = {
        "tanh": torch.tanh,
        "gelu": lambda t: F.gelu(t),
        "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
    }
    out = {"header": HEADER, "x": f32(x32)}
    for name, fn in fns.items():
        rec = {}
        raw = {}
        for dtype, key in ((torch.float32, "f32"), (torch.float64, "f64")):
            t = torch.tensor(x32, dtype=dtype, requires_grad=True)
            y = fn(t)
            y.backward(torch.ones_like(y))
            raw[key] = (y.detach().numpy(), t.grad.numpy())
        rec["f32"], rec["grad_f32"] = f32(raw["f32"][0]), f32(raw["f32"][1])
        ys, gs = raw["f64"]
        pairs = [exact(name, float(v)) or (y, g) for v, y, g in zip(x32, ys, gs)]
        for i, v in enumerate(x32):
            for e, r in ((pairs[i][0], ys[i]), (pairs[i][1], gs[i])):
                if math.isfinite(v) and abs(v) <= 5 and abs(e) > 1e-300:
                    assert abs(e - r) <= 1e-9 * abs(e), (name, float(v), e, float(r))
        rec["exact"] = f64([p[0] for p in pairs])
        rec["grad_exact"] = f64([p[1] for p in pairs])
        out[name] = rec
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in (("pow_edges", pow_edges()), ("activations", activations())):
        with open(os.path.join(OUT, name + ".json"), "w") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.write("\n")


if __name__ == "__main__":
    main()
