"""Fixtures for PyRandom.gauss and PyRandom.choices: streams from CPython 3.11's `random`.

    /usr/bin/python3 testdata/random/gen_py_random_gauss_choices.py

Writes testdata/random/py_random_gauss_choices.json. Each stream is a seed and a list of calls
made one after another on ONE `random.Random`, with each call's result, so the tests also check the
state a call leaves behind (gauss's cached second value, how many words choices consumes).
"""

import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(seed, calls):
    r = random.Random(seed)
    out = []
    for c in calls:
        op = c["op"]
        if op == "random":
            res = r.random()
        elif op == "gauss":
            res = r.gauss(c["mu"], c["sigma"])
        elif op == "choices":
            kw = {"k": c.get("k", 1)}
            if "weights" in c:
                kw["weights"] = c["weights"]
            if "cum_weights" in c:
                kw["cum_weights"] = c["cum_weights"]
            res = r.choices(c["population"], **kw)
        elif op == "shuffle":
            res = list(c["x"])
            r.shuffle(res)
        elif op == "seed":
            r.seed(c["seed"])
            res = None
        else:
            raise ValueError(op)
        out.append({**c, "result": res})
    return {"seed": seed, "calls": out}


def softmax_weights(g, n, temperature):
    logits = [g.gauss(0, 2) for _ in range(n)]
    m = max(logits)
    e = [math.exp((x - m) / temperature) for x in logits]
    s = sum(e)
    return [x / s for x in e]


def mixed_calls(plan_seed, n):
    """A fixed, varied list of calls (drawn from a separate generator that is not stored)."""
    g = random.Random(plan_seed)
    calls = []
    letters = list("abcdefghijklmnopqrstuvwxyz.")
    for _ in range(n):
        kind = g.choice(["random", "gauss", "gauss", "choices_w", "choices_w", "choices",
                         "choices_cum", "choices_int", "shuffle", "seed"])
        if kind == "random":
            calls.append({"op": "random"})
        elif kind == "gauss":
            calls.append({"op": "gauss", "mu": round(g.uniform(-3, 3), 3), "sigma": round(g.uniform(0.01, 2), 3)})
        elif kind == "choices_w":
            k = g.choice([1, 1, 1, 3, 10])
            calls.append({"op": "choices", "population": letters, "weights": softmax_weights(g, 27, 0.5), "k": k})
        elif kind == "choices":
            calls.append({"op": "choices", "population": list(range(g.randint(1, 40))), "k": g.choice([1, 4])})
        elif kind == "choices_cum":
            w = [g.randint(0, 5) for _ in range(8)]
            w[0] += 1
            cum, s = [], 0
            for x in w:
                s += x
                cum.append(s)
            calls.append({"op": "choices", "population": list("ABCDEFGH"), "cum_weights": cum, "k": 6})
        elif kind == "choices_int":
            calls.append({"op": "choices", "population": ["x", "y", "z"], "weights": [1, 0, 3], "k": 5})
        elif kind == "shuffle":
            calls.append({"op": "shuffle", "x": list(range(g.randint(2, 12)))})
        else:
            calls.append({"op": "seed", "seed": g.randint(0, 1000)})
    return calls


def main():
    cases = {}
    for seed in (42, 0, 7, 2**40 + 3):
        cases[f"gauss_{seed}"] = run(seed, [{"op": "gauss", "mu": 0.0, "sigma": 1.0}] * 1001)
    # microgpt's parameter draws: seed(42), shuffle of 32,033 documents (only the length matters to
    # the stream), then 4,192 draws of gauss(0, 0.08)
    r = random.Random(42)
    r.shuffle(list(range(32033)))
    cases["microgpt_init"] = {"values": [r.gauss(0, 0.08) for _ in range(4192)], "random_after": r.random()}
    cases["mixed_42"] = run(42, mixed_calls(1, 250))
    cases["mixed_2024"] = run(2024, mixed_calls(2, 250))
    # the weights-free path: floor(random() * n)
    cases["choices_uniform"] = run(5, [{"op": "choices", "population": list("abcdefg"), "k": 50}])
    with open(os.path.join(HERE, "py_random_gauss_choices.json"), "w") as f:
        json.dump({"python_version": sys.version.split()[0], "cases": cases}, f)


if __name__ == "__main__":
    main()
