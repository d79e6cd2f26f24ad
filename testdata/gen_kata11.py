"""Reference figures for kata 11 (the GPT tokenizer: byte-level BPE), from CPython and `regex`.

Run:  python3 testdata/gen_kata11.py [path/to/taylorswift.txt]
Writes testdata/lectures/minbpe.json. Tests never run this script.

The splits use minbpe's patterns verbatim (minbpe 1acefe89, regex.py L18-19) with the `regex`
module, which has possessive quantifiers and inline (?i:...). The training below follows minbpe's
semantics (written here, not copied): get_stats counts consecutive pairs into a dict in the order
they are first seen; each merge takes max(stats, key=stats.get), so ties go to the pair seen first;
merge replaces left to right without overlap; the Regex trainer counts pairs chunk by chunk and
never across chunks.
  splits     the chunks of the test strings under both patterns; for taylorswift.txt the chunk
             count and the sha256 of the chunks joined by NUL
  wikipedia  "aaabdaaabac" with 3 merges: merges and ids
  taylor     Basic and Regex (GPT-4 pattern) trained to vocab 512: all 256 merges and the token count
"""

import hashlib
import json
import os
import platform
import sys

import regex as re

GPT2 = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
GPT4 = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""

STRINGS = [
    "",
    "?",
    "hello world!!!? (안녕하세요!) lol123 😉",
    "I'm sure you've seen they'd DON'T WE'LL YOU'RE I'M it's can't",
    "  leading spaces\n\n\ttabs\r\nand  \n  trailing   ",
    "12345 3.14159 100,000 x2 2x ٣٤٥",
    "naïve café — ‘quotes’ “double” ... !!! ??",
    "emoji 👋🏽 family 👨‍👩‍👧 flags 🇺🇸",
    "'these are they'rent I'mma 'sup isn'tt WE'LLS o'clock 'Very 'DOne'",
]


def get_stats(ids, counts):
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, idx):
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train(chunks, num_merges):
    chunks = [list(c.encode("utf-8")) for c in chunks]
    merges = []
    for i in range(num_merges):
        stats = {}
        for c in chunks:
            get_stats(c, stats)
        pair = max(stats, key=stats.get)
        merges.append([pair[0], pair[1], stats[pair]])
        chunks = [merge(c, pair, 256 + i) for c in chunks]
    return merges, chunks


def digest(chunks):
    return hashlib.sha256("\0".join(chunks).encode("utf-8")).hexdigest()


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("KATAGRAD_DATA", "/work/shared/data"), "taylorswift.txt")
    with open(path, encoding="utf-8") as f:
        taylor = f.read()
    out = {
        "generator": f"testdata/gen_kata11.py, CPython {platform.python_version()}, regex {re.__version__}",
        "patterns": {"gpt2": GPT2, "gpt4": GPT4},
        "splits": {
            name: {
                "strings": [[s, re.findall(p, s)] for s in STRINGS],
                "taylorswift": {"chunks": len(re.findall(p, taylor)), "sha256": digest(re.findall(p, taylor))},
            }
            for name, p in (("gpt2", GPT2), ("gpt4", GPT4))
        },
    }
    merges, chunks = train(["aaabdaaabac"], 3)
    out["wikipedia"] = {"text": "aaabdaaabac", "merges": merges, "ids": chunks[0]}
    taylor_out = {"bytes": len(taylor.encode("utf-8"))}
    for name, chunks in (("basic", [taylor]), ("regex", re.findall(GPT4, taylor))):
        merges, ids = train(chunks, 512 - 256)
        taylor_out[name] = {"tokens": sum(len(c) for c in ids), "merges": merges}
        print(name, taylor_out[name]["tokens"], merges[:5], merges[-1], file=sys.stderr)
    out["taylorswift"] = taylor_out
    dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lectures", "minbpe.json")
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
