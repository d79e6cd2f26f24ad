/**
 * Byte-level BPE training with incremental pair counts and a priority
 * queue. Each merge touches only the places where the merged pair occurs, so
 * training costs about O(text + merges · log pairs) instead of minbpe's full
 * recount per merge; the merges are the same as minbpe's, ties included: among
 * equally frequent pairs the one that occurs first in the current token
 * sequence wins (Python's `max` over a dict in first-insertion order).
 *
 * Why the first occurrence is cheap to keep: a merge `(a, b) → z` only creates
 * pairs that contain `z`, so every pair's positions are all recorded in one
 * left-to-right pass, in increasing order, and afterwards only disappear.
 * A pointer into that sorted list, moved past dead entries, gives the first.
 *
 * @module
 */

import { PairTable } from "./pair_table.ts";

/** Options of {@link trainMerges}. */
export interface TrainOptions {
  /** The final vocabulary size: 256 byte tokens plus `vocabSize - 256` merges. */
  vocabSize: number;
  /**
   * A split pattern (source of a `u` regular expression, e.g.
   * {@link GPT4_SPLIT_PATTERN}): pairs never cross the chunks it matches.
   * Without one the text is one chunk (minbpe's `BasicTokenizer`).
   */
  pattern?: string;
}

/**
 * Learns `vocabSize - 256` merges from `text`; merge `i` makes token `256 + i`.
 *
 * @param text the training text
 * @param options the vocabulary size and an optional split pattern
 * @returns the merges in order, each `[left id, right id]`
 * @throws {RangeError} for a vocabulary size below 256 or not an integer
 * @example The Wikipedia example: "aaabdaaabac", three merges
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { trainMerges } from "./train.ts";
 * deepEqual(trainMerges("aaabdaaabac", { vocabSize: 259 }), [[97, 97], [256, 97], [257, 98]]);
 * ```
 */
export function trainMerges(text: string, options: TrainOptions): Array<[number, number]> {
  const { vocabSize, pattern } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 256) {
    throw new RangeError(
      `Cannot train: vocabSize must be an integer ≥ 256 (the byte tokens), got ${vocabSize}`,
    );
  }
  const { ids, next, prev } = chunkedBytes(text, pattern);
  const n = ids.length;
  const pairs = new PairStats(n);
  const valid = (s: number, p: number) => {
    if (ids[p] !== pairs.a[s]) return false;
    const q = next[p];
    return q >= 0 && ids[q] === pairs.b[s];
  };
  /** The first live position of pair `s` (-1 when none), dropping dead ones. */
  const firstOf = (s: number): number => {
    const pool = pairs.pool;
    let h = pairs.head[s];
    while (h >= 0 && !valid(s, pool.value[h])) h = pool.next[h];
    pairs.head[s] = h;
    return h >= 0 ? pool.value[h] : -1;
  };

  for (let p = 0; p < n; p++) if (next[p] >= 0) pairs.add(ids[p], ids[next[p]], p);
  const queue = new PairQueue();
  const flush = () => {
    const t = pairs.touched;
    for (let i = 0; i < t.length; i++) {
      const s = t[i];
      pairs.isTouched[s] = 0;
      if (pairs.count[s] > 0) queue.push(s, pairs.count[s], firstOf(s));
    }
    t.length = 0;
  };
  flush();

  const merges: Array<[number, number]> = [];
  for (let z = 256; z < vocabSize; z++) {
    let best = -1;
    while (queue.size > 0) {
      const s = queue.topStat, count = queue.topCount, first = queue.topFirst;
      queue.pop();
      if (pairs.count[s] <= 0) continue;
      const actual = firstOf(s);
      if (count === pairs.count[s] && first === actual) {
        best = s;
        break;
      }
      queue.push(s, pairs.count[s], actual);
    }
    if (best < 0) break; // nothing left to merge
    const a = pairs.a[best], b = pairs.b[best];
    merges.push([a, b]);
    const pool = pairs.pool;
    for (let h = pairs.head[best]; h >= 0; h = pool.next[h]) {
      const p = pool.value[h];
      if (!valid(best, p)) continue;
      const q = next[p], L = prev[p], R = next[q];
      if (L >= 0) pairs.remove(ids[L], a);
      if (R >= 0) pairs.remove(b, ids[R]);
      pairs.count[best]--;
      ids[p] = z;
      ids[q] = -1;
      next[p] = R;
      if (R >= 0) prev[R] = p;
      if (L >= 0) pairs.add(ids[L], z, L);
      if (R >= 0) pairs.add(z, ids[R], p);
    }
    pairs.head[best] = -1;
    flush();
  }
  return merges;
}

/** Growable singly linked lists of positions in one typed-array pool. */
class PositionPool {
  value: Int32Array;
  next: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.value = new Int32Array(Math.max(16, capacity));
    this.next = new Int32Array(Math.max(16, capacity));
  }

  /** A new entry holding `v`; returns its index. */
  entry(v: number): number {
    if (this.size === this.value.length) {
      const value = new Int32Array(this.size * 2), next = new Int32Array(this.size * 2);
      value.set(this.value);
      next.set(this.next);
      this.value = value;
      this.next = next;
    }
    this.value[this.size] = v;
    this.next[this.size] = -1;
    return this.size++;
  }
}

/** Per pair (by a dense id): its tokens, count and sorted position list. */
class PairStats {
  readonly #ids = new PairTable(1024);
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  count = new Int32Array(1024);
  head = new Int32Array(1024);
  tail = new Int32Array(1024);
  isTouched = new Uint8Array(1024);
  readonly touched: number[] = [];
  readonly pool: PositionPool;
  #size = 0;

  constructor(positions: number) {
    this.pool = new PositionPool(positions * 2);
  }

  /** Counts one more occurrence of `(x, y)` at position `p` (positions ascend). */
  add(x: number, y: number, p: number): void {
    let s = this.#ids.get(x, y);
    if (s < 0) {
      s = this.#create(x, y);
    }
    this.count[s]++;
    const t = this.tail[s];
    if (t < 0 || this.pool.value[t] !== p) {
      const e = this.pool.entry(p);
      if (t < 0 || this.head[s] < 0) this.head[s] = e;
      else this.pool.next[t] = e;
      this.tail[s] = e;
    }
    if (this.isTouched[s] === 0) {
      this.isTouched[s] = 1;
      this.touched.push(s);
    }
  }

  /** Counts one occurrence of `(x, y)` less (its position goes dead lazily). */
  remove(x: number, y: number): void {
    this.count[this.#ids.get(x, y)]--;
  }

  #create(x: number, y: number): number {
    const s = this.#size++;
    if (s === this.a.length) {
      const grow = <T extends Int32Array | Uint8Array>(arr: T): T => {
        const bigger = new (arr.constructor as { new (n: number): T })(arr.length * 2);
        bigger.set(arr);
        return bigger;
      };
      this.a = grow(this.a);
      this.b = grow(this.b);
      this.count = grow(this.count);
      this.head = grow(this.head);
      this.tail = grow(this.tail);
      this.isTouched = grow(this.isTouched);
    }
    this.#ids.set(x, y, s);
    this.a[s] = x;
    this.b[s] = y;
    this.count[s] = 0;
    this.head[s] = -1;
    this.tail[s] = -1;
    return s;
  }
}

/** The UTF-8 bytes of the chunks as a linked list; -1 links end a chunk. */
function chunkedBytes(
  text: string,
  pattern: string | undefined,
): { ids: Int32Array; next: Int32Array; prev: Int32Array } {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(text.length * 3);
  const ends: number[] = [];
  let n = 0;
  if (pattern === undefined) {
    n = encoder.encodeInto(text, buffer).written;
    ends.push(n);
  } else {
    const re = new RegExp(pattern, "gu");
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      n += encoder.encodeInto(m[0], buffer.subarray(n)).written;
      ends.push(n);
    }
  }
  const ids = new Int32Array(n), next = new Int32Array(n), prev = new Int32Array(n);
  let start = 0;
  for (const end of ends) {
    for (let p = start; p < end; p++) {
      ids[p] = buffer[p];
      next[p] = p + 1 < end ? p + 1 : -1;
      prev[p] = p > start ? p - 1 : -1;
    }
    start = end;
  }
  return { ids, next, prev };
}

/**
 * A binary max-heap of (pair, count, first position) snapshots: higher count
 * first, then the earlier first occurrence. Snapshots go stale as counts
 * fall; the trainer re-checks the top and re-queues it with fresh numbers.
 */
class PairQueue {
  #stat = new Int32Array(1024);
  #count = new Int32Array(1024);
  #first = new Int32Array(1024);
  size = 0;

  get topStat(): number {
    return this.#stat[0];
  }
  get topCount(): number {
    return this.#count[0];
  }
  get topFirst(): number {
    return this.#first[0];
  }

  push(s: number, count: number, first: number): void {
    if (this.size === this.#stat.length) this.#grow();
    const st = this.#stat, co = this.#count, fi = this.#first;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(count > co[p] || (count === co[p] && first < fi[p]))) break;
      st[i] = st[p];
      co[i] = co[p];
      fi[i] = fi[p];
      i = p;
    }
    st[i] = s;
    co[i] = count;
    fi[i] = first;
  }

  pop(): void {
    const st = this.#stat, co = this.#count, fi = this.#first;
    const m = --this.size;
    if (m === 0) return;
    const s = st[m], count = co[m], first = fi[m];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      if (c + 1 < m && (co[c + 1] > co[c] || (co[c + 1] === co[c] && fi[c + 1] < fi[c]))) c++;
      if (!(co[c] > count || (co[c] === count && fi[c] < first))) break;
      st[i] = st[c];
      co[i] = co[c];
      fi[i] = fi[c];
      i = c;
    }
    st[i] = s;
    co[i] = count;
    fi[i] = first;
  }

  #grow(): void {
    const n = this.#stat.length * 2;
    const st = new Int32Array(n), co = new Int32Array(n), fi = new Int32Array(n);
    st.set(this.#stat);
    co.set(this.#count);
    fi.set(this.#first);
    this.#stat = st;
    this.#count = co;
    this.#first = fi;
  }
}
