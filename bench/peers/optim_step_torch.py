"""PyTorch peer of bench/nn_optim_bench.ts: one optimizer step over 1M parameters (SGD,
SGD with Nesterov momentum and weight decay, Adam, AdamW; single-tensor loops, PyTorch 1.13's
CPU default), and the makemore-MLP step written with nn modules and optim.SGD. Run with:
  /usr/bin/python3 bench/peers/optim_step_torch.py
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = [(768, 768), (768,), (1024, 200), (50, 768)]


def best_ms(fn, n):
    for _ in range(max(1, n // 10)):
        fn()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n * 1000)
    return best


print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, best of 5:")
for name, make in [
    ("SGD", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("SGD momentum 0.9 nesterov, weightDecay",
     lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ("Adam", lambda ps: torch.optim.Adam(ps)),
    ("AdamW", lambda ps: torch.optim.AdamW(ps)),
]:
    ps = [torch.randn(s, requires_grad=True) for s in SHAPES]
    for p in ps:
        p.grad = torch.randn(s) * 0.01 if (s := p.shape) else None
    opt = make(ps)
    print(f"  {name} step, 1M params: {best_ms(opt.step, 20):.2f} ms")

N, V, E, B, H, BATCH = 20000, 27, 10, 3, 200, 32
Xtr = torch.randint(0, V, (N, B))
Ytr = torch.randint(0, V, (N,))
emb = nn.Embedding(V, E)
mlp = nn.Sequential(nn.Linear(E * B, H), nn.Tanh(), nn.Linear(H, V))
opt = torch.optim.SGD([*emb.parameters(), *mlp.parameters()], lr=0.1)


def step():
    ix = torch.randint(0, N, (BATCH,))
    loss = F.cross_entropy(mlp(emb(Xtr[ix]).view(BATCH, E * B)), Ytr[ix])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


print(f"  makemore MLP step, nn + optim: {1000 / best_ms(step, 500):.0f} steps/s")
