"""Golden fixtures for katagrad's nn and optim, generated once from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/nn/gen_nn.py
Writes testdata/nn/nn.json and testdata/nn/optim.json. Tests never run this script.

Tensors are {"shape": [..], "data": [flat row-major float32 values]} (float32 values written as the
doubles they are, so they round-trip exactly into a Float32Array).
- nn.json "init": modules built right after torch.manual_seed(seed) (the default CPU generator,
  which katagrad's Generator(seed) reproduces); their state dicts, compared bit for bit.
- nn.json "mlp": Sequential(Linear(5, 7), BatchNorm1d(7), Tanh(), Linear(7, 3)) from manual_seed,
  two training steps (cross-entropy, backward, p -= 0.1 * grad), grads and running stats after
  each, then an eval-mode forward.
- nn.json "bn3d": the WaveNet lecture's (N, L, C) batch norm, computed with torch's
  BatchNorm1d on x.permute(0, 2, 1); "layernorm": LayerNorm(6) on (3, 4, 6). Gradients are those
  of sum(y * w) for a fixed w.
- optim.json: SGD/Adam/AdamW on fixed gradients (params after each step), clip_grad_norm_,
  StepLR learning rates and the build-nanogpt warmup + cosine schedule.
"""

import json
import math
import os
import platform

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(4242)
HEADER = {"script": "testdata/nn/gen_nn.py", "torch": torch.__version__,
          "python": platform.python_version(), "numpy": np.__version__}


def T(t):
    t = torch.as_tensor(t).detach().to(torch.float32)
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def f(*shape):
    return torch.tensor(np.round(rng.uniform(-2, 2, size=shape), 4), dtype=torch.float32)


def sd(m):
    return {k: T(v) if v.dtype != torch.int64 else {"shape": list(v.shape), "data": v.reshape(-1).tolist()}
            for k, v in m.state_dict().items()}


# ---- init under manual_seed --------------------------------------------------------------------
init = []
for seed, kind, args in [(42, "Linear", [3, 2]), (2147483647, "Linear", [30, 200]),
                         (7, "LinearNoBias", [10, 4]), (1337, "Embedding", [27, 10]),
                         (3, "Embedding", [3, 4]), (5, "Linear", [1, 17])]:
    torch.manual_seed(seed)
    if kind == "Linear":
        m = nn.Linear(*args)
    elif kind == "LinearNoBias":
        m = nn.Linear(*args, bias=False)
    else:
        m = nn.Embedding(*args)
    init.append({"seed": seed, "kind": kind, "args": args, "state": sd(m)})

# init helpers: kaiming_normal_ with the tanh gain, kaiming_uniform_ (relu), normal_(0, 0.02)
helpers = []
for seed, name, shape in [(11, "kaiming_normal_tanh", [20, 30]), (12, "kaiming_normal_tanh", [3, 4]),
                          (13, "kaiming_uniform_relu", [8, 9]), (14, "normal_0.02", [40, 5])]:
    torch.manual_seed(seed)
    w = torch.empty(*shape)
    if name == "kaiming_normal_tanh":
        nn.init.kaiming_normal_(w, nonlinearity="tanh")
    elif name == "kaiming_uniform_relu":
        nn.init.kaiming_uniform_(w, nonlinearity="relu")
    else:
        nn.init.normal_(w, mean=0.0, std=0.02)
    helpers.append({"seed": seed, "name": name, "value": T(w)})

# ---- a small MLP with batch norm, two training steps ------------------------------------------
torch.manual_seed(1234)
mlp = nn.Sequential(nn.Linear(5, 7), nn.BatchNorm1d(7), nn.Tanh(), nn.Linear(7, 3))
initial = sd(mlp)
steps = []
for step in range(2):
    x = f(6, 5)
    y = torch.tensor(rng.integers(0, 3, size=6), dtype=torch.int64)
    loss = F.cross_entropy(mlp(x), y)
    for p in mlp.parameters():
        p.grad = None
    loss.backward()
    grads = {k: T(p.grad) for k, p in mlp.named_parameters()}
    with torch.no_grad():
        for p in mlp.parameters():
            p -= 0.1 * p.grad
    steps.append({"x": T(x), "y": y.tolist(), "loss": loss.item(), "grads": grads,
                  "state": sd(mlp)})
mlp.eval()
xe = f(4, 5)
mlp_fx = {"seed": 1234, "initial": initial, "steps": steps, "eval": {"x": T(xe), "out": T(mlp(xe))}}

# ---- the lecture's 3-d batch norm (N, L, C) ------------------------------------------------------
bn = nn.BatchNorm1d(5)
with torch.no_grad():
    bn.weight.copy_(f(5))
    bn.bias.copy_(f(5))
x = f(4, 3, 5).requires_grad_()
w = f(4, 3, 5)
yb = bn(x.permute(0, 2, 1)).permute(0, 2, 1)
(yb * w).sum().backward()
bn.eval()
xe3 = f(2, 3, 5)
bn3d = {"weight": T(bn.weight), "bias": T(bn.bias), "x": T(x), "w": T(w), "y": T(yb),
        "gx": T(x.grad), "gweight": T(bn.weight.grad), "gbias": T(bn.bias.grad),
        "running_mean": T(bn.running_mean), "running_var": T(bn.running_var),
        "eval": {"x": T(xe3), "out": T(bn(xe3.permute(0, 2, 1)).permute(0, 2, 1))}}

# ---- LayerNorm ---------------------------------------------------------------------------------
ln = nn.LayerNorm(6)
with torch.no_grad():
    ln.weight.copy_(f(6))
    ln.bias.copy_(f(6))
x = f(3, 4, 6).requires_grad_()
w = f(3, 4, 6)
yl = ln(x)
(yl * w).sum().backward()
layernorm = {"weight": T(ln.weight), "bias": T(ln.bias), "x": T(x), "w": T(w), "y": T(yl),
             "gx": T(x.grad), "gweight": T(ln.weight.grad), "gbias": T(ln.bias.grad)}

with open(os.path.join(HERE, "nn.json"), "w") as fh:
    json.dump({"header": HEADER, "init": init, "init_helpers": helpers, "mlp": mlp_fx,
               "bn3d": bn3d, "layernorm": layernorm}, fh)

# ---- optimizers on fixed gradients --------------------------------------------------------------
SHAPES = {"w1": [3, 4], "b1": [4], "w2": [2, 3, 2], "g": [5]}
STEPS = 5
start = {k: f(*s) for k, s in SHAPES.items()}
grads = [{k: f(*s) for k, s in SHAPES.items()} for _ in range(STEPS)]
for g in grads:  # tiny gradients on "g", where Adam's eps (1e-8) dominates the denominator
    g["g"] = (g["g"] * 1e-8).to(torch.float32)


def run(make):
    params = {k: v.clone().requires_grad_() for k, v in start.items()}
    opt = make(params)
    trace = []
    for g in grads:
        for k, p in params.items():
            p.grad = g[k].clone()
        opt.step()
        trace.append({k: T(p) for k, p in params.items()})
    return trace


configs = [
    ("sgd_momentum", {"lr": 0.1, "momentum": 0.9},
     lambda p: torch.optim.SGD(p.values(), lr=0.1, momentum=0.9)),
    ("sgd_nesterov_wd", {"lr": 0.05, "momentum": 0.9, "weightDecay": 0.01, "nesterov": True},
     lambda p: torch.optim.SGD(p.values(), lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)),
    ("sgd_dampening", {"lr": 0.1, "momentum": 0.5, "dampening": 0.1, "weightDecay": 0.001},
     lambda p: torch.optim.SGD(p.values(), lr=0.1, momentum=0.5, dampening=0.1, weight_decay=0.001)),
    ("sgd_plain", {"lr": 0.3},
     lambda p: torch.optim.SGD(p.values(), lr=0.3)),
    ("adamw_defaults", {},
     lambda p: torch.optim.AdamW(p.values())),
    ("adamw_groups", {"lr": 3e-3, "betas": [0.9, 0.95], "eps": 1e-8,
                      "groups": [{"params": ["w1", "w2"], "weightDecay": 0.1},
                                 {"params": ["b1", "g"], "weightDecay": 0.0}]},
     lambda p: torch.optim.AdamW([{"params": [p["w1"], p["w2"]], "weight_decay": 0.1},
                                  {"params": [p["b1"], p["g"]], "weight_decay": 0.0}],
                                 lr=3e-3, betas=(0.9, 0.95), eps=1e-8)),
    ("adam_wd", {"lr": 0.01, "weightDecay": 0.01},
     lambda p: torch.optim.Adam(p.values(), lr=0.01, weight_decay=0.01)),
]
optims = [{"name": n, "kind": n.split("_")[0], "options": o, "trace": run(mk)} for n, o, mk in configs]

clip = []
for max_norm in [1.0, 100.0]:
    ps = [v.clone().requires_grad_() for v in start.values()]
    for p, g in zip(ps, grads[0].values()):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    clip.append({"maxNorm": max_norm, "total": total.item(), "grads": [T(p.grad) for p in ps]})

opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
step_lr = []
for _ in range(10):
    step_lr.append(sched.get_last_lr()[0])
    opt.step()
    sched.step()


def get_lr(it, warmup_steps=10, max_steps=50, max_lr=6e-4, min_lr=6e-5):
    """build-nanogpt's schedule (Let's reproduce GPT-2), verbatim."""
    if it < warmup_steps:
        return max_lr * (it + 1) / warmup_steps
    if it > max_steps:
        return min_lr
    decay_ratio = (it - warmup_steps) / (max_steps - warmup_steps)
    assert 0 <= decay_ratio <= 1
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (max_lr - min_lr)


cosine = [[it, get_lr(it)] for it in range(0, 56)]

with open(os.path.join(HERE, "optim.json"), "w") as fh:
    json.dump({"header": HEADER, "start": {k: T(v) for k, v in start.items()},
               "grads": [{k: T(v) for k, v in g.items()} for g in grads], "optims": optims,
               "clip": clip, "stepLR": {"lr": 0.1, "stepSize": 3, "gamma": 0.5, "lrs": step_lr},
               "warmupCosine": {"warmupSteps": 10, "maxSteps": 50, "maxLr": 6e-4, "minLr": 6e-5,
                                "values": cosine}}, fh)
print("wrote nn.json, optim.json")
