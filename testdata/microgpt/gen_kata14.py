"""Reference values for kata 14 (microgpt), from our CPython port bench/peers/microgpt.py.

    /usr/bin/python3 testdata/microgpt/gen_kata14.py

Writes testdata/microgpt/kata14.json: the shuffled documents' head, parameter draws, outputs of
linear/softmax/rmsnorm/one head on fixed inputs (with gradients), the first three positions of
document 0 through the untrained model (attention, block, logits, KV cache), the loss of document 0
and selected gradients, three Adam steps on fixed gradients, the first training losses (schedule of
1,000 and of 4 steps) and the first names sampled after 5 steps. All floats are float64 as CPython
computed them.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "peers"))
import microgpt as mg  # noqa: E402

NAMES = os.path.join(os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")


def data(vs):
    return [v.data for v in vs]


def setup():
    random.seed(42)
    docs = [l.strip() for l in open(NAMES).read().strip().split("\n") if l.strip()]
    random.shuffle(docs)
    chars = sorted(set("".join(docs)))
    vocab = len(chars) + 1
    sd = {"wte": mg.matrix(vocab, mg.N_EMBD), "wpe": mg.matrix(mg.BLOCK_SIZE, mg.N_EMBD),
          "lm_head": mg.matrix(vocab, mg.N_EMBD)}
    for name in ("attn_wq", "attn_wk", "attn_wv", "attn_wo"):
        sd[f"layer0.{name}"] = mg.matrix(mg.N_EMBD, mg.N_EMBD)
    sd["layer0.mlp_fc1"] = mg.matrix(4 * mg.N_EMBD, mg.N_EMBD)
    sd["layer0.mlp_fc2"] = mg.matrix(mg.N_EMBD, 4 * mg.N_EMBD)
    params = [p for mat in sd.values() for row in mat for p in row]
    return docs, chars, sd, params


def tokens_of(doc, chars):
    return [len(chars)] + [chars.index(c) for c in doc] + [len(chars)]


def doc_loss(sd, tokens):
    n = min(mg.BLOCK_SIZE, len(tokens) - 1)
    keys, vals = [[]], [[]]
    per = []
    for pos in range(n):
        probs = mg.softmax(mg.gpt(sd, tokens[pos], pos, keys, vals))
        per.append(-probs[tokens[pos + 1]].log())
    return (1 / n) * sum(per)


def main():
    out = {"python_version": sys.version.split()[0]}
    docs, chars, sd, params = setup()
    out["docs"] = {"count": len(docs), "head": docs[:5], "chars": "".join(chars)}
    out["params"] = {
        "count": len(params),
        "wte00": sd["wte"][0][0].data, "wte01": sd["wte"][0][1].data, "wpe00": sd["wpe"][0][0].data,
        "lm_head00": sd["lm_head"][0][0].data, "attn_wq00": sd["layer0.attn_wq"][0][0].data,
        "attn_wo00": sd["layer0.attn_wo"][0][0].data, "mlp_fc1_00": sd["layer0.mlp_fc1"][0][0].data,
        "last": params[-1].data, "sum": sum(p.data for p in params),
        "random_after": random.random(),
    }

    # linear, softmax, rmsnorm on fixed inputs; grads of sum(c_i * out_i)
    xs = [0.3, -1.2, 0.05, 2.0]
    W = [[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, 0.7, -0.8], [0.9, 1.0, -1.1, 0.0]]
    cs = [1.0, -2.0, 0.5, 3.0]

    def case(fn, inputs, w=None):
        x = [mg.Value(v) for v in inputs]
        wv = [[mg.Value(v) for v in row] for row in w] if w else None
        y = fn(x, wv) if w else fn(x)
        loss = sum(c * yi for c, yi in zip(cs, y))
        loss.backward()
        r = {"x": inputs, "out": data(y), "x_grad": [v.grad for v in x]}
        if w:
            r["w"] = w
            r["w_grad"] = [[v.grad for v in row] for row in wv]
        return r

    out["linear"] = case(mg.linear, xs, W)
    out["softmax"] = case(mg.softmax, [1.0, -0.5, 2.5, 0.0])
    out["softmax_big"] = case(mg.softmax, [1000.0, 1000.5, 999.0, 998.25])
    out["rmsnorm"] = case(mg.rmsnorm, [0.3, -1.2, 0.05, 2.0])
    out["rmsnorm_small"] = case(mg.rmsnorm, [0.002, -0.001, 0.0035, 0.0005])

    # one head over three cached positions
    q = [0.4, -0.3, 1.1, 0.2]
    K = [[0.5, 0.1, -0.7, 0.3], [-0.2, 0.9, 0.4, -1.0], [1.3, -0.6, 0.2, 0.8]]
    V = [[1.0, 2.0, -1.0, 0.5], [-0.5, 0.3, 0.8, 1.5], [0.2, -1.2, 0.6, -0.4]]
    qv = [mg.Value(v) for v in q]
    Kv = [[mg.Value(v) for v in r] for r in K]
    Vv = [[mg.Value(v) for v in r] for r in V]
    logits = [sum(qv[j] * Kv[t][j] for j in range(4)) / 4**0.5 for t in range(3)]
    w = mg.softmax(logits)
    ho = [sum(w[t] * Vv[t][j] for t in range(3)) for j in range(4)]
    loss = sum(c * h for c, h in zip(cs, ho))
    loss.backward()
    out["head"] = {"q": q, "keys": K, "values": V, "out": data(ho), "weights": data(w),
                   "q_grad": [v.grad for v in qv], "keys_grad": [[v.grad for v in r] for r in Kv]}

    # document 0 through the untrained model, positions 0..2, step by step
    toks = tokens_of(docs[0], chars)
    keys, vals = [[]], [[]]
    pos_rows = []
    for pos in range(3):
        x = mg.rmsnorm([t + p for t, p in zip(sd["wte"][toks[pos]], sd["wpe"][pos])])
        block_in = data(x)
        xn = mg.rmsnorm(x)
        attn_in = data(xn)
        logits_pos = mg.gpt(sd, toks[pos], pos, keys, vals)
        pos_rows.append({"token": toks[pos], "block_in": block_in, "attn_in": attn_in,
                         "key": data(keys[0][-1]), "value": data(vals[0][-1]),
                         "logits": data(logits_pos)})
    # attention output and block output: recompute with fresh caches through the port's pieces
    k2, v2 = [[]], [[]]
    for pos in range(3):
        x = [mg.Value(v) for v in pos_rows[pos]["block_in"]]
        xn = mg.rmsnorm(x)
        q_ = mg.linear(xn, sd["layer0.attn_wq"])
        k_ = mg.linear(xn, sd["layer0.attn_wk"])
        v_ = mg.linear(xn, sd["layer0.attn_wv"])
        k2[0].append(k_)
        v2[0].append(v_)
        heads = []
        for h in range(mg.N_HEAD):
            s = h * mg.HEAD_DIM
            qh = q_[s:s + mg.HEAD_DIM]
            kh = [kt[s:s + mg.HEAD_DIM] for kt in k2[0]]
            vh = [vt[s:s + mg.HEAD_DIM] for vt in v2[0]]
            lg = [sum(qh[j] * kh[t][j] for j in range(mg.HEAD_DIM)) / mg.HEAD_DIM**0.5 for t in range(len(kh))]
            ww = mg.softmax(lg)
            heads.extend(sum(ww[t] * vh[t][j] for t in range(len(vh))) for j in range(mg.HEAD_DIM))
        a = mg.linear(heads, sd["layer0.attn_wo"])
        pos_rows[pos]["attn_out"] = data(a)
        x1 = [ai + xi for ai, xi in zip(a, x)]
        hdn = [hi.relu() for hi in mg.linear(mg.rmsnorm(x1), sd["layer0.mlp_fc1"])]
        y = [mi + xi for mi, xi in zip(mg.linear(hdn, sd["layer0.mlp_fc2"]), x1)]
        pos_rows[pos]["block_out"] = data(y)
    out["doc0"] = {"doc": docs[0], "tokens": toks, "positions": pos_rows}

    # loss of document 0 and selected gradients
    loss = doc_loss(sd, toks)
    loss.backward()
    pick = {"wte": (toks[1], 3), "wpe": (0, 0), "lm_head": (toks[1], 2), "layer0.attn_wq": (3, 4),
            "layer0.attn_wk": (5, 1), "layer0.attn_wv": (7, 9), "layer0.attn_wo": (2, 15),
            "layer0.mlp_fc1": (10, 6), "layer0.mlp_fc2": (4, 33)}
    out["loss0"] = {"loss": loss.data, "n": min(mg.BLOCK_SIZE, len(toks) - 1),
                    "grads": {k: [r, c, sd[k][r][c].grad] for k, (r, c) in pick.items()},
                    "grad_abs_sum": sum(abs(p.grad) for p in params)}
    for p in params:
        p.grad = 0

    # Adam on fixed gradients: 3 parameters, 3 steps, lr 0.01, 0.009, 0.008
    pdata = [0.5, -0.3, 0.1]
    grads = [[0.2, -0.05, 1e-4], [0.1, 0.3, -2e-4], [-0.4, 0.02, 0.0]]
    b1, b2, eps = 0.85, 0.99, 1e-8
    m, v = [0.0] * 3, [0.0] * 3
    after = []
    for step in range(3):
        lr_t = [0.01, 0.009, 0.008][step]
        for i in range(3):
            g = grads[step][i]
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g**2
            m_hat = m[i] / (1 - b1 ** (step + 1))
            v_hat = v[i] / (1 - b2 ** (step + 1))
            pdata[i] -= lr_t * m_hat / (v_hat**0.5 + eps)
        after.append(list(pdata))
    out["adam"] = {"start": [0.5, -0.3, 0.1], "grads": grads, "lrs": [0.01, 0.009, 0.008], "after": after}

    def train(steps, schedule, samples=0):
        docs_, chars_, sd_, params_ = setup()
        m, v = [0.0] * len(params_), [0.0] * len(params_)
        losses = []
        for step in range(steps):
            loss = doc_loss(sd_, tokens_of(docs_[step % len(docs_)], chars_))
            loss.backward()
            lr_t = 0.01 * (1 - step / schedule)
            for i, p in enumerate(params_):
                m[i] = b1 * m[i] + (1 - b1) * p.grad
                v[i] = b2 * v[i] + (1 - b2) * p.grad**2
                m_hat = m[i] / (1 - b1 ** (step + 1))
                v_hat = v[i] / (1 - b2 ** (step + 1))
                p.data -= lr_t * m_hat / (v_hat**0.5 + eps)
                p.grad = 0
            losses.append(loss.data)
        names = []
        for _ in range(samples):
            keys, vals = [[]], [[]]
            token, s = len(chars_), ""
            for pos in range(mg.BLOCK_SIZE):
                probs = mg.softmax([l / 0.5 for l in mg.gpt(sd_, token, pos, keys, vals)])
                token = random.choices(range(len(chars_) + 1), weights=[p.data for p in probs])[0]
                if token == len(chars_):
                    break
                s += chars_[token]
            names.append(s)
        return losses, names, params_

    losses, names, p5 = train(5, 1000, samples=3)
    out["train"] = {"losses_1000": losses, "samples_after_5": names,
                    "wte00_after_5": p5[0].data}
    losses4, _, _ = train(4, 4)
    out["train"]["losses_schedule_4"] = losses4
    with open(os.path.join(HERE, "kata14.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
