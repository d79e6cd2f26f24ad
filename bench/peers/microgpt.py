"""microgpt in plain CPython: our own port, written from the description in kata 14's issue
(katas/14/README.md), to time CPython beside `deno task reproduce 14` and to dump reference values.

    nice /usr/bin/python3 bench/peers/microgpt.py [--steps 1000] [--samples 20] [--json out.json]

Prints the run in the published program's format (`num params: 4192`, `step    1 / 1000 | loss
3.3660`, `sample  1: kamon`) and the wall time on stderr. `--json` also writes every step's loss at
full precision and the samples. Needs no package: the scalar `Value` below is the whole engine.
"""

import argparse
import json
import math
import os
import random
import sys
import time


class Value:
    """A scalar with the local derivative of its result with respect to each child, stored beside
    the child (no closures), so backward is one loop over the graph."""

    __slots__ = ("data", "grad", "children", "local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self.children = children
        self.local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k):
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self):
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def relu(self):
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for c in v.children:
                    visit(c)
                order.append(v)

        visit(self)
        self.grad = 1
        for v in reversed(order):
            for c, g in zip(v.children, v.local_grads):
                c.grad += g * v.grad


N_LAYER, N_EMBD, BLOCK_SIZE, N_HEAD = 1, 16, 16, 4
HEAD_DIM = N_EMBD // N_HEAD


def matrix(rows, cols, std=0.08):
    return [[Value(random.gauss(0, std)) for _ in range(cols)] for _ in range(rows)]


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    m = max(v.data for v in logits)
    exps = [(v - m).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt(sd, token_id, pos_id, keys, values):
    x = [t + p for t, p in zip(sd["wte"][token_id], sd["wpe"][pos_id])]
    x = rmsnorm(x)
    for li in range(N_LAYER):
        residual = x
        x = rmsnorm(x)
        q = linear(x, sd[f"layer{li}.attn_wq"])
        k = linear(x, sd[f"layer{li}.attn_wk"])
        v = linear(x, sd[f"layer{li}.attn_wv"])
        keys[li].append(k)
        values[li].append(v)
        heads = []
        for h in range(N_HEAD):
            s = h * HEAD_DIM
            qh = q[s : s + HEAD_DIM]
            kh = [kt[s : s + HEAD_DIM] for kt in keys[li]]
            vh = [vt[s : s + HEAD_DIM] for vt in values[li]]
            logits = [
                sum(qh[j] * kh[t][j] for j in range(HEAD_DIM)) / HEAD_DIM**0.5
                for t in range(len(kh))
            ]
            w = softmax(logits)
            heads.extend(sum(w[t] * vh[t][j] for t in range(len(vh))) for j in range(HEAD_DIM))
        x = linear(heads, sd[f"layer{li}.attn_wo"])
        x = [a + b for a, b in zip(x, residual)]
        residual = x
        x = rmsnorm(x)
        x = linear(x, sd[f"layer{li}.mlp_fc1"])
        x = [xi.relu() for xi in x]
        x = linear(x, sd[f"layer{li}.mlp_fc2"])
        x = [a + b for a, b in zip(x, residual)]
    return linear(x, sd["lm_head"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--schedule-steps", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--json")
    ap.add_argument("--names", default=os.path.join(os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt"))
    args = ap.parse_args()
    t0 = time.time()

    random.seed(42)
    docs = [line.strip() for line in open(args.names).read().strip().split("\n") if line.strip()]
    random.shuffle(docs)
    chars = sorted(set("".join(docs)))
    bos = len(chars)
    vocab = len(chars) + 1

    sd = {"wte": matrix(vocab, N_EMBD), "wpe": matrix(BLOCK_SIZE, N_EMBD), "lm_head": matrix(vocab, N_EMBD)}
    for li in range(N_LAYER):
        for name in ("attn_wq", "attn_wk", "attn_wv", "attn_wo"):
            sd[f"layer{li}.{name}"] = matrix(N_EMBD, N_EMBD)
        sd[f"layer{li}.mlp_fc1"] = matrix(4 * N_EMBD, N_EMBD)
        sd[f"layer{li}.mlp_fc2"] = matrix(N_EMBD, 4 * N_EMBD)
    params = [p for mat in sd.values() for row in mat for p in row]
    print(f"num params: {len(params)}")

    lr, b1, b2, eps = 0.01, 0.85, 0.99, 1e-8
    m = [0.0] * len(params)
    v = [0.0] * len(params)
    losses = []
    total = args.schedule_steps
    for step in range(args.steps):
        tokens = [bos] + [chars.index(c) for c in docs[step % len(docs)]] + [bos]
        n = min(BLOCK_SIZE, len(tokens) - 1)
        keys, vals = [[] for _ in range(N_LAYER)], [[] for _ in range(N_LAYER)]
        per_pos = []
        for pos in range(n):
            probs = softmax(gpt(sd, tokens[pos], pos, keys, vals))
            per_pos.append(-probs[tokens[pos + 1]].log())
        loss = (1 / n) * sum(per_pos)
        loss.backward()
        lr_t = lr * (1 - step / total)
        for i, p in enumerate(params):
            m[i] = b1 * m[i] + (1 - b1) * p.grad
            v[i] = b2 * v[i] + (1 - b2) * p.grad**2
            m_hat = m[i] / (1 - b1 ** (step + 1))
            v_hat = v[i] / (1 - b2 ** (step + 1))
            p.data -= lr_t * m_hat / (v_hat**0.5 + eps)
            p.grad = 0
        losses.append(loss.data)
        print(f"step {step + 1:4d} / {total:4d} | loss {loss.data:.4f}", flush=True)

    temperature = 0.5
    samples = []
    for s in range(args.samples):
        keys, vals = [[] for _ in range(N_LAYER)], [[] for _ in range(N_LAYER)]
        token, out = bos, []
        for pos in range(BLOCK_SIZE):
            probs = softmax([l / temperature for l in gpt(sd, token, pos, keys, vals)])
            token = random.choices(range(vocab), weights=[p.data for p in probs])[0]
            if token == bos:
                break
            out.append(chars[token])
        samples.append("".join(out))
        print(f"sample {s + 1:2d}: {samples[-1]}")
    wall = time.time() - t0
    print(f"wall {wall:.1f} s, cpu {time.process_time():.1f} s", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"python_version": sys.version.split()[0], "steps": args.steps, "losses": losses,
                       "samples": samples, "wall_s": wall, "cpu_s": time.process_time()}, f)


if __name__ == "__main__":
    main()
