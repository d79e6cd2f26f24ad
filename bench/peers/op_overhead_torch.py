"""PyTorch peer of bench/op_overhead_bench.ts: µs per small op.

Run with:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/op_overhead_torch.py
"""
import time

import torch

a, b, bias = torch.randn(32, 200), torch.randn(32, 200), torch.randn(200)
ag = torch.randn(32, 200, requires_grad=True)
s, sg = torch.randn(1), torch.randn(1, requires_grad=True)


def nograd_add():
    with torch.no_grad():
        return a + b


def nograd_tiny():
    with torch.no_grad():
        return s + s


cases = [
    ("add 32x200 (no grad)", nograd_add),
    ("add 32x200 (recording)", lambda: ag + b),
    ("add 32x200 + bias 200 (recording)", lambda: ag + bias),
    ("mul 32x200 by scalar (recording)", lambda: ag * 0.5),
    ("tanh 32x200 (recording)", lambda: torch.tanh(ag)),
    ("sum over dim 0 of 32x200 (recording)", lambda: ag.sum(0)),
    ("view 32x200 as 6400 (recording)", lambda: ag.view(-1)),
    ("add 1 element (no grad)", nograd_tiny),
    ("add 1 element (recording)", lambda: sg + s),
]
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
for name, fn in cases:
    for _ in range(2000):
        fn()
    best = float("inf")
    for _ in range(5):
        n = 20000
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) * 1e6 / n)
    print(f"{name:40s} {best:.2f} µs/op (best of 5 x 20000)")
