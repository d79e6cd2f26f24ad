"""PyTorch peer of `deno task reproduce 08`: makemore part 5 (the WaveNet lecture,
makemore_part5_cnn1.ipynb) — the lecture's own layer classes (cell 7), the hierarchical network
(n_embd 24, n_hidden 128, 76,579 parameters, cell 9) or the flat one over 8 characters (n_embd 10,
n_hidden 200, 22,097 parameters: the performance log's "context 3 -> 8 (22K params)"), trained
with minibatch SGD, lr 0.1 then 0.01 from step 150,000 (cell 10), then train/val in eval mode
(cells 12-13). torch.manual_seed(42) before the model as the notebook; random.seed(42) shuffle.
One thread; prints the losses every 10,000 steps, steps/s and wall time, and a last JSON line.

Run:  /usr/bin/python3 bench/peers/makemore_wavenet_torch.py [hierarchical|flat] [steps] [names.txt]
      [--no-eval]   (time the training only: no split losses afterwards)
"""

import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out)) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        out = x @ self.weight
        return out if self.bias is None else out + self.bias

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1, buggy=False):
        self.eps, self.momentum, self.training, self.buggy = eps, momentum, True, buggy
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x):
        if self.training:
            dim = 0 if x.ndim == 2 or self.buggy else (0, 1)
            xmean = x.mean(dim, keepdim=True)
            xvar = x.var(dim, keepdim=True)  # unbiased
        else:
            xmean, xvar = self.running_mean, self.running_var
        out = self.gamma * ((x - xmean) / torch.sqrt(xvar + self.eps)) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    training = True

    def __call__(self, x):
        return torch.tanh(x)

    def parameters(self):
        return []


class Embedding:
    training = True

    def __init__(self, num_embeddings, embedding_dim):
        self.weight = torch.randn((num_embeddings, embedding_dim))

    def __call__(self, ix):
        return self.weight[ix]

    def parameters(self):
        return [self.weight]


class FlattenConsecutive:
    training = True

    def __init__(self, n):
        self.n = n

    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        return x.squeeze(1) if x.shape[1] == 1 else x

    def parameters(self):
        return []


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def hierarchical(vocab_size=27, n_embd=24, n_hidden=128, buggy=False):
    return Sequential([
        Embedding(vocab_size, n_embd),
        FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False),
        BatchNorm1d(n_hidden, buggy=buggy), Tanh(),
        FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False),
        BatchNorm1d(n_hidden, buggy=buggy), Tanh(),
        FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False),
        BatchNorm1d(n_hidden, buggy=buggy), Tanh(),
        Linear(n_hidden, vocab_size),
    ])


def flat(vocab_size=27, block_size=8, n_embd=10, n_hidden=200):
    return Sequential([
        Embedding(vocab_size, n_embd),
        FlattenConsecutive(block_size), Linear(n_embd * block_size, n_hidden, bias=False),
        BatchNorm1d(n_hidden), Tanh(),
        Linear(n_hidden, vocab_size),
    ])


def finish(model):
    with torch.no_grad():
        model.layers[-1].weight *= 0.1
    params = model.parameters()
    for p in params:
        p.requires_grad = True
    return model


def load_split(names, block_size=8):
    words = open(names).read().splitlines()
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    random.seed(42)
    random.shuffle(words)

    def build(ws):
        X, Y = [], []
        for w in ws:
            context = [0] * block_size
            for ch in w + ".":
                X.append(context)
                Y.append(stoi[ch])
                context = context[1:] + [stoi[ch]]
        return torch.tensor(X), torch.tensor(Y)

    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    return build(words[:n1]), build(words[n1:n2]), build(words[n2:])


def train(model, Xtr, Ytr, steps, on_step=None, batch_size=32):
    parameters = model.parameters()
    for i in range(steps):
        ix = torch.randint(0, Xtr.shape[0], (batch_size,))
        loss = F.cross_entropy(model(Xtr[ix]), Ytr[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < 150000 else 0.01
        for p in parameters:
            p.data += -lr * p.grad
        if on_step is not None:
            on_step(i, loss.item())


@torch.no_grad()
def split_loss(model, X, Y):
    for layer in model.layers:
        layer.training = False
    return F.cross_entropy(model(X), Y).item()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    evaluate = "--no-eval" not in sys.argv
    kind = args[0] if args else "hierarchical"
    steps = int(args[1]) if len(args) > 1 else 200_000
    names = args[2] if len(args) > 2 else os.path.join(
        os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
    t0 = time.perf_counter()
    (Xtr, Ytr), (Xdev, Ydev), _ = load_split(names)
    torch.manual_seed(42)
    model = finish(hierarchical() if kind == "hierarchical" else flat())
    n = sum(p.nelement() for p in model.parameters())
    print(f"{kind}: {n} parameters, {steps} steps")

    def on_step(i, loss):
        if i % 10000 == 0:
            print(f"{i:7d}/{steps:7d}: {loss:.4f}", flush=True)

    t1 = time.perf_counter()
    train(model, Xtr, Ytr, steps, on_step)
    seconds = time.perf_counter() - t1
    tr, va = (split_loss(model, Xtr, Ytr), split_loss(model, Xdev, Ydev)) if evaluate else (0, 0)
    wall = time.perf_counter() - t0
    if evaluate:
        print(f"train {tr:.4f} val {va:.4f}")
    print(f"{steps} steps in {seconds:.1f} s ({steps / seconds:.0f} steps/s); wall {wall:.1f} s; "
          f"torch {torch.__version__}, 1 thread")
    print(json.dumps({"kind": kind, "steps": steps, "train": tr, "val": va,
                      "train_seconds": seconds, "steps_per_s": steps / seconds, "wall": wall}))


if __name__ == "__main__":
    main()
