"""PyTorch peer of bench/gpt_step_bench.ts: one training step of nanoGPT's baby config.

Block 64, batch 12, 4 layers, 4 heads, n_embd 128, dropout 0, bias False, vocab 65; forward
with cross-entropy, backward, clip_grad_norm_(1.0), AdamW (betas 0.9/0.99, weight decay 0.1 on
>= 2-d parameters), zero_grad. The model is the one of testdata/gpt/gen_gpt.py (nanoGPT's,
manual attention). Random token batches from a fixed generator. Prints ms/iteration (best of 5
rounds; wall and CPU time). Run at one thread, as the README's table does:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 bench/peers/gpt_step_torch.py [--rounds 5 --steps 20] [--profile]
    [--losses 30] [--json]
--profile times forward, backward and clip + AdamW + zero_grad separately; --losses N first runs
N steps of a fresh model and prints their losses (bench/gpt_step_bench.ts runs the same steps).
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../testdata/gpt"))
from gen_gpt import GPT  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--steps", type=int, default=20)
ap.add_argument("--profile", action="store_true")
ap.add_argument("--losses", type=int, default=0)
ap.add_argument("--json", action="store_true")
args = ap.parse_args()
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))

B, T, V = 12, 64, 65


def setup():
    torch.manual_seed(1337)
    model = GPT(dict(vocab_size=V, block_size=T, n_layer=4, n_head=4, n_embd=128, dropout=0.0,
                     bias=False))
    params = [p for p in model.parameters()]
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99))
    g = torch.Generator().manual_seed(42)

    def step(phases=None):
        x = torch.randint(0, V, (B, T), generator=g)
        y = torch.randint(0, V, (B, T), generator=g)
        t0 = time.perf_counter()
        _, loss = model(x, y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        if phases is not None:
            for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2)):
                phases[i] += d * 1000
        return loss
    return step


losses = []
if args.losses:
    fresh = setup()
    losses = [fresh().item() for _ in range(args.losses)]
step = setup()
for _ in range(5):
    step()
best = best_cpu = float("inf")
phases = [0.0, 0.0, 0.0]
for _ in range(args.rounds):
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        step(phases if args.profile else None)
    best = min(best, (time.perf_counter() - t0) * 1000 / args.steps)
    best_cpu = min(best_cpu, (time.process_time() - c0) * 1000 / args.steps)
n = args.rounds * args.steps
f, b, o = (p / n for p in phases)
kernel = f"torch {torch.__version__} threads={torch.get_num_threads()}"
if args.json:
    print(json.dumps({"who": "torch", "kernel": kernel, "ms": best, "cpuMs": best_cpu,
                      "phases": {"forward": f, "backward": b, "optimizer": o} if args.profile
                      else None, "losses": losses}))
else:
    print(f"{kernel}: {best:.1f} ms/iteration wall, {best_cpu:.1f} ms by CPU time "
          f"(best of {args.rounds} x {args.steps} steps), loss {step().item():.4f}")
    if args.profile:
        print(f"per step: forward {f:.1f} ms, backward {b:.1f} ms, "
              f"clip + AdamW + zero grad {o:.1f} ms")
    if losses:
        print("losses: " + " ".join(f"{x:.6f}" for x in losses))
