"""Golden numbers for kata 06 (makemore part 3: activations, gradients, BatchNorm), from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gen_kata06.py [path/to/names.txt]
Writes testdata/lectures/makemore_part3.json. Tests never run this script.

Everything follows makemore_part3_bn.ipynb (nn-zero-to-hero 73c3fcc) and the lecture's video, with
torch.Generator().manual_seed(2147483647) for every draw and CPython's random.seed(42) shuffle:
  init      the part-2 MLP (C, W1, b1, W2, b2 drawn in that order) at four stages of the video —
            untuned, softmax fixed (W2*0.01, b2*0), tanh fixed (W1*0.2, b1*0.01), Kaiming
            (W1*(5/3)/sqrt(30), b1*0.01) — on the first minibatch (randint after the draws):
            loss, the fraction of |h| > 0.99, the columns saturated in every row, std of h.
  kaiming   the std torch.nn.init.kaiming_normal_ uses (read back from its draws) for a weight
            of torch's layout (fan_out, fan_in), and the video's x @ w demo.
  bn_mlp    the notebook's BatchNorm'd MLP (cells 6-10) for BN_STEPS steps: losses, running
            mean/std, the calibration pass and split losses with running and calibrated stats
            (on the first ROWS rows of train and dev, to keep the tests quick).
  deep      the notebook's deep network (cells 13-17) for DEEP_STEPS steps: losses, the update
            ratios of every step, and the diagnostics after step 0 and after the last step.
"""

import json
import math
import os
import platform
import random
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
OUT = os.path.join(HERE, "lectures", "makemore_part3.json")
SEED = 2147483647
BN_STEPS = 300
DEEP_STEPS = 100
ROWS = 5000  # the calibration and the split losses use the first ROWS rows of a split (test time)

words = open(NAMES, "r").read().splitlines()
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
block_size = 3


def build_dataset(ws):
    X, Y = [], []
    for w in ws:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


random.seed(42)
random.shuffle(words)
n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])


def num(x):
    """A float for JSON: inf and nan as strings."""
    x = float(x)
    return x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity" if x < 0 else "NaN")


# ---- init: the part-2 MLP at the video's four stages, first minibatch ----------------------------
STAGES = {
    "untuned": dict(W1=1.0, b1=1.0, W2=1.0, b2=1.0),
    "softmax": dict(W1=1.0, b1=1.0, W2=0.01, b2=0.0),
    "tanh": dict(W1=0.2, b1=0.01, W2=0.01, b2=0.0),
    "kaiming": dict(W1=(5 / 3) / (30**0.5), b1=0.01, W2=0.01, b2=0.0),
}
init = {}
for name, s in STAGES.items():
    g = torch.Generator().manual_seed(SEED)
    C = torch.randn((27, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g) * s["W1"]
    b1 = torch.randn(200, generator=g) * s["b1"]
    W2 = torch.randn((200, 27), generator=g) * s["W2"]
    b2 = torch.randn(27, generator=g) * s["b2"]
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    hpreact = C[Xtr[ix]].view(32, -1) @ W1 + b1
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    sat = h.abs() > 0.99
    init[name] = {
        "scales": s,
        "loss": F.cross_entropy(logits, Ytr[ix]).item(),
        "saturation": sat.float().mean().item(),
        "dead": torch.nonzero(sat.all(0)).view(-1).tolist(),
        "h_std": h.std().item(),
        "hpreact_std": hpreact.std().item(),
        "first_ix": ix.tolist()[:4],
    }

# ---- kaiming: the std kaiming_normal_ draws with, read back from its draws ------------------------
kaiming = {}
for nl, fan_in, fan_out in [("tanh", 30, 200), ("relu", 100, 27), ("linear", 200, 30),
                            ("tanh", 100, 100)]:
    w = torch.empty(fan_out, fan_in)  # torch's layout: (out, in)
    torch.manual_seed(0)
    torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity=nl)
    torch.manual_seed(0)
    z = torch.empty(fan_out, fan_in).normal_()
    kaiming[f"{nl}_{fan_in}_{fan_out}"] = (w.double() / z.double()).median().item()
g = torch.Generator().manual_seed(SEED)
x = torch.randn((1000, 10), generator=g)
w = torch.randn((10, 200), generator=g)
demo = {
    "x_std": x.std().item(),
    "y_std_unscaled": (x @ w).std().item(),
    "y_std_linear": (x @ (w * (1 / 10**0.5))).std().item(),
    "y_std_tanh": (x @ (w * ((5 / 3) / 10**0.5))).std().item(),
}

# ---- bn_mlp: the notebook's BatchNorm'd MLP (cells 6-10) -----------------------------------------
g = torch.Generator().manual_seed(SEED)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * (5 / 3) / (30**0.5)
W2 = torch.randn((200, 27), generator=g) * 0.01
b2 = torch.randn(27, generator=g) * 0
W2_first = W2.view(-1)[:3].tolist()
bngain = torch.ones((1, 200))
bnbias = torch.zeros((1, 200))
bnmean_running = torch.zeros((1, 200))
bnstd_running = torch.ones((1, 200))
parameters = [C, W1, W2, b2, bngain, bnbias]
n_params = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True
bn_losses = []
first_batch = None
for i in range(BN_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    hpreact = C[Xb].view(32, -1) @ W1
    bnmeani = hpreact.mean(0, keepdim=True)
    bnstdi = hpreact.std(0, keepdim=True)
    if first_batch is None:
        first_batch = {"mean": bnmeani.view(-1)[:5].tolist(), "std": bnstdi.view(-1)[:5].tolist()}
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
        bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
        bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    logits = torch.tanh(hpreact) @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 100000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    bn_losses.append(loss.item())

Xcal, Ycal = Xtr[:ROWS], Ytr[:ROWS]
Xval, Yval = Xdev[:ROWS], Ydev[:ROWS]
with torch.no_grad():
    hpreact = C[Xcal].view(ROWS, -1) @ W1
    bnmean = hpreact.mean(0, keepdim=True)
    bnstd = hpreact.std(0, keepdim=True)


@torch.no_grad()
def bn_split_loss(X, Y, mean, std):
    hpreact = C[X].view(X.shape[0], -1) @ W1
    hpreact = bngain * (hpreact - mean) / std + bnbias
    return F.cross_entropy(torch.tanh(hpreact) @ W2 + b2, Y).item()


bn_mlp = {
    "parameters": n_params,
    "W2_first": W2_first,
    "steps": BN_STEPS,
    "first_batch": first_batch,
    "losses": bn_losses,
    "running_mean": bnmean_running.view(-1).tolist(),
    "running_std": bnstd_running.view(-1).tolist(),
    "calibrated_mean": bnmean.view(-1).tolist(),
    "calibrated_std": bnstd.view(-1).tolist(),
    "rows": ROWS,
    "train_running": bn_split_loss(Xcal, Ycal, bnmean_running, bnstd_running),
    "val_running": bn_split_loss(Xval, Yval, bnmean_running, bnstd_running),
    "val_calibrated": bn_split_loss(Xval, Yval, bnmean, bnstd),
}


# ---- deep: the notebook's "PyTorchified" network (cells 13-17) ------------------------------------
class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.momentum = momentum
        self.training = True
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)

    def __call__(self, x):
        if self.training:
            xmean = x.mean(0, keepdim=True)
            xvar = x.var(0, keepdim=True)
        else:
            xmean = self.running_mean
            xvar = self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


n_embd, n_hidden = 10, 100
g = torch.Generator().manual_seed(SEED)
C = torch.randn((27, n_embd), generator=g)
layers = [Linear(n_embd * block_size, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh()]
for _ in range(4):
    layers += [Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh()]
layers += [Linear(n_hidden, 27, bias=False), BatchNorm1d(27)]
with torch.no_grad():
    layers[-1].gamma *= 0.1
parameters = [C] + [p for layer in layers for p in layer.parameters()]
deep_params = sum(p.nelement() for p in parameters)
for p in parameters:
    p.requires_grad = True


def diagnostics():
    """The notebook's cells 15-17, as numbers."""
    act, grad = [], []
    for i, layer in enumerate(layers[:-1]):
        if isinstance(layer, Tanh):
            t = layer.out
            act.append({"layer": i, "mean": t.mean().item(), "std": t.std().item(),
                        "saturated": ((t.abs() > 0.97).float().mean() * 100).item()})
            t = layer.out.grad
            grad.append({"layer": i, "mean": t.mean().item(), "std": t.std().item()})
    weights = []
    for i, p in enumerate(parameters):
        if p.ndim == 2:
            t = p.grad
            weights.append({"index": i, "shape": list(p.shape), "mean": t.mean().item(),
                            "std": t.std().item(), "ratio": (t.std() / p.std()).item()})
    return {"activations": act, "gradients": grad, "weights": weights}


deep_losses, ud, after_first = [], [], None
for i in range(DEEP_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    x = C[Xb].view(32, -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, Yb)
    for layer in layers:
        layer.out.retain_grad()
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 150000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    deep_losses.append(loss.item())
    with torch.no_grad():
        ud.append([num(((lr * p.grad).std() / p.data.std()).log10().item()) for p in parameters])
    if i == 0:
        after_first = diagnostics()
after_last = diagnostics()


@torch.no_grad()
def deep_split_loss(X, Y):
    x = C[X].view(X.shape[0], -1)
    for layer in layers:
        x = layer(x)
    return F.cross_entropy(x, Y).item()


for layer in layers:
    layer.training = False
deep = {
    "parameters": deep_params,
    "steps": DEEP_STEPS,
    "losses": deep_losses,
    "ud": ud,
    "after_first_step": after_first,
    "after_last_step": after_last,
    "bn1_running_mean": layers[1].running_mean.view(-1)[:5].tolist(),
    "bn1_running_var": layers[1].running_var.view(-1)[:5].tolist(),
    "rows": ROWS,
    "val_eval": deep_split_loss(Xval, Yval),
}

fixture = {
    "header": {"torch": torch.__version__, "python": platform.python_version(), "seed": SEED,
               "generator": "torch.Generator().manual_seed(2147483647)",
               "notebook": "nn-zero-to-hero 73c3fcc lectures/makemore/makemore_part3_bn.ipynb"},
    "init": init,
    "kaiming": {"std": kaiming, "demo": demo},
    "bn_mlp": bn_mlp,
    "deep": deep,
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as fh:
    json.dump(fixture, fh, indent=1)
    fh.write("\n")
print("wrote", OUT)
for k, v in init.items():
    print(k, {kk: vv for kk, vv in v.items() if kk != "scales"})
print(kaiming, demo)
print({k: v for k, v in bn_mlp.items() if not isinstance(v, list) or len(v) < 6}, bn_losses[:3])
print(deep_params, deep_losses[:3], deep["val_eval"])
print(after_first["activations"])
print(after_last["activations"])
