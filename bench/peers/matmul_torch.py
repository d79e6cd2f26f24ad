"""PyTorch's matmul GFLOPS for the shapes of bench/matmul_shapes.ts.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/matmul_torch.py [--single]
       [--threads N] [--big]
Prints one JSON object: versions, thread settings, and per shape the best
seconds per product and GFLOPS. With --single, torch and its BLAS are held to
one thread: torch.set_num_threads(1) alone does not stop OpenBLAS's own
threads, so the script re-runs itself with OPENBLAS_NUM_THREADS=1 (and the OMP
and MKL equivalents). Without it, torch and OpenBLAS use their defaults.
Transposed operands are passed as transposed views (.t()), which torch hands
to its BLAS as transposition flags, as our transA/transB do. --threads N holds torch and
OpenBLAS to N threads (--single is --threads 1). --big measures instead the shapes of
bench/matmul_blas_gflops.ts (1024³ and (768x128)·(128x512)) through tensors: `a @ b` with a fresh
output each time, as a model calls it.
"""
import json
import os
import sys
import time

SINGLE_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

THREADS = "1" if "--single" in sys.argv else (
    sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else None)
if THREADS and any(os.environ.get(v) != THREADS for v in SINGLE_ENV):
    env = dict(os.environ, **{v: THREADS for v in SINGLE_ENV})
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import torch  # noqa: E402 (after the re-exec, so BLAS starts single-threaded)

SHAPES = [  # name, m, k, n, transA, transB (same list as bench/matmul_shapes.ts)
    ("512³ NN", 512, 512, 512, False, False),
    ("512³ TN", 512, 512, 512, True, False),
    ("512³ NT", 512, 512, 512, False, True),
    ("fwd h=(32x30)·(30x200)", 32, 30, 200, False, False),
    ("fwd logits=(32x200)·(200x27)", 32, 200, 27, False, False),
    ("bwd dW1=(30x32)·(32x200) TN", 30, 32, 200, True, False),
    ("bwd dX=(32x200)·(200x30) NT", 32, 200, 30, False, True),
    ("bwd dW2=(200x32)·(32x27) TN", 200, 32, 27, True, False),
    ("bwd dH=(32x27)·(27x200) NT", 32, 27, 200, False, True),
    ("sample (1x30)·(30x200)", 1, 30, 200, False, False),
]

BIG_SHAPES = [  # bench/matmul_blas_gflops.ts
    ("1024³", 1024, 1024, 1024, False, False),
    ("(768x128)·(128x512)", 768, 128, 512, False, False),
]


def best_seconds(m, k, n, trans_a, trans_b, rounds=15, fresh=False):
    torch.manual_seed(0)
    a = torch.randn(k, m).t() if trans_a else torch.randn(m, k)
    b = torch.randn(n, k).t() if trans_b else torch.randn(k, n)
    out = torch.empty(m, n)
    iters = max(1, int(3e7 / (2 * m * k * n)))
    def mm():
        return a @ b if fresh else torch.mm(a, b, out=out)
    for _ in range(3):
        mm()
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(iters):
            mm()
        best = min(best, (time.perf_counter() - t0) / iters)
    return best


def main():
    if THREADS:
        torch.set_num_threads(int(THREADS))
    rows = {}
    big = "--big" in sys.argv
    for name, m, k, n, ta, tb in BIG_SHAPES if big else SHAPES:
        s = best_seconds(m, k, n, ta, tb, fresh=big)
        rows[name] = {"seconds": s, "gflops": 2 * m * k * n / s / 1e9}
    print(json.dumps({
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "torch_threads": torch.get_num_threads(),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "rows": rows,
    }))


if __name__ == "__main__":
    main()
