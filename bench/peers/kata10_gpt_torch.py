"""PyTorch peer of `deno task reproduce 10`: ng-video-lecture's gpt.py at the lecture's small
config (gpt-dev's last cell: batch 16, block 32, 4 layers, 4 heads, n_embd 64, dropout 0,
AdamW lr 1e-3, 5,000 steps, torch.manual_seed(1337)), with gpt.py's model, init and loop:
estimate_loss (eval_iters batches per split) every eval_interval steps and at the last step.
The model, the batches and the evaluation batches come from the global generator in gpt.py's
order, as bench/reproduce/kata10.ts draws them from one Generator(1337), so the two runs start
from the same weights and see the same batches.

Prints each evaluation, ms/step (evaluations excluded), wall time and 300 sampled characters.
Run at one thread, niced on a shared machine:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 bench/peers/kata10_gpt_torch.py [--steps 5000 --eval-interval 500 \
    --eval-iters 200 --data $KATAGRAD_DATA/tinyshakespeare.txt]
  --time-steps N: only time N training steps after 5 warm-up steps (ms/step), no evaluation.
"""
import argparse
import os
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=5000)
ap.add_argument("--eval-interval", type=int, default=500)
ap.add_argument("--eval-iters", type=int, default=200)
ap.add_argument("--time-steps", type=int, default=0)
ap.add_argument("--data", default=os.path.join(os.environ.get("KATAGRAD_DATA", "."),
                                               "tinyshakespeare.txt"))
args = ap.parse_args()
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))

batch_size, block_size, learning_rate = 16, 32, 1e-3
n_embd, n_head, n_layer, dropout = 64, 4, 4, 0.0
torch.manual_seed(1337)

text = open(args.data, encoding="utf-8").read()
chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x, y


@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ["train", "val"]:
        losses = torch.zeros(args.eval_iters)
        for k in range(args.eval_iters):
            X, Y = get_batch(split)
            _, loss = model(X, Y)
            losses[k] = loss.item()
        out[split] = losses.mean()
    model.train()
    return out


class Head(nn.Module):
    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        wei = F.softmax(wei, dim=-1)
        wei = self.dropout(wei)
        v = self.value(x)
        return wei @ v


class MultiHeadAttention(nn.Module):
    def __init__(self, num_heads, head_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        out = torch.cat([h(x) for h in self.heads], dim=-1)
        return self.dropout(self.proj(out))


class FeedFoward(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(),
                                 nn.Linear(4 * n_embd, n_embd), nn.Dropout(dropout))

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        head_size = n_embd // n_head
        self.sa = MultiHeadAttention(n_head, head_size)
        self.ffwd = FeedFoward(n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        x = x + self.ffwd(self.ln2(x))
        return x


class GPTLanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        tok_emb = self.token_embedding_table(idx)
        pos_emb = self.position_embedding_table(torch.arange(T))
        x = tok_emb + pos_emb
        x = self.blocks(x)
        x = self.ln_f(x)
        logits = self.lm_head(x)
        if targets is None:
            return logits, None
        B, T, C = logits.shape
        return logits, F.cross_entropy(logits.view(B * T, C), targets.view(B * T))

    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            idx_cond = idx[:, -block_size:]
            logits, _ = self(idx_cond)
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


model = GPTLanguageModel()
print(f"torch {torch.__version__} threads={torch.get_num_threads()}: "
      f"{sum(p.numel() for p in model.parameters()) / 1e6} M parameters")
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)


def step():
    xb, yb = get_batch("train")
    _, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


if args.time_steps:
    for _ in range(5):
        step()
    t0 = time.perf_counter()
    for _ in range(args.time_steps):
        step().item()
    print(f"{(time.perf_counter() - t0) * 1000 / args.time_steps:.2f} ms/step over "
          f"{args.time_steps} steps")
    raise SystemExit(0)

t_start = time.perf_counter()
evaluating = 0.0
for it in range(args.steps):
    if it % args.eval_interval == 0 or it == args.steps - 1:
        t = time.perf_counter()
        losses = estimate_loss()
        evaluating += time.perf_counter() - t
        print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}",
              flush=True)
    step().item()
wall = time.perf_counter() - t_start
print(f"{(wall - evaluating) * 1000 / args.steps:.2f} ms/step (evaluations excluded), "
      f"wall {wall:.1f} s")
context = torch.zeros((1, 1), dtype=torch.long)
print("".join(itos[i] for i in model.generate(context, max_new_tokens=300)[0].tolist()))
