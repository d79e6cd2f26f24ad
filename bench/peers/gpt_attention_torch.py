"""PyTorch peer of `deno task reproduce 09`: the GPT lecture up to multi-head attention, as the
gpt-dev notebook and ng-video-lecture's bigram.py write it, on one thread, drawing from the global
generator in the same order as bench/reproduce/kata09.ts, and printing the same figures and wall
times (then one JSON line with them, for the reproduction's table).

1. notebook cells 12-17: get_batch (4x8), the bigram's loss at init, 100 sampled characters,
   100 AdamW steps (lr 1e-3, batch 32), 500 sampled characters;
2. cells 20-30: the three prefix means, the unscaled head's wei[0], the variance check;
3. bigram.py: 3,000 AdamW steps, lr 1e-2, batch 32, block 8, estimate_loss (200 batches) every 300;
4. the lecture's first attention model (token + position embeddings, 4 heads of 8 with gpt.py's
   projection, lm_head; n_embd 32, block 8, batch 32), 5,000 steps at lr 1e-3, evaluated every 500
   and at the last step (as gpt.py does). Heads scale by head_size ** -0.5 (gpt.py; the notebook's
   final cell used C ** -0.5).

Run:  /usr/bin/python3 bench/peers/gpt_attention_torch.py [bigram_steps] [attention_steps] [eval_iters]
"""

import json
import os
import sys
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.set_num_threads(1)
BIGRAM_STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
ATTENTION_STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
EVAL_ITERS = int(sys.argv[3]) if len(sys.argv) > 3 else 200
TEXT = os.path.join(os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "tinyshakespeare.txt")

t0 = time.perf_counter()
text = open(TEXT, encoding="utf-8").read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]  # noqa: E731
decode = lambda ids: "".join(chars[i] for i in ids)  # noqa: E731
data = torch.tensor(encode(text), dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
out = {"vocab": len(chars), "train": len(train_data), "val": len(val_data)}


def get_batch(split, batch_size, block_size):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x, y


class BigramLanguageModel(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        logits = self.token_embedding_table(idx)  # (B, T, C)
        loss = None
        if targets is not None:
            B, T, C = logits.shape
            loss = F.cross_entropy(logits.view(B * T, C), targets.view(B * T))
        return logits, loss

    def generate(self, idx, max_new_tokens, block_size=None):
        for _ in range(max_new_tokens):
            cond = idx if block_size is None else idx[:, -block_size:]
            logits, _ = self(cond)
            probs = F.softmax(logits[:, -1, :], dim=-1)  # (B, C)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


class Head(nn.Module):
    def __init__(self, n_embd, head_size, block_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        B, T, C = x.shape
        k, q = self.key(x), self.query(x)  # (B, T, hs)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5  # (B, T, T)
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        return F.softmax(wei, dim=-1) @ self.value(x)  # (B, T, hs)


class MultiHeadAttention(nn.Module):
    def __init__(self, n_embd, num_heads, head_size, block_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(n_embd, head_size, block_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


class AttentionLanguageModel(BigramLanguageModel):
    def __init__(self, vocab_size, block_size, n_embd, n_head):
        nn.Module.__init__(self)
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        self.sa_heads = MultiHeadAttention(n_embd, n_head, n_embd // n_head, block_size)
        self.lm_head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        x = self.token_embedding_table(idx) + self.position_embedding_table(torch.arange(T))
        logits = self.lm_head(self.sa_heads(x))  # (B, T, vocab)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))
        return logits, loss


@torch.no_grad()
def estimate_loss(model, block_size):
    model.eval()
    res = {}
    for split in ["train", "val"]:
        losses = torch.zeros(EVAL_ITERS)
        for k in range(EVAL_ITERS):
            X, Y = get_batch(split, 32, block_size)
            losses[k] = model(X, Y)[1].item()
        res[split] = losses.mean().item()
    model.train()
    return res


def train_run(model, steps, lr, eval_interval, block_size, final_eval):
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    evals = []
    stepping = 0.0  # seconds in training steps, evaluation excluded
    for it in range(steps):
        if it % eval_interval == 0 or (final_eval and it == steps - 1):
            e = estimate_loss(model, block_size)
            evals.append({"step": it, **e})
            print(f"step {it}: train loss {e['train']:.4f}, val loss {e['val']:.4f}", flush=True)
        t = time.perf_counter()
        xb, yb = get_batch("train", 32, block_size)
        _, loss = model(xb, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        stepping += time.perf_counter() - t
    return evals, stepping


# 1. notebook cells 12-17
torch.manual_seed(1337)
xb, yb = get_batch("train", 4, 8)
out["xb"], out["yb"] = xb.tolist(), yb.tolist()
torch.manual_seed(1337)
m = BigramLanguageModel(len(chars))
out["init_loss"] = m(xb, yb)[1].item()
out["sample100"] = decode(m.generate(torch.zeros((1, 1), dtype=torch.long), 100)[0].tolist())
opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
for _ in range(100):
    xb, yb = get_batch("train", 32, 8)
    _, loss = m(xb, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
out["loss100"] = loss.item()
out["sample500"] = decode(m.generate(torch.zeros((1, 1), dtype=torch.long), 500)[0].tolist())
print(f"notebook: loss at init {out['init_loss']:.4f}, after 100 steps {out['loss100']:.8f}")

# 2. cells 20-30
torch.manual_seed(1337)
x = torch.randn(4, 8, 2)
xbow = torch.stack([torch.stack([x[b, :t + 1].mean(0) for t in range(8)]) for b in range(4)])
wei = torch.tril(torch.ones(8, 8))
xbow2 = (wei / wei.sum(1, keepdim=True)) @ x
xbow3 = F.softmax(torch.zeros(8, 8).masked_fill(torch.tril(torch.ones(8, 8)) == 0, float("-inf")), -1) @ x
out["trick_allclose"] = bool(torch.allclose(xbow, xbow2) and torch.allclose(xbow, xbow3))
torch.manual_seed(1337)
x = torch.randn(4, 8, 32)
key, query, value = (nn.Linear(32, 16, bias=False) for _ in range(3))
w = (query(x) @ key(x).transpose(-2, -1)).masked_fill(torch.tril(torch.ones(8, 8)) == 0, float("-inf"))
out["wei0"] = F.softmax(w, dim=-1)[0].tolist()
k, q = torch.randn(4, 8, 16), torch.randn(4, 8, 16)
out["variances"] = [k.var().item(), q.var().item(), (q @ k.transpose(-2, -1) * 16 ** -0.5).var().item()]
print(f"variances k {out['variances'][0]:.4f}, q {out['variances'][1]:.4f}, wei {out['variances'][2]:.4f}")

# 3. bigram.py
torch.manual_seed(1337)
model = BigramLanguageModel(len(chars))
evals, seconds = train_run(model, BIGRAM_STEPS, 1e-2, 300, 8, False)
out["bigram"] = {"evals": evals, "seconds": seconds,
                 "sample": decode(model.generate(torch.zeros((1, 1), dtype=torch.long), 500)[0].tolist())}
print(f"bigram.py: {BIGRAM_STEPS} steps in {seconds:.1f} s ({1000 * seconds / BIGRAM_STEPS:.2f} ms/step)")

# 4. the first attention model: 4 heads of 8
torch.manual_seed(1337)
model = AttentionLanguageModel(len(chars), 8, 32, 4)
out["attention_params"] = sum(p.numel() for p in model.parameters())
evals, seconds = train_run(model, ATTENTION_STEPS, 1e-3, 500, 8, True)
out["attention"] = {"evals": evals, "seconds": seconds,
                    "sample": decode(model.generate(torch.zeros((1, 1), dtype=torch.long), 300, 8)[0].tolist())}
print(f"attention model ({out['attention_params']} parameters): {ATTENTION_STEPS} steps in {seconds:.1f} s "
      f"({1000 * seconds / ATTENTION_STEPS:.2f} ms/step, evaluation excluded)")
out["torch"] = torch.__version__
out["wall"] = time.perf_counter() - t0
print(f"wall time {out['wall']:.1f} s, torch {torch.__version__}")
print(json.dumps(out))
