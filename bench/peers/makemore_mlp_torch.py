"""PyTorch peer of `deno task reproduce mlp`: the same makemore part 2 training (raw tensors,
Generator(2147483647) for the init and the minibatches, lr 0.1 then 0.01 from step 100,000), on one
thread, printing train/dev loss, steps/s and wall time.

Run:  /usr/bin/python3 bench/peers/makemore_mlp_torch.py [steps] [path/to/names.txt]
"""

import os
import random
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
NAMES = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")

t0 = time.perf_counter()
words = open(NAMES).read().splitlines()
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
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

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True

t1 = time.perf_counter()
for i in range(STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    emb = C[Xtr[ix]]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Ytr[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 100000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    loss.item()
train_s = time.perf_counter() - t1


def split_loss(X, Y):
    with torch.no_grad():
        h = torch.tanh(C[X].view(-1, 30) @ W1 + b1)
        return F.cross_entropy(h @ W2 + b2, Y).item()


print(f"train loss {split_loss(Xtr, Ytr):.4f}  dev loss {split_loss(Xdev, Ydev):.4f}  "
      f"(lecture 2.1260 / 2.1701)")
print(f"{STEPS} steps in {train_s:.1f} s ({STEPS / train_s:.0f} steps/s, torch {torch.__version__}, "
      f"1 thread); wall time {time.perf_counter() - t0:.1f} s")
