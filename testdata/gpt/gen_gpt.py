"""Golden fixture for katagrad's GPT (core/nn/gpt.ts), generated once from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gpt/gen_gpt.py
Writes testdata/gpt/gpt_2layer.safetensors. Tests never run this script.

The model below is nanoGPT's GPT (model.py), written out again from its description: token and
position embeddings, dropout, blocks of pre-LayerNorm residuals around causal self-attention (one
fused c_attn Linear, heads by view/transpose, q k^T / sqrt(hs), masked_fill(-inf) above the
diagonal, softmax, @ v, c_proj) and an MLP (c_fc 4x, exact GELU, c_proj), a final LayerNorm and
lm_head tied to wte; LayerNorm optionally without bias. Init as nanoGPT: construct (default inits
consume the generator), tie, apply N(0, 0.02) to Linear and Embedding weights and zero Linear
biases (children first), then N(0, 0.02/sqrt(2 n_layer)) on every c_proj.weight.

Two 2-layer models, "a" (bias=True) and "b" (bias=False), each built right after
torch.manual_seed(SEED): their state dicts are the init katagrad's GPT must reproduce bit for bit
from Generator(SEED). Then on a batch idx (B=3, T=7 < block_size 8, so the mask and positions
are cropped) with targets (two of them -1, ignored): logits (B, T, V), loss, and the gradient of
the loss for every parameter. Tensor names use katagrad's (JavaScript-cased) state-dict names:
"<model>.init.<name>", "<model>.grad.<name>", "<model>.logits", "<model>.loss" (0-d), "idx" and
"targets" (I32). Model "a" also samples 6 tokens after idx (nanoGPT's generate: crop to
block_size, last logits / temperature 0.8, top_k 5, softmax, multinomial from
torch.Generator().manual_seed(SEED)): "a.generated" (3, 13), I32. The safetensors file is written by hand (8-byte little-endian header length,
JSON header, raw little-endian data), the format core/io/safetensors.ts reads.
"""

import json
import math
import os
import platform
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 1337
CONFIG = dict(vocab_size=13, block_size=8, n_layer=2, n_head=3, n_embd=12, dropout=0.0)


class LayerNorm(nn.Module):
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"], bias=c["bias"])
        self.c_proj = nn.Linear(c["n_embd"], c["n_embd"], bias=c["bias"])
        self.attn_dropout = nn.Dropout(c["dropout"])
        self.resid_dropout = nn.Dropout(c["dropout"])
        self.n_head = c["n_head"]
        bs = c["block_size"]
        self.register_buffer("mask", torch.tril(torch.ones(bs, bs)).view(1, 1, bs, bs) == 0,
                             persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        att = att.masked_fill(self.mask[:, :, :T, :T], float("-inf"))
        att = self.attn_dropout(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c["n_embd"], 4 * c["n_embd"], bias=c["bias"])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c["n_embd"], c["n_embd"], bias=c["bias"])
        self.dropout = nn.Dropout(c["dropout"])

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = LayerNorm(c["n_embd"], c["bias"])
        self.attn = CausalSelfAttention(c)
        self.ln_2 = LayerNorm(c["n_embd"], c["bias"])
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c["vocab_size"], c["n_embd"]),
            wpe=nn.Embedding(c["block_size"], c["n_embd"]),
            drop=nn.Dropout(c["dropout"]),
            h=nn.ModuleList([Block(c) for _ in range(c["n_layer"])]),
            ln_f=LayerNorm(c["n_embd"], c["bias"]),
        ))
        self.block_size = c["block_size"]
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c["n_layer"]))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            torch.nn.init.normal_(m.weight, mean=0.0, std=0.02)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature, top_k, generator):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size:]
            logits, _ = self(idx_cond, None)
            logits = logits[:, -1, :] / temperature
            v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
            logits[logits < v[:, [-1]]] = -float("Inf")
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, 1, generator=generator)), dim=1)
        return idx

    def forward(self, idx, targets):
        B, T = idx.shape
        pos = torch.arange(0, T, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


def ours(name):
    """nanoGPT's parameter name -> katagrad's."""
    name = name.replace("transformer.", "")
    for a, b in [("ln_1", "ln1"), ("ln_2", "ln2"), ("ln_f", "lnF"), ("c_attn", "cAttn"),
                 ("c_proj", "cProj"), ("c_fc", "cFc")]:
        name = name.replace(a, b)
    return name


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dtype = {np.dtype(np.float32): "F32", np.dtype(np.int32): "I32"}[arr.dtype]
        raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    tensors = {}
    rng = np.random.default_rng(SEED)
    B, T, V = 3, 7, CONFIG["vocab_size"]
    idx = rng.integers(0, V, size=(B, T))
    targets = rng.integers(0, V, size=(B, T))
    targets[0, 2] = -1
    targets[2, 6] = -1
    tensors["idx"] = idx.astype(np.int32)
    tensors["targets"] = targets.astype(np.int32)
    for key, bias in [("a", True), ("b", False)]:
        torch.manual_seed(SEED)
        model = GPT(dict(CONFIG, bias=bias))
        for name, t in model.state_dict().items():
            if name == "lm_head.weight":
                continue  # tied: the same tensor as wte.weight
            tensors[f"{key}.init.{ours(name)}"] = t.detach().numpy().astype(np.float32)
        logits, loss = model(torch.from_numpy(idx), torch.from_numpy(targets))
        loss.backward()
        tensors[f"{key}.logits"] = logits.detach().numpy().astype(np.float32)
        tensors[f"{key}.loss"] = loss.detach().numpy().astype(np.float32).reshape(())
        for name, p in model.named_parameters():
            tensors[f"{key}.grad.{ours(name)}"] = p.grad.numpy().astype(np.float32)
        if key == "a":  # sampling: 6 tokens after the (3, 7) batch, past block_size 8 (cropped)
            g = torch.Generator().manual_seed(SEED)
            out = model.eval().generate(torch.from_numpy(idx), 6, 0.8, 5, g)
            tensors["a.generated"] = out.numpy().astype(np.int32)
    meta = {"script": "testdata/gpt/gen_gpt.py", "torch": torch.__version__,
            "python": platform.python_version(), "numpy": np.__version__, "seed": str(SEED),
            "config": json.dumps(CONFIG)}
    write_safetensors(os.path.join(HERE, "gpt_2layer.safetensors"), tensors, meta)
    print(f"wrote {len(tensors)} tensors; losses a={tensors['a.loss']:.6f} b={tensors['b.loss']:.6f}")


if __name__ == "__main__":
    main()
