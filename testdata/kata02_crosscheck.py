"""Cross-checks the losses pinned in katas/02/train_test.ts with PyTorch (float64).

Independent of the TypeScript code: it re-implements mulberry32, seededUniform and
makeMoons (core/data/seeded.ts, core/data/moons.ts) in Python, draws the MLP's
weights in the kata's order (layer by layer, neuron by neuron: weights, then bias),
and trains with torch autograd. Run: /usr/bin/python3 testdata/kata02_crosscheck.py
Checked with Python 3.11 and torch 1.13.0a0 (Debian): every pinned number agrees
to ~1e-15; the tests allow 1e-9.
"""
import math
import sys

import torch

torch.set_default_dtype(torch.float64)
M = 0xFFFFFFFF


def mulberry32(seed):
    s = seed & M
    while True:
        s = (s + 0x6D2B79F5) & M
        t = (((s ^ (s >> 15)) * (s | 1)) & M)
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M)) & M
        yield ((t ^ (t >> 14)) & M) / 4294967296


def seeded_uniform(seed):
    g = mulberry32(seed)
    return lambda: -1 + 2 * next(g)


def make_moons(n, noise, seed):
    g = mulberry32(seed)
    n_out = n // 2
    n_in = n - n_out
    ang = lambda i, m: 0.0 if m == 1 else math.pi * i / (m - 1)
    X = [[math.cos(ang(i, n_out)), math.sin(ang(i, n_out))] for i in range(n_out)]
    X += [[1 - math.cos(ang(i, n_in)), 0.5 - math.sin(ang(i, n_in))] for i in range(n_in)]
    y = [-1.0] * n_out + [1.0] * n_in
    for i in range(n - 1, 0, -1):  # Fisher-Yates
        j = math.floor(next(g) * (i + 1))
        X[i], X[j] = X[j], X[i]
        y[i], y[j] = y[j], y[i]

    def gaussian():
        u1 = 1 - next(g)
        u2 = next(g)
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)

    for p in X:
        p[0] += noise * gaussian()
        p[1] += noise * gaussian()
    return torch.tensor(X), torch.tensor(y)


def mlp(nin, nouts, nonlin, seed):
    rng = seeded_uniform(seed)
    sizes = [nin] + nouts
    layers = []
    for i, nout in enumerate(nouts):
        rows = [[rng() for _ in range(sizes[i] + 1)] for _ in range(nout)]  # w..., b
        W = torch.tensor([r[:-1] for r in rows], requires_grad=True)
        b = torch.tensor([r[-1] for r in rows], requires_grad=True)
        layers.append((W, b, "linear" if i == len(nouts) - 1 else nonlin))
    return layers


def forward(layers, X):
    h = X
    for W, b, act in layers:
        h = h @ W.T + b
        h = torch.tanh(h) if act == "tanh" else torch.relu(h) if act == "relu" else h
    return h[:, 0]


def sgd(layers, lr):
    with torch.no_grad():
        for W, b, _ in layers:
            W -= lr * W.grad
            b -= lr * b.grad
            W.grad = None
            b.grad = None


def fit_four():
    layers = mlp(3, [4, 4, 1], "tanh", 1)
    xs = torch.tensor([[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]])
    ys = torch.tensor([1.0, -1, -1, 1])
    losses = []
    for _ in range(100):
        loss = ((forward(layers, xs) - ys) ** 2).sum()
        loss.backward()
        sgd(layers, 0.05)
        losses.append(loss.item())
    return losses


def train_moons(steps, alpha):
    X, y = make_moons(100, 0.1, 1)
    layers = mlp(2, [16, 16, 1], "relu", 1)
    history = []
    for k in range(steps):
        s = forward(layers, X)
        l2 = sum((W * W).sum() + (b * b).sum() for W, b, _ in layers)
        loss = torch.relu(1 - y * s).mean() + alpha * l2
        loss.backward()
        sgd(layers, 1 - 0.9 * k / steps)
        history.append((loss.item(), ((s > 0) == (y > 0)).double().mean().item()))
    return history


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}")
    losses = fit_four()
    print("fit losses[0..2]:", losses[:3], "final:", losses[-1])
    print("trainMoons steps=3:", train_moons(3, 1e-4))
    print("trainMoons steps=1 alpha=0.1:", train_moons(1, 0.1))
    h = train_moons(100, 1e-4)
    first = next((k for k, (_, acc) in enumerate(h) if acc == 1), None)
    print("trainMoons steps=100: final", h[-1], "first 100% at step", first)
