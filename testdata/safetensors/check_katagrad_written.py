"""Reads katagrad_written.safetensors (written by write_katagrad.ts with katagrad's writer) with the
Python `safetensors` library and records what it read in katagrad_written.json.

Run from the repository root after write_katagrad.ts:
    PYTHONPATH=/path/to/safetensors /usr/bin/python3 testdata/safetensors/check_katagrad_written.py

Also records whether Python's own writer, given the tensors and metadata it just read, produces
byte-for-byte the same file ("python_resave_identical").
"""
import json
import os
import sys

import numpy as np
import safetensors
from safetensors import safe_open
from safetensors.numpy import load_file, save

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "katagrad_written.safetensors")


def describe(a):
    if a.dtype == np.float32:
        return {"dtype": "F32", "shape": list(a.shape), "bits": a.view(np.uint32).flatten().tolist()}
    if a.dtype == np.float16:
        return {"dtype": "F16", "shape": list(a.shape), "bits": a.view(np.uint16).flatten().tolist()}
    if a.dtype == np.int32:
        return {"dtype": "I32", "shape": list(a.shape), "values": a.flatten().tolist()}
    raise ValueError(a.dtype)


def main():
    tensors = load_file(PATH)
    with safe_open(PATH, framework="numpy") as f:
        metadata = f.metadata()
        order = list(f.keys())
    with open(PATH, "rb") as f:
        original = f.read()
    resaved = save(tensors, metadata=metadata)
    out = {
        "versions": {"python": sys.version.split()[0], "safetensors": safetensors.__version__,
                     "numpy": np.__version__},
        "file_bytes": len(original),
        "python_resave_identical": resaved == original,
        "metadata": metadata,
        "keys": order,
        "tensors": {k: describe(v) for k, v in tensors.items()},
    }
    with open(os.path.join(HERE, "katagrad_written.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"read {len(tensors)} tensors; python_resave_identical={out['python_resave_identical']}")


if __name__ == "__main__":
    main()
