"""Golden numbers for kata 08 (makemore part 5: the WaveNet), from PyTorch.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 testdata/gen_wavenet.py [path/to/names.txt]
Writes testdata/lectures/wavenet.json. Tests never run this script.

Everything follows makemore_part5_cnn1.ipynb (nn-zero-to-hero 73c3fcc) with the lecture's own layer
classes (bench/peers/makemore_wavenet_torch.py): random.seed(42) shuffle, block size 8,
torch.manual_seed(42) before the model, torch.randint minibatches of 32 from the global generator.
  hierarchical  the notebook's network (n_embd 24, n_hidden 128) for STEPS steps: the first
                weights, every minibatch loss, the BatchNorm running buffers after the last step,
                the eval-mode loss on the first ROWS rows of dev, FIVE names sampled with
                torch.Generator().manual_seed(52) after that.
  buggy         the same with the lecture's bug (3-d BatchNorm reducing over dim 0 only): losses
                and the first BatchNorm's running mean, shape (1, 4, 128).
  flat          the flat network (n_embd 10, n_hidden 200, FlattenConsecutive(8)): losses.
"""

import json
import os
import platform
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench", "peers"))
import makemore_wavenet_torch as wn  # noqa: E402

torch.set_num_threads(1)
NAMES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "names.txt")
OUT = os.path.join(HERE, "lectures", "wavenet.json")
STEPS = 30
ROWS = 2000
FIVE = 5

(Xtr, Ytr), (Xdev, Ydev), _ = wn.load_split(NAMES)
itos = {0: "."} | {i + 1: c for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}


def run(make, at_init=lambda model: None):
    torch.manual_seed(42)
    model = wn.finish(make())
    at_init(model)
    losses = []
    wn.train(model, Xtr, Ytr, STEPS, lambda i, loss: losses.append(loss))
    return model, losses


def r(t):
    return [round(float(v), 7) for v in t.reshape(-1)]


first = {}


def record_first(model):
    first["emb"] = r(model.layers[0].weight[0, :6])
    first["W1"] = r(model.layers[2].weight[0, :6])
    first["W_last"] = r(model.layers[-1].weight[0, :6])


model, losses = run(wn.hierarchical, record_first)
bns = [i for i, layer in enumerate(model.layers) if isinstance(layer, wn.BatchNorm1d)]
buffers = {str(i): {"running_mean": r(model.layers[i].running_mean),
                    "running_var": r(model.layers[i].running_var)} for i in bns}
dev = wn.split_loss(model, Xdev[:ROWS], Ydev[:ROWS])
g = torch.Generator().manual_seed(52)
names = []
with torch.no_grad():
    for _ in range(FIVE):
        out, context = [], [0] * 8
        while True:
            probs = F.softmax(model(torch.tensor([context])), dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            out.append(ix)
            if ix == 0:
                break
        names.append("".join(itos[i] for i in out))

buggy, buggy_losses = run(lambda: wn.hierarchical(buggy=True))
flat, flat_losses = run(wn.flat)

data = {
    "generated_by": "testdata/gen_wavenet.py",
    "torch": torch.__version__,
    "python": platform.python_version(),
    "steps": STEPS,
    "rows": ROWS,
    "hierarchical": {
        "parameters": sum(p.nelement() for p in model.parameters()),
        "first": first,
        "losses": losses,
        "buffers": buffers,
        "dev_loss": dev,
        "names": names,
    },
    "buggy": {
        "losses": buggy_losses,
        "bn3_running_mean_shape": list(buggy.layers[3].running_mean.shape),
        "bn3_running_mean": r(buggy.layers[3].running_mean),
    },
    "flat": {
        "parameters": sum(p.nelement() for p in flat.parameters()),
        "losses": flat_losses,
    },
}
with open(OUT, "w") as f:
    json.dump(data, f, indent=1)
    f.write("\n")
print(f"wrote {OUT}: first loss {losses[0]:.6f}, dev {dev:.4f}, names {names}")
