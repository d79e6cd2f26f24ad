"""Fixtures for core/io/safetensors.ts and core/io/float16.ts, written by the reference Python tools.

Run from the repository root:
    PYTHONPATH=/path/to/safetensors /usr/bin/python3 testdata/safetensors/gen_safetensors.py

Needs torch (1.13 used) and the `safetensors` package (0.8.0 used; installed with
`pip install --target DIR safetensors` from the machine's local wheel mirror, since
PyPI itself is not reachable here and Debian has no python3-safetensors package).

Writes:
  python_written.safetensors  tensors saved by safetensors.torch.save_file (F32, F16, I32, a scalar,
                              an empty tensor, metadata {"format": "pt"})
  python_written.json         what each tensor holds (float32/float16 as bit patterns, int32 as ints)
  python_meta.safetensors     several metadata entries (non-ASCII, quotes, newline) and one tensor
  python_meta.json            its metadata
  float16_cases.json          float32 inputs (bits) and torch's .half() result (bits): edge cases,
                              exact ties between float16 neighbours and their float32 neighbours,
                              random values over many scales
"""
import json
import os
import struct
import sys

import numpy as np
import safetensors
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {
    "python": sys.version.split()[0],
    "torch": torch.__version__,
    "safetensors": safetensors.__version__,
    "numpy": np.__version__,
}


def bits32(t):
    return t.detach().contiguous().view(torch.int32).flatten().tolist()


def bits16(t):
    return [b & 0xFFFF for b in t.detach().contiguous().view(torch.int16).flatten().tolist()]


def describe(t):
    if t.dtype == torch.float32:
        return {"dtype": "F32", "shape": list(t.shape), "bits": [b & 0xFFFFFFFF for b in bits32(t)]}
    if t.dtype == torch.float16:
        return {"dtype": "F16", "shape": list(t.shape), "bits": bits16(t)}
    if t.dtype == torch.int32:
        return {"dtype": "I32", "shape": list(t.shape), "values": t.flatten().tolist()}
    raise ValueError(t.dtype)


def main():
    g = torch.Generator().manual_seed(1337)
    f16_edge = torch.tensor(
        [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 65504.0, -65504.0, 2.0**-24,
         -(2.0**-24), 2.0**-14, 0.1, 1 / 3],
        dtype=torch.float32,
    ).half()
    tensors = {
        "layers.0.weight": torch.randn(5, 3, generator=g),
        "layers.0.bias": torch.randn(5, generator=g),
        "wte": torch.randn(7, 3, generator=g).half(),
        "f16_edge": f16_edge,
        "ix": torch.randint(-1000, 1000, (2, 3, 2), generator=g, dtype=torch.int32),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 4),
    }
    path = os.path.join(HERE, "python_written.safetensors")
    save_file(tensors, path, metadata={"format": "pt"})
    with open(os.path.join(HERE, "python_written.json"), "w") as f:
        json.dump({"versions": VERSIONS, "metadata": {"format": "pt"},
                   "tensors": {k: describe(v) for k, v in tensors.items()}}, f, indent=1)
        f.write("\n")

    meta = {"format": "pt", "note": 'katagrad "fixture"\nline 2', "unicode": "größe ✓ 😀", "empty": ""}
    save_file({"w": torch.arange(6, dtype=torch.float32).reshape(2, 3)},
              os.path.join(HERE, "python_meta.safetensors"), metadata=meta)
    with open(os.path.join(HERE, "python_meta.json"), "w") as f:
        json.dump({"versions": VERSIONS, "metadata": meta}, f, indent=1, ensure_ascii=False)

    # float32 -> float16 rounding cases
    special = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 65504.0, 65519.0, 65519.996,
               65520.0, 65536.0, 1e10, 2.0**-14, 2.0**-24, 2.0**-25, 2.0**-26, 3 * 2.0**-26,
               2.0**-25 * 1.0000001, 1.0, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 0.1, 1 / 3, 3.14159265]
    ins = torch.tensor(special + [-x for x in special], dtype=torch.float32)
    halves = torch.arange(0, 0x7C00, dtype=torch.int32).to(torch.int16).view(torch.float16).float()
    pick = halves[torch.randint(0, halves.numel() - 1, (600,), generator=g)]
    nxt = []
    for v in pick.tolist():  # exact midpoint between v and its float16 successor, and float32 neighbours
        h = torch.tensor([v]).half().view(torch.int16).item()
        up = torch.tensor([h + 1], dtype=torch.int16).view(torch.float16).float().item()
        mid = torch.tensor([(v + up) / 2], dtype=torch.float32)
        nxt += [mid, torch.nextafter(mid, torch.tensor([0.0])), torch.nextafter(mid, torch.tensor([1e30]))]
    mids = torch.cat(nxt)
    scales = torch.tensor([1e-8, 1e-6, 1e-4, 1e-2, 1.0, 1e2, 1e4, 6e4], dtype=torch.float32)
    rnd = (torch.randn(8, 200, generator=g) * scales[:, None]).flatten()
    inputs = torch.cat([ins, mids, -mids, rnd])
    out = inputs.half()
    with open(os.path.join(HERE, "float16_cases.json"), "w") as f:
        json.dump({"versions": VERSIONS, "f32_bits": [b & 0xFFFFFFFF for b in bits32(inputs)],
                   "f16_bits": bits16(out)}, f)
    print(f"wrote fixtures: {inputs.numel()} float16 cases")


if __name__ == "__main__":
    main()
