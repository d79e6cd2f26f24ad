"""Python peer of bench/tokenizer_train.ts: minbpe's training loop, written from its
description (recount every pair, take the first most frequent one, merge it everywhere),
timed to vocab 512 on taylorswift.txt, Basic (one chunk) and Regex (GPT-4 pattern).

Run with:
  /usr/bin/python3 bench/peers/minbpe_train.py /path/to/taylorswift.txt
(needs the `regex` module: Debian package python3-regex, or pip install regex)
Prints one JSON line per tokenizer: wall and CPU seconds, first five merges, last merge.
"""
import json
import sys
import time

import regex

GPT4_SPLIT_PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""


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


def train(text, vocab_size, pattern):
    chunks = [text] if pattern is None else regex.findall(pattern, text)
    ids = [list(c.encode("utf-8")) for c in chunks]
    merges = []
    for i in range(vocab_size - 256):
        stats = {}
        for c in ids:
            get_stats(c, stats)
        pair = max(stats, key=stats.get)
        ids = [merge(c, pair, 256 + i) for c in ids]
        merges.append(pair)
    return merges


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    for name, pattern in [("basic", None), ("regex", GPT4_SPLIT_PATTERN)]:
        t0, c0 = time.perf_counter(), time.process_time()
        merges = train(text, 512, pattern)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(json.dumps({"tokenizer": name, "seconds": seconds, "cpu": cpu, "first": merges[:5], "last": merges[-1]}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
