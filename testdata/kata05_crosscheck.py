"""Cross-checks the numbers pinned in katas/05/*_test.ts with PyTorch.

Independent of the TypeScript code: it runs the lecture's makemore part 2 code
(makemore_part2_mlp.ipynb) with torch.Generator().manual_seed(2147483647) and prints
  - the first values of C, W1, b1, W2, b2 as drawn in the lecture's order (05.3);
  - the first losses of the learning-rate range test (lre = linspace(-3, 0, 1000),
    lrs = 10**lre, one step per rate) and the rate the kata's chooseLr rule reads from
    them (05.7);
  - twenty names sampled with Generator(2147483647 + 10) from the freshly drawn model with
    W2 scaled by 0.1 (so that its softmax is spread out and every draw matters) and 2 added
    to b2[0] (so that names end after a few characters) (05.9).
Run: /usr/bin/python3 testdata/kata05_crosscheck.py [path/to/names.txt]
Checked with Python 3.11 and torch 1.13.0a0 (Debian): the pinned first values agree
exactly, the twenty names are identical.
"""
import os
import random
import sys

import torch
import torch.nn.functional as F

NAMES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
SEED = 2147483647

words = open(NAMES, "r").read().splitlines()
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
block_size = 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])


def init(g):
    C = torch.randn((27, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g)
    b1 = torch.randn(200, generator=g)
    W2 = torch.randn((200, 27), generator=g)
    b2 = torch.randn(27, generator=g)
    return [C, W1, b1, W2, b2]


def fmt(t):
    return "[" + ", ".join(repr(v) for v in t.tolist()) + "]"


# 05.3: the first values of each parameter
C, W1, b1, W2, b2 = init(torch.Generator().manual_seed(SEED))
print("05.3 C[0, :3]  ", fmt(C[0, :3]))
print("05.3 W1[0, :3] ", fmt(W1[0, :3]))
print("05.3 b1[:3]    ", fmt(b1[:3]))
print("05.3 W2[0, :3] ", fmt(W2[0, :3]))
print("05.3 b2[:3]    ", fmt(b2[:3]))

# 05.7: the learning-rate range test on the lecture's model
g = torch.Generator().manual_seed(SEED)
parameters = init(g)
C, W1, b1, W2, b2 = parameters
for p in parameters:
    p.requires_grad = True
lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
lossi = []
for i in range(1000):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    emb = C[Xtr[ix]]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Ytr[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -lrs[i] * p.grad
    lossi.append(loss.item())
window = 100
sums = [sum(lossi[i - window + 1:i + 1]) for i in range(window - 1, 1000)]
end = window - 1 + min(range(len(sums)), key=lambda k: sums[k])
print("05.7 first losses", [round(v, 4) for v in lossi[:5]])
print("05.7 chosen lr   ", (10**lre[end - window // 2]).item())

# 05.9: sampling from the drawn model with W2 scaled by 0.1 and b2[0] raised by 2
C, W1, b1, W2, b2 = init(torch.Generator().manual_seed(SEED))
W2 = W2 * 0.1
b2[0] += 2
g = torch.Generator().manual_seed(SEED + 10)
names = []
for _ in range(20):
    out = []
    context = [0] * block_size
    while True:
        emb = C[torch.tensor([context])]
        h = torch.tanh(emb.view(1, -1) @ W1 + b1)
        logits = h @ W2 + b2
        probs = F.softmax(logits, dim=1)
        ix = torch.multinomial(probs, num_samples=1, generator=g).item()
        context = context[1:] + [ix]
        out.append(ix)
        if ix == 0:
            break
    names.append("".join(itos[i] for i in out))
print("05.9 names", names)
