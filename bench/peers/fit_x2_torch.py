"""PyTorch peer of `deno task reproduce 03` (kata 03: fitting y = x^2).

The same experiment, written with torch: the 50-point grid on [-1, 1] with 10
points held out by torch.randperm(generator=Generator(0)); nn.Sequential(
Linear(1, 16), Tanh/ReLU, Linear(16, 16), Tanh/ReLU, Linear(16, 1)) built after
torch.manual_seed(seed), so its initial weights are katagrad's
makeModel({ generator: new Generator(seed) }) bit for bit; random search
(scale 0.02, randn from Generator(seed + 1)), gradient descent (lr 0.2) and
Adam (lr 0.01, written out as in the kata) with the same budget of loss
evaluations. Prints the same tables as the katagrad script. Run with:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 /usr/bin/python3 bench/peers/fit_x2_torch.py [steps]
"""
import sys
import time

import torch

torch.set_num_threads(1)
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
BUDGET, SEED = 300, 5


def make_data(n, low=-1.0, high=1.0):
    x = torch.linspace(low, high, n).reshape(n, 1)
    return x, x * x


x_all, y_all = make_data(50)
perm = torch.randperm(50, generator=torch.Generator().manual_seed(0))
held, tr = perm[:10], perm[10:]
xtr, ytr, xho, yho = x_all[tr], y_all[tr], x_all[held], y_all[held]
xout, yout = make_data(50, 2.0, 3.0)


def make_model(seed, act="tanh"):
    torch.manual_seed(seed)
    A = torch.nn.Tanh if act == "tanh" else torch.nn.ReLU
    return torch.nn.Sequential(
        torch.nn.Linear(1, 16), A(), torch.nn.Linear(16, 16), A(), torch.nn.Linear(16, 1)
    )


def mse(m, x, y):
    return ((m(x) - y) ** 2).mean()


def random_search(m, steps, seed, scale=0.02):
    g = torch.Generator().manual_seed(seed)
    ps = list(m.parameters())
    with torch.no_grad():
        best = mse(m, xtr, ytr).item()
        hist = [best]
        for _ in range(1, steps):
            saved = [p.clone() for p in ps]
            for p in ps:
                p.add_(torch.randn(p.shape, generator=g) * scale)
            l = mse(m, xtr, ytr).item()
            if l < best:
                best = l
            else:
                for p, s in zip(ps, saved):
                    p.copy_(s)
            hist.append(best)
    return hist


def gradient_descent(m, steps, lr=0.2):
    ps, hist = list(m.parameters()), []
    for _ in range(steps):
        m.zero_grad(set_to_none=True)
        l = mse(m, xtr, ytr)
        l.backward()
        with torch.no_grad():
            for p in ps:
                p.sub_(p.grad * lr)
        hist.append(l.item())
    return hist


def adam(m, steps, lr=0.01, b1=0.9, b2=0.999, eps=1e-8, wd=0.0):
    ps, hist = list(m.parameters()), []
    ms = [torch.zeros_like(p) for p in ps]
    vs = [torch.zeros_like(p) for p in ps]
    for t in range(1, steps + 1):
        m.zero_grad(set_to_none=True)
        l = mse(m, xtr, ytr)
        l.backward()
        with torch.no_grad():
            for i, p in enumerate(ps):
                g = p.grad + wd * p
                ms[i] = ms[i] * b1 + g * (1 - b1)
                vs[i] = vs[i] * b2 + g * g * (1 - b2)
                mh, vh = ms[i] / (1 - b1**t), vs[i] / (1 - b2**t)
                p.sub_(mh / (vh.sqrt() + eps) * lr)
        hist.append(l.item())
    return hist


def final(m):
    with torch.no_grad():
        return mse(m, xtr, ytr).item()


def compare(steps, seed):
    out = {}
    for name, fit in [
        ("random search", lambda m: random_search(m, steps, seed + 1)),
        ("gradient descent", lambda m: gradient_descent(m, steps)),
        ("Adam", lambda m: adam(m, steps)),
    ]:
        m = make_model(seed)
        h = fit(m)
        out[name] = (h[0], final(m), min(h))
    return out


def f(m, x):
    with torch.no_grad():
        return m(torch.tensor([[float(x)]])).item()


def slope(m, a, b):
    return (f(m, b) - f(m, a)) / (b - a)


t0 = time.perf_counter()
print(f"PyTorch {torch.__version__}, 1 thread: kata 03 peer, seed {SEED}")
for steps in [BUDGET, STEPS]:
    t = time.perf_counter()
    r = compare(steps, SEED)
    print(f"\nbudget {steps}: start {r['Adam'][0]:.4e}  ({time.perf_counter() - t:.2f} s)")
    print(f"  {'':<18}{'final':<12}best seen")
    for name, (_, fin, best) in r.items():
        print(f"  {name:<18}{fin:<12.3e}{best:.3e}")

ratios = []
for s in range(20):
    r = compare(BUDGET, s)
    ratios.append((r["gradient descent"][1] / r["Adam"][1], r["random search"][1] / r["gradient descent"][1]))
print(
    f"\nseeds 0-19, budget {BUDGET}: min gd/Adam {min(a for a, _ in ratios):.2f}, "
    f"min rs/gd {min(b for _, b in ratios):.2f}"
)

print("\nAdam, 300 steps     train     held-out  [2, 3]    slope[.5,1] [2,2.5] [2.5,3]  |p|")
for label, act, wd in [("tanh", "tanh", 0.0), ("relu", "relu", 0.0), ("relu, wd 1e-3", "relu", 1e-3)]:
    m = make_model(SEED, act)
    adam(m, BUDGET, wd=wd)
    with torch.no_grad():
        e = [mse(m, a, b).item() for a, b in [(xtr, ytr), (xho, yho), (xout, yout)]]
        norm = sum((p * p).sum().item() for p in m.parameters()) ** 0.5
    print(
        f"  {label:<18}{e[0]:.2e}  {e[1]:.2e}  {e[2]:.2e}  {slope(m, .5, 1):.3f}       "
        f"{slope(m, 2, 2.5):.3f}   {slope(m, 2.5, 3):.3f}    {norm:.2f}"
    )
print(f"\nwall time {time.perf_counter() - t0:.1f} s")
