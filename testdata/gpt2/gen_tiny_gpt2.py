"""Generates kata 12's fixture: a small random checkpoint in the Hugging Face GPT-2
safetensors layout (tiny_gpt2.safetensors) and what PyTorch 1.13 computes from it
(tiny_gpt2.json): the logits of a prompt and its greedy continuation, with and
without a KV cache.

The layout is the real file's: keys without a `transformer.` prefix (wte.weight,
wpe.weight, h.N.ln_1.weight, h.N.attn.c_attn.weight [in, out], ..., ln_f.weight),
Conv1D weights stored [in, out], the h.N.attn.bias mask buffers present (a loader
skips them), no lm_head (tied to wte), and, like the real file (data at byte
14,291), a data segment that does not start on a 4-byte boundary.

The weights are larger than GPT-2's init (std 0.02) so that the logits are spread
out: the script checks that at every greedy step the best token leads the second
by more than 1e-3, so float32 summation order cannot change the continuation.

Run once:  /usr/bin/python3 testdata/gpt2/gen_tiny_gpt2.py
"""
import json
import math
import os
import struct

import torch

HP = {"n_vocab": 96, "n_ctx": 32, "n_embd": 64, "n_head": 2, "n_layer": 2}
V, N, C, H, L = HP["n_vocab"], HP["n_ctx"], HP["n_embd"], HP["n_head"], HP["n_layer"]
PROMPT = [5, 17, 42, 8, 77, 3, 60, 21]
N_NEW = 12

def rnd(*shape, std=0.1, mean=0.0):
    return (torch.randn(*shape) * std + mean).float()

def make_params(seed):
    torch.manual_seed(seed)
    P = {"wte.weight": rnd(V, C, std=0.3), "wpe.weight": rnd(N, C, std=0.3)}
    for i in range(L):
        h = f"h.{i}."
        P[h + "ln_1.weight"] = rnd(C, std=0.1, mean=1.0)
        P[h + "ln_1.bias"] = rnd(C, std=0.1)
        P[h + "attn.bias"] = torch.tril(torch.ones(N, N)).view(1, 1, N, N)
        P[h + "attn.c_attn.weight"] = rnd(C, 3 * C, std=0.3)
        P[h + "attn.c_attn.bias"] = rnd(3 * C, std=0.05)
        P[h + "attn.c_proj.weight"] = rnd(C, C, std=0.3)
        P[h + "attn.c_proj.bias"] = rnd(C, std=0.05)
        P[h + "ln_2.weight"] = rnd(C, std=0.1, mean=1.0)
        P[h + "ln_2.bias"] = rnd(C, std=0.1)
        P[h + "mlp.c_fc.weight"] = rnd(C, 4 * C, std=0.2)
        P[h + "mlp.c_fc.bias"] = rnd(4 * C, std=0.05)
        P[h + "mlp.c_proj.weight"] = rnd(4 * C, C, std=0.15)
        P[h + "mlp.c_proj.bias"] = rnd(C, std=0.05)
    P["ln_f.weight"] = rnd(C, std=0.1, mean=1.0)
    P["ln_f.bias"] = rnd(C, std=0.1)
    return P

def ln(x, g, b):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), g, b, eps=1e-5)

def forward(ids):
    T = len(ids)
    x = P["wte.weight"][ids] + P["wpe.weight"][:T]
    for i in range(L):
        h = f"h.{i}."
        a = ln(x, P[h + "ln_1.weight"], P[h + "ln_1.bias"])
        qkv = a @ P[h + "attn.c_attn.weight"] + P[h + "attn.c_attn.bias"]
        q, k, v = qkv.split(C, dim=-1)
        q, k, v = (t.view(T, H, C // H).transpose(0, 1) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        att = att.masked_fill(torch.tril(torch.ones(T, T)) == 0, float("-inf")).softmax(-1)
        y = (att @ v).transpose(0, 1).reshape(T, C)
        x = x + y @ P[h + "attn.c_proj.weight"] + P[h + "attn.c_proj.bias"]
        m = ln(x, P[h + "ln_2.weight"], P[h + "ln_2.bias"])
        m = torch.nn.functional.gelu(m @ P[h + "mlp.c_fc.weight"] + P[h + "mlp.c_fc.bias"], approximate="tanh")
        x = x + m @ P[h + "mlp.c_proj.weight"] + P[h + "mlp.c_proj.bias"]
    return ln(x, P["ln_f.weight"], P["ln_f.bias"]) @ P["wte.weight"].T

def greedy():
    ids, margins = list(PROMPT), []
    for _ in range(N_NEW):
        last = forward(ids)[-1]
        top2 = torch.topk(last, 2).values
        margins.append(float(top2[0] - top2[1]))
        ids.append(int(last.argmax()))
    return ids, margins

# the first seed whose continuation is varied (no token the prompt's last, at least 8 distinct)
# and clear at every step
with torch.no_grad():
    for SEED in range(1000, 2000):
        P = make_params(SEED)
        ids, margins = greedy()
        new = ids[len(PROMPT):]
        if min(margins) > 1e-3 and len(set(new)) >= 8 and all(a != b for a, b in zip(new, new[1:])):
            break
    logits = forward(PROMPT)
assert len(ids) <= N

# safetensors: 8-byte little-endian header length, JSON header, data (row-major F32)
header, blobs, offset = {"__metadata__": {"format": "pt", "made_by": "gen_tiny_gpt2.py"}}, [], 0
for name in sorted(P):
    data = P[name].contiguous().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(P[name].shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header, separators=(",", ":"))
while (8 + len(text.encode())) % 4 != 3:  # like the real file: data starts at 3 mod 4
    text += " "
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "tiny_gpt2.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text.encode())) + text.encode() + b"".join(blobs))
with open(os.path.join(here, "tiny_gpt2.json"), "w") as f:
    json.dump({
        "hparams": HP,
        "prompt": PROMPT,
        "logits": [round(float(v), 6) for v in logits.flatten()],
        "continuation": ids[len(PROMPT):],
        "min_margin": min(margins),
        "data_start": 8 + len(text.encode()),
        "torch": torch.__version__,
        "seed": SEED,
    }, f)
    f.write("\n")
print("wrote tiny_gpt2.safetensors and tiny_gpt2.json; data starts at byte", 8 + len(text.encode()),
      "; continuation", ids[len(PROMPT):], "; min margin", min(margins))
