"""PyTorch peer of `deno task reproduce 04` (and `bigram`): makemore part 1 as the lecture writes it
(the count model, its NLL, 20 names sampled with Generator(2147483647), and the neural bigram trained
full-batch at lr 50 with 0.01 * mean(W**2)), on one thread, printing the same figures and wall times.

Run:  /usr/bin/python3 bench/peers/makemore_bigram_torch.py [steps] [path/to/names.txt]
"""

import os
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
NAMES = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")

t0 = time.perf_counter()
words = open(NAMES).read().splitlines()
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}

xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs, ys = torch.tensor(xs), torch.tensor(ys)
N = torch.zeros((27, 27), dtype=torch.int32)
N.index_put_((xs, ys), torch.tensor(1, dtype=torch.int32), accumulate=True)


def count_model(k):
    P = (N + k).float()
    return P / P.sum(1, keepdim=True)


def nll(P):
    return -P[xs, ys].log().mean().item()


P = count_model(1)
print(f"count model NLL, no smoothing   {nll(count_model(0)):.4f}")
print(f"count model NLL, +1 smoothing   {nll(P):.4f}")
g = torch.Generator().manual_seed(2147483647)
names = []
for _ in range(20):
    out, ix = "", 0
    while True:
        ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
        out += itos[ix]
        if ix == 0:
            break
    names.append(out)
print("sampled:", " ".join(names))
t_count = time.perf_counter() - t0

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)
t1 = time.perf_counter()
for k in range(STEPS):
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdim=True)
    loss = -probs[torch.arange(len(xs)), ys].log().mean() + 0.01 * (W ** 2).mean()
    if k == 0:
        print(f"neural bigram, first loss       {loss.item():.4f}")
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad
last = loss.item()
with torch.no_grad():
    xenc = F.one_hot(xs, num_classes=27).float()
    counts = (xenc @ W).exp()
    probs = counts / counts.sum(1, keepdim=True)
    after = (-probs[torch.arange(len(xs)), ys].log().mean() + 0.01 * (W ** 2).mean()).item()
seconds = time.perf_counter() - t1
print(f"neural bigram, loss at step {STEPS - 1:<4d} {last:.4f}")
print(f"neural bigram, after {STEPS} steps   {after:.4f} ({after:.6f})")
print(f"{STEPS} neural steps in {seconds:.1f} s ({STEPS / seconds:.1f} steps/s); counting and "
      f"sampling {t_count:.1f} s; wall time {time.perf_counter() - t0:.1f} s "
      f"(torch {torch.__version__}, 1 thread)")
