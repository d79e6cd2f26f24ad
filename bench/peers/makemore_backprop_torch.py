"""PyTorch peer of `deno task reproduce 07`: the lecture's exercise 4 (makemore part 4, cell 22) —
the BatchNorm'd MLP (n_hidden 200, 12,297 parameters) trained for 200,000 steps with the backward
pass written by hand under torch.no_grad(), lr 0.1 then 0.01 from step 100,000 — then BatchNorm
calibrated on the training set and train/val evaluated (cells 24-25). One thread; prints the
losses, steps/s and wall time.

The seeds are the notebook's: Generator(2147483647) for C, W1, b1, W2, b2 and the minibatches, and
for bngain and bnbias torch's global generator as the notebook found it (seed 0x... found by
search, see testdata/gen_backprop.py), going on after exercise 1's 128 draws.

dC is accumulated with index_add_ (one call); `--loop` runs the lecture's double Python loop
`for k, j: dC[Xb[k, j]] += demb[k, j]` instead (96 tiny indexing ops per step, much slower).

Run:  /usr/bin/python3 bench/peers/makemore_backprop_torch.py [steps] [--loop] [path/to/names.txt]
"""

import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
args = [a for a in sys.argv[1:] if not a.startswith("--")]
LOOP = "--loop" in sys.argv
STEPS = int(args[0]) if args else 200_000
NAMES = args[1] if len(args) > 1 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
HERE = os.path.dirname(os.path.abspath(__file__))
GLOBAL_SEED = json.load(open(os.path.join(HERE, "..", "..", "testdata", "lectures",
                                          "backprop.json")))["lecture_global_seed"]

t0 = time.perf_counter()
words = open(NAMES).read().splitlines()
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
block_size = 3
random.seed(42)
random.shuffle(words)


def build_dataset(ws):
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

n_embd, n_hidden, vocab_size = 10, 200, 27
g = torch.Generator().manual_seed(2147483647)
gg = torch.Generator().manual_seed(GLOBAL_SEED)
torch.randn((1, 64), generator=gg)  # exercise 1's bngain
torch.randn((1, 64), generator=gg)  # and bnbias
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size)**0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
bngain = torch.randn((1, n_hidden), generator=gg) * 0.1 + 1.0
bnbias = torch.randn((1, n_hidden), generator=gg) * 0.1
parameters = [C, W1, b1, W2, b2, bngain, bnbias]
n = 32

t1 = time.perf_counter()
with torch.no_grad():
    for i in range(STEPS):
        ix = torch.randint(0, Xtr.shape[0], (n,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        hprebn = embcat @ W1 + b1
        bnmean = hprebn.mean(0, keepdim=True)
        bnvar = hprebn.var(0, keepdim=True, unbiased=True)
        bnvar_inv = (bnvar + 1e-5)**-0.5
        bnraw = (hprebn - bnmean) * bnvar_inv
        hpreact = bngain * bnraw + bnbias
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Yb)
        dlogits = F.softmax(logits, 1)
        dlogits[range(n), Yb] -= 1
        dlogits /= n
        dh = dlogits @ W2.T
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(0)
        dhpreact = (1.0 - h**2) * dh
        dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
        dbnbias = dhpreact.sum(0, keepdim=True)
        dhprebn = bngain * bnvar_inv / n * (n * dhpreact - dhpreact.sum(0) -
                                             n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
        dembcat = dhprebn @ W1.T
        dW1 = embcat.T @ dhprebn
        db1 = dhprebn.sum(0)
        demb = dembcat.view(emb.shape)
        dC = torch.zeros_like(C)
        if LOOP:
            for k in range(Xb.shape[0]):
                for j in range(Xb.shape[1]):
                    dC[Xb[k, j]] += demb[k, j]
        else:
            dC.index_add_(0, Xb.view(-1), demb.view(-1, n_embd))
        grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
        lr = 0.1 if i < 100000 else 0.01
        for p, grad in zip(parameters, grads):
            p.data += -lr * grad
        if i % 10000 == 0:
            print(f"{i:7d}/{STEPS:7d}: {loss.item():.4f}", flush=True)
train_s = time.perf_counter() - t1

with torch.no_grad():
    hpre = C[Xtr].view(Xtr.shape[0], -1) @ W1 + b1
    bnmean = hpre.mean(0, keepdim=True)
    bnvar = hpre.var(0, keepdim=True, unbiased=True)

    def split_loss(x, y):
        hp = C[x].view(x.shape[0], -1) @ W1 + b1
        hp = bngain * (hp - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias
        return F.cross_entropy(torch.tanh(hp) @ W2 + b2, y).item()

    print(f"train {split_loss(Xtr, Ytr):.4f}  val {split_loss(Xdev, Ydev):.4f}  "
          f"(lecture 2.0705 / 2.1099)")
print(f"{STEPS} steps in {train_s:.1f} s ({STEPS / train_s:.0f} steps/s, torch {torch.__version__}, "
      f"1 thread, dC by {'the lecture loop' if LOOP else 'index_add_'}); "
      f"wall time {time.perf_counter() - t0:.1f} s")
