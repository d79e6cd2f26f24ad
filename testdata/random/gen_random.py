"""Fixtures for core/random: PyTorch CPU generator streams and CPython `random` streams.

Run once with the Debian interpreter that carries torch 1.13:

    /usr/bin/python3 testdata/random/gen_random.py

Writes testdata/random/torch_random.json (the CPU kernels torch picks on this
x86-64 machine: AVX2), testdata/random/torch_random_default.json (the same
script re-run with ATEN_CPU_CAPABILITY=default: torch's portable kernels) and
testdata/random/py_random.json.
Float32 results are stored as their IEEE-754 bit patterns (unsigned ints) so the
tests can compare bit for bit. Each torch case is a seed and a list of calls made
one after another on ONE generator, so the streams also check what state the
calls leave behind (the cached second Box-Muller sample, the tail of normal_fill).
"""

import json
import os
import platform
import random
import struct
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def f32_bits(t):
    t = t.contiguous().view(-1).tolist()
    return [struct.unpack("<I", struct.pack("<f", v))[0] for v in t]


def ints(t):
    return [int(v) for v in t.contiguous().view(-1).tolist()]


def run_calls(seed, calls):
    g = torch.Generator().manual_seed(seed)
    out = []
    for c in calls:
        op = c["op"]
        if op == "rand":
            r = {"bits": f32_bits(torch.rand(c["shape"], generator=g))}
        elif op == "uniform":
            t = torch.empty(c["shape"]).uniform_(c["low"], c["high"], generator=g)
            r = {"bits": f32_bits(t)}
        elif op == "normal":
            t = torch.empty(c["shape"]).normal_(c["mean"], c["std"], generator=g)
            r = {"bits": f32_bits(t)}
        elif op == "randn":
            r = {"bits": f32_bits(torch.randn(c["shape"], generator=g))}
        elif op == "randint":
            r = {"values": ints(torch.randint(c["low"], c["high"], c["shape"], generator=g))}
        elif op == "exponential":
            r = {"bits": f32_bits(torch.empty(c["shape"]).exponential_(generator=g))}
        elif op == "bernoulli":
            r = {"bits": f32_bits(torch.empty(c["shape"]).bernoulli_(c["p"], generator=g))}
        elif op == "randperm":
            r = {"values": ints(torch.randperm(c["n"], generator=g))}
        elif op == "multinomial":
            # probs either given as bits or drawn from the same generator first
            if "probs_from_rand" in c:
                p = torch.rand(c["probs_from_rand"], generator=g)
                p = p / p.sum(-1, keepdim=True)
                c = dict(c)
                c["probs_bits"] = f32_bits(p)  # drawn first from g, then normalised
                c["probs_shape"] = list(p.shape)
            else:
                p = torch.tensor(
                    [struct.unpack("<f", struct.pack("<I", b))[0] for b in c["probs_bits"]],
                    dtype=torch.float32,
                ).view(c["probs_shape"])
            s = torch.multinomial(p, c["num_samples"], replacement=c["replacement"], generator=g)
            r = {"values": ints(s)}
        else:
            raise ValueError(op)
        out.append(dict(c, **r))
    return {"seed": seed, "calls": out}


def bits_of(values):
    return f32_bits(torch.tensor(values, dtype=torch.float32))


def torch_cases():
    cases = {}
    s = 2147483647
    cases["lecture_rand3"] = run_calls(s, [{"op": "rand", "shape": [3]}])
    for seed in (2147483647, 42, 0, 1337, 67280421310721, 2**40 + 5):
        cases[f"rand_sizes_{seed}"] = run_calls(
            seed, [{"op": "rand", "shape": [n]} for n in (1, 3, 15, 16, 17, 100, 1000, 2053)]
        )
        cases[f"randn_sizes_{seed}"] = run_calls(
            seed,
            [{"op": "randn", "shape": [n]} for n in (1, 3, 15, 16, 17, 31, 100, 1000, 2053)]
            + [{"op": "randn", "shape": sh} for sh in ([27, 2], [6, 100], [3, 5], [4, 4])],
        )
    cases["randn_long"] = run_calls(1234, [{"op": "randn", "shape": [12000]}])
    cases["randn_small_many"] = run_calls(
        99, [{"op": "randn", "shape": [n]} for n in (1, 2, 3, 5, 7, 15, 9, 11, 13, 1, 4)] * 60
    )
    # the makemore MLP lecture's parameter init
    cases["mlp_init"] = run_calls(
        2147483647,
        [{"op": "randn", "shape": sh} for sh in ([27, 2], [6, 100], [100], [100, 27], [27])],
    )
    # interleaved calls: the cached Box-Muller sample survives rand/randint/randn(>=16)
    cases["interleaved"] = run_calls(
        7,
        [
            {"op": "randn", "shape": [3]},
            {"op": "rand", "shape": [2]},
            {"op": "randn", "shape": [1]},
            {"op": "randn", "shape": [20]},
            {"op": "randn", "shape": [1]},
            {"op": "randint", "low": 0, "high": 10, "shape": [5]},
            {"op": "randn", "shape": [5]},
            {"op": "randn", "shape": [40]},
            {"op": "randn", "shape": [2]},
            {"op": "rand", "shape": [33]},
        ],
    )
    ranges = [(0, 10), (0, 27), (-5, 5), (0, 2**31 - 1), (-(2**31), 2**31 - 1), (-(2**31), 2**31),
              (0, 32033), (0, 1), (100, 228146)]
    cases["randint"] = run_calls(
        2147483647, [{"op": "randint", "low": lo, "high": hi, "shape": [257]} for lo, hi in ranges]
    )
    cases["randint_42"] = run_calls(
        42, [{"op": "randint", "low": 0, "high": 182625, "shape": [32]}] * 20
    )
    cases["exponential"] = run_calls(
        5, [{"op": "exponential", "shape": [1000]}, {"op": "exponential", "shape": [3]}]
    )
    cases["uniform"] = run_calls(
        21, [{"op": "uniform", "low": lo, "high": hi, "shape": [500]}
             for lo, hi in ((-3.0, 5.0), (0.1, 0.2), (-1e-3, 1e3), (2.0, 2.5))]
    )
    cases["normal_mean_std"] = run_calls(
        22, [{"op": "normal", "mean": m, "std": sd, "shape": [n]}
             for m, sd in ((0.5, 2.0), (-3.0, 0.1), (0.0, 0.02)) for n in (5, 16, 37, 1000)]
    )
    cases["bernoulli"] = run_calls(
        23, [{"op": "bernoulli", "p": p, "shape": [n]}
             for p in (0.5, 0.9, 0.1, 0.333) for n in (3, 16, 100, 257)]
    )
    cases["randperm"] = run_calls(
        11, [{"op": "randperm", "n": n} for n in (1, 2, 10, 100, 1000)]
    )

    # multinomial: the bigram lecture's first sampling example
    cases["multinomial_lecture"] = run_calls(
        2147483647,
        [{"op": "multinomial", "probs_from_rand": [3], "num_samples": 100, "replacement": True}],
    )
    gen = torch.Generator().manual_seed(3)
    counts = torch.randint(0, 50, (5, 7), generator=gen).float()
    counts[1, 3] = 0
    counts[2, 0] = 0
    counts[4, 6] = 0
    probs = counts / counts.sum(1, keepdim=True)
    pb = f32_bits(probs)
    unnorm = f32_bits(counts)
    mcalls = []
    for num, repl in ((1, True), (4, True), (50, True), (1, False), (3, False), (4, False)):
        mcalls.append({"op": "multinomial", "probs_bits": pb, "probs_shape": [5, 7],
                       "num_samples": num, "replacement": repl})
    mcalls.append({"op": "multinomial", "probs_bits": unnorm, "probs_shape": [5, 7],
                   "num_samples": 6, "replacement": True})
    row = torch.rand(27, generator=gen) + 0.01
    mcalls.append({"op": "multinomial", "probs_bits": f32_bits(row), "probs_shape": [27],
                   "num_samples": 27, "replacement": False})
    mcalls.append({"op": "multinomial", "probs_bits": f32_bits(row), "probs_shape": [27],
                   "num_samples": 1, "replacement": True})
    for _ in range(60):
        mcalls.append({"op": "multinomial", "probs_bits": f32_bits(row), "probs_shape": [27],
                       "num_samples": 1, "replacement": True})
    cases["multinomial_mixed"] = run_calls(2147483647, mcalls)
    return cases


def default_capability_cases():
    """The cases whose bits depend on the CPU kernel, for the portable kernels."""
    cases = {}
    for seed in (2147483647, 42):
        cases[f"randn_sizes_{seed}"] = run_calls(
            seed,
            [{"op": "randn", "shape": [n]} for n in (1, 3, 15, 16, 17, 31, 100, 1000, 2053)]
            + [{"op": "randn", "shape": sh} for sh in ([27, 2], [6, 100], [3, 5], [4, 4])],
        )
    cases["randn_long"] = run_calls(1234, [{"op": "randn", "shape": [12000]}])
    cases["uniform"] = run_calls(
        21, [{"op": "uniform", "low": lo, "high": hi, "shape": [500]}
             for lo, hi in ((-3.0, 5.0), (0.1, 0.2), (-1e-3, 1e3), (2.0, 2.5))]
    )
    return cases


def dropout_masks():
    """F.dropout in training mode on the default generator: which entries survive."""
    out = []
    for seed, p, n in ((42, 0.1, 300), (1337, 0.5, 64), (7, 0.25, 17)):
        torch.manual_seed(seed)
        y = torch.nn.functional.dropout(torch.ones(n), p=p, training=True)
        out.append({"seed": seed, "p": p, "n": n, "kept": [int(v != 0) for v in y.tolist()],
                    "scale_bits": f32_bits(y[y != 0][:1])})
    return out


def bigram_names():
    """Five names from the +1-smoothed bigram model, the lecture's loop (needs names.txt)."""
    path = os.path.join(os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
    words = open(path).read().splitlines()
    chars = sorted(list(set("".join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    N = torch.zeros((27, 27), dtype=torch.int32)
    for w in words:
        chs = ["."] + list(w) + ["."]
        for a, b in zip(chs, chs[1:]):
            N[stoi[a], stoi[b]] += 1
    P = (N + 1).float()
    P /= P.sum(1, keepdims=True)
    g = torch.Generator().manual_seed(2147483647)
    names = []
    for _ in range(20):
        out = []
        ix = 0
        while True:
            p = P[ix]
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        names.append("".join(out))
    return names


def py_cases():
    cases = {}
    for seed in (42, 0, 2147483647, 2**40 + 123, -7, 2**100 + 3):
        r = random.Random(seed)
        cases[f"random_{seed}"] = {"seed": str(seed), "values": [r.random() for _ in range(500)]}
    r = random.Random(42)
    xs = list(range(100))
    r.shuffle(xs)
    after = r.random()
    cases["shuffle_100"] = {"seed": "42", "values": xs, "random_after": after}
    r = random.Random(42)
    big = list(range(32033))
    r.shuffle(big)
    cases["shuffle_32033"] = {"seed": "42", "head": big[:200], "tail": big[-200:],
                              "sum_of_index_times_value": sum(i * v for i, v in enumerate(big))}
    r = random.Random(1)
    cases["randint"] = {"seed": "1", "calls": [[a, b, r.randint(a, b)] for a, b in
                                                [(1, 6), (0, 100), (-50, 50), (0, 2**31), (5, 5),
                                                 (0, 2**40)] * 40]}
    r = random.Random(2)
    seq = list("abcdefghijklmnopqrstuvwxyz")
    cases["choice"] = {"seed": "2", "seq": "".join(seq), "values": "".join(r.choice(seq) for _ in range(300))}
    r = random.Random(3)
    cases["getrandbits"] = {"seed": "3", "calls": [[k, str(r.getrandbits(k))] for k in
                                                    (1, 5, 31, 32, 33, 53, 64, 100) * 10]}
    r = random.Random(4)
    cases["uniform"] = {"seed": "4", "calls": [[-2.5, 7.0, r.uniform(-2.5, 7.0)] for _ in range(50)]}
    return cases


def capability():
    return [l.strip() for l in torch.__config__.show().splitlines() if "CPU capability" in l]


def main():
    if os.environ.get("ATEN_CPU_CAPABILITY") == "default":
        meta = {"generator": "testdata/random/gen_random.py (ATEN_CPU_CAPABILITY=default)",
                "torch_version": torch.__version__, "python_version": sys.version.split()[0],
                "platform": platform.machine(), "torch_cpu_capability": capability()}
        with open(os.path.join(HERE, "torch_random_default.json"), "w") as f:
            json.dump(dict(meta, cases=default_capability_cases()), f, separators=(",", ":"))
        return
    assert "AVX2" in " ".join(capability()), capability()
    meta = {
        "generator": "testdata/random/gen_random.py",
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "platform": platform.machine(),
        "torch_cpu_capability": capability(),
    }
    data = dict(meta, cases=torch_cases(), dropout=dropout_masks())
    try:
        data["bigram_names"] = bigram_names()
    except FileNotFoundError:
        data["bigram_names"] = None
    with open(os.path.join(HERE, "torch_random.json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))
    with open(os.path.join(HERE, "py_random.json"), "w") as f:
        json.dump(dict(meta, cases=py_cases()), f, separators=(",", ":"))
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True)


if __name__ == "__main__":
    main()
