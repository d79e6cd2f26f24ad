"""PyTorch peer of `deno task reproduce 06` (makemore part 3), on one thread: the notebook's code
(makemore_part3_bn.ipynb) with Generator(2147483647), timing each run.

  1. the BatchNorm'd MLP (cells 6-10): BN_STEPS steps, lr 0.1 then 0.01 from step 100,000;
     train/val with the running statistics and with the calibrated ones;
  2. the deep network (cells 13-19): the notebook's 1,001 steps (its loop breaks after i = 1000),
     the diagnostics of cells 15-17, train/val in evaluation mode.

Run:  OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/makemore_bn_torch.py [bn_steps] [deep_steps]
"""

import os
import random
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
BN_STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
DEEP_STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 1001
NAMES = os.path.join(os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")

words = open(NAMES).read().splitlines()
stoi = {s: i + 1 for i, s in enumerate(sorted(set("".join(words))))}
stoi["."] = 0
random.seed(42)
random.shuffle(words)


def build_dataset(ws, block_size=3):
    X, Y = [], []
    for w in ws:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X), torch.tensor(Y)


n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])

# ---- 1. the BatchNorm'd MLP -----------------------------------------------------------------------
t0 = time.perf_counter()
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * (5 / 3) / (30**0.5)
W2 = torch.randn((200, 27), generator=g) * 0.01
b2 = torch.randn(27, generator=g) * 0
bngain, bnbias = torch.ones((1, 200)), torch.zeros((1, 200))
bnmean_running, bnstd_running = torch.zeros((1, 200)), torch.ones((1, 200))
parameters = [C, W1, W2, b2, bngain, bnbias]
for p in parameters:
    p.requires_grad = True
first = None
for i in range(BN_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    hpreact = C[Xtr[ix]].view(32, -1) @ W1
    bnmeani = hpreact.mean(0, keepdim=True)
    bnstdi = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
        bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
        bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
    loss = F.cross_entropy(torch.tanh(hpreact) @ W2 + b2, Ytr[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 100000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    loss.item()
    first = loss.item() if first is None else first
bn_s = time.perf_counter() - t0
with torch.no_grad():
    hpreact = C[Xtr].view(Xtr.shape[0], -1) @ W1
    bnmean, bnstd = hpreact.mean(0, keepdim=True), hpreact.std(0, keepdim=True)


@torch.no_grad()
def bn_loss(X, Y, mean, std):
    hpreact = bngain * (C[X].view(X.shape[0], -1) @ W1 - mean) / std + bnbias
    return F.cross_entropy(torch.tanh(hpreact) @ W2 + b2, Y).item()


print(f"BatchNorm'd MLP: {BN_STEPS} steps in {bn_s:.1f} s ({BN_STEPS / bn_s:.0f} steps/s); "
      f"first loss {first:.4f}")
print(f"  running stats:    train {bn_loss(Xtr, Ytr, bnmean_running, bnstd_running):.4f}  "
      f"val {bn_loss(Xdev, Ydev, bnmean_running, bnstd_running):.4f}  (lecture 2.0674 / 2.1057)")
print(f"  calibrated stats: train {bn_loss(Xtr, Ytr, bnmean, bnstd):.4f}  "
      f"val {bn_loss(Xdev, Ydev, bnmean, bnstd):.4f}")


# ---- 2. the deep network ---------------------------------------------------------------------------
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
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x):
        if self.training:
            xmean, xvar = x.mean(0, keepdim=True), x.var(0, keepdim=True)
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
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


t0 = time.perf_counter()
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
layers = [Linear(30, 100, bias=False), BatchNorm1d(100), Tanh()]
for _ in range(4):
    layers += [Linear(100, 100, bias=False), BatchNorm1d(100), Tanh()]
layers += [Linear(100, 27, bias=False), BatchNorm1d(27)]
with torch.no_grad():
    layers[-1].gamma *= 0.1
parameters = [C] + [p for layer in layers for p in layer.parameters()]
for p in parameters:
    p.requires_grad = True
for i in range(DEEP_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    x = C[Xtr[ix]].view(32, -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, Ytr[ix])
    for layer in layers:
        layer.out.retain_grad()
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 150000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    with torch.no_grad():
        [((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters]
    first = loss.item() if i == 0 else first
deep_s = time.perf_counter() - t0
print(f"deep network: {DEEP_STEPS} steps in {deep_s:.1f} s ({DEEP_STEPS / deep_s:.0f} steps/s); "
      f"first loss {first:.4f}")
for i, layer in enumerate(layers[:-1]):
    if isinstance(layer, Tanh):
        t = layer.out
        print(f"  layer {i:2d}: mean {t.mean():+.2f}, std {t.std():.2f}, saturated "
              f"{(t.abs() > 0.97).float().mean() * 100:.2f}%, grad std {t.grad.std():e}")
for p in parameters:
    if p.ndim == 2:
        print(f"  weight {str(tuple(p.shape)):>10} | grad std {p.grad.std():e} | grad:data "
              f"{p.grad.std() / p.std():e}")


@torch.no_grad()
def deep_loss(X, Y):
    x = C[X].view(X.shape[0], -1)
    for layer in layers:
        x = layer(x)
    return F.cross_entropy(x, Y).item()


for layer in layers:
    layer.training = False
print(f"  train {deep_loss(Xtr, Ytr):.4f}  val {deep_loss(Xdev, Ydev):.4f}  (lecture 2.4003 / 2.3982)")
print(f"torch {torch.__version__}, 1 thread")
