"""PyTorch peer of bench/mlp_step_bench.ts: the makemore-MLP training step.

Batch 32, block 3, embedding 10 (27x10 table), hidden 200, tanh, cross-entropy,
backward, SGD update. Prints steps/s. Run with:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/mlp_step_torch.py
"""
import time

import torch
import torch.nn.functional as F

torch.manual_seed(42)
N, V, E, B, H = 20000, 27, 10, 3, 200
Xtr = torch.randint(0, V, (N, B))
Ytr = torch.randint(0, V, (N,))
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((V, E), generator=g)
W1 = torch.randn((E * B, H), generator=g) * 0.2
b1 = torch.randn(H, generator=g) * 0.01
W2 = torch.randn((H, V), generator=g) * 0.01
b2 = torch.randn(V, generator=g) * 0
params = [C, W1, b1, W2, b2]
for p in params:
    p.requires_grad = True


def step():
    ix = torch.randint(0, N, (32,))
    emb = C[Xtr[ix]]
    h = torch.tanh(emb.view(-1, E * B) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Ytr[ix])
    for p in params:
        p.grad = None
    loss.backward()
    for p in params:
        p.data += -0.1 * p.grad
    return loss


for _ in range(500):
    step()
best = 0.0
for _ in range(5):
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    dt = time.perf_counter() - t0
    best = max(best, n / dt)
print(f"torch {torch.__version__} threads={torch.get_num_threads()}: "
      f"{best:.0f} steps/s (best of 5 x 2000 steps), loss {step().item():.4f}")
