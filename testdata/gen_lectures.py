"""Golden numbers for the lecture tests (makemore parts 1 and 2), generated once from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gen_lectures.py [path/to/names.txt]
Writes testdata/lectures/makemore.json. Tests never run this script.

Everything is computed the way the lectures write it, with torch.Generator().manual_seed(2147483647)
for every random draw (the MLP's minibatch indices too, so the TypeScript side can follow the same
stream) and CPython's random.seed(42); random.shuffle(words) for the split.
"""

import json
import os
import platform
import random
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
OUT = os.path.join(HERE, "lectures", "makemore.json")
SEED = 2147483647
MLP_STEPS = 2000

words = open(NAMES, "r").read().splitlines()
chars = sorted(list(set("".join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}

# ---- part 1: bigram counts ----------------------------------------------------------------------
N = torch.zeros((27, 27), dtype=torch.int32)
xs, ys = [], []
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs, ys = torch.tensor(xs), torch.tensor(ys)


def nll(P, accumulate32):
    """-mean log P over all bigrams: the lecture's loop (float32 accumulator) or a float64 sum."""
    logp = P[xs, ys].log()
    if accumulate32:
        acc = torch.tensor(0.0)
        for v in logp:  # log_likelihood += logprob, as in the lecture
            acc += v
        return (-acc / len(xs)).item()
    return (-logp.double().sum() / len(xs)).item()


P0 = N.float() / N.float().sum(1, keepdim=True)
P1 = (N + 1).float()
P1 /= P1.sum(1, keepdims=True)

g = torch.Generator().manual_seed(SEED)
names = []
for _ in range(20):
    out, ix = [], 0
    while True:
        ix = torch.multinomial(P1[ix], num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    names.append("".join(out))

# ---- part 1: the neural bigram (one-hot @ W, softmax, NLL + 0.01 * mean(W^2), lr 50) -------------
g = torch.Generator().manual_seed(SEED)
W = torch.randn((27, 27), generator=g, requires_grad=True)
neural_losses = []
for k in range(100):
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(len(xs)), ys].log().mean() + 0.01 * (W**2).mean()
    neural_losses.append(loss.item())
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad

# ---- part 2: the MLP -----------------------------------------------------------------------------
random.seed(42)
shuffled = list(words)
random.shuffle(shuffled)


def build_dataset(ws, block_size=3):
    X, Y = [], []
    for w in ws:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
Xtr, Ytr = build_dataset(shuffled[:n1])
Xdev, Ydev = build_dataset(shuffled[n1:n2])
Xte, Yte = build_dataset(shuffled[n2:])

g = torch.Generator().manual_seed(SEED)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True


def split_loss(X, Y):
    with torch.no_grad():
        emb = C[X]
        h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
        return F.cross_entropy(h @ W2 + b2, Y).item()


init_train = split_loss(Xtr, Ytr)
mlp_losses, first_ix = [], None
for i in range(MLP_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
    if first_ix is None:
        first_ix = ix.tolist()
    emb = C[Xtr[ix]]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Ytr[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 100000 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    mlp_losses.append(loss.item())

# ---- part 2 with torch.nn + torch.optim: Embedding, Flatten, Linear, Tanh, Linear; SGD --------------
# torch.manual_seed seeds the default generator, which then draws the inits (in module order) and the
# minibatches: katagrad passes one Generator(2147483647) to the layers and to randint.
torch.manual_seed(SEED)
model = torch.nn.Sequential(
    torch.nn.Embedding(27, 10), torch.nn.Flatten(), torch.nn.Linear(30, 200), torch.nn.Tanh(),
    torch.nn.Linear(200, 27))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
nn_losses = []
for i in range(MLP_STEPS):
    ix = torch.randint(0, Xtr.shape[0], (32,))
    loss = F.cross_entropy(model(Xtr[ix]), Ytr[ix])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    nn_losses.append(loss.item())
with torch.no_grad():
    nn_dev = F.cross_entropy(model(Xdev), Ydev).item()

fixture = {
    "header": {"torch": torch.__version__, "python": platform.python_version(), "seed": SEED,
               "generator": "torch.Generator().manual_seed(2147483647)",
               "names_txt": os.path.basename(NAMES)},
    "bigram": {
        "count": len(xs),
        "N_sum": int(N.sum()),
        "N_row0": N[0].tolist(),
        "nll_unsmoothed_f64": nll(P0, False),
        "nll_unsmoothed_f32_loop": nll(P0, True),
        "nll_smoothed_f64": nll(P1, False),
        "nll_smoothed_f32_loop": nll(P1, True),
        "names": names,
        "neural_losses": neural_losses[:5],
        "neural_loss_100": neural_losses[-1],
    },
    "mlp": {
        "first_words": shuffled[:3],
        "sizes": [len(Xtr), len(Xdev), len(Xte)],
        "parameters": sum(p.nelement() for p in parameters),
        "init_train_loss": init_train,
        "first_ix": first_ix,
        "steps": MLP_STEPS,
        "losses": mlp_losses,
        "train_loss": split_loss(Xtr, Ytr),
        "dev_loss": split_loss(Xdev, Ydev),
    },
    "mlp_nn": {
        "parameters": sum(p.nelement() for p in model.parameters()),
        "steps": MLP_STEPS,
        "losses": nn_losses,
        "dev_loss": nn_dev,
    },
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as fh:
    json.dump(fixture, fh, indent=1)
    fh.write("\n")
print("wrote", OUT)
print({k: v for k, v in fixture["bigram"].items() if k not in ("N_row0",)})
print({k: v for k, v in fixture["mlp"].items() if k not in ("losses", "first_ix")})
print({k: v for k, v in fixture["mlp_nn"].items() if k not in ("losses",)}, nn_losses[:3])
