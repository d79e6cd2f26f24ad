/**
 * The trainer's bookkeeping, in typed arrays: per pair its tokens, its count
 * and the sorted list of places it occurs (kept lazily: entries go dead, never
 * out of order), and a max-heap of (count, first place) snapshots.
 *
 * @module
 */

import { PairTable } from "./pair_table.ts";

/** Growable singly linked lists of positions in one typed-array pool. */
export class PositionPool {
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
export class PairStats {
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

/**
 * A binary max-heap of (pair, count, first position) snapshots: higher count
 * first, then the earlier first occurrence. Snapshots go stale as counts
 * fall; the trainer re-checks the top and re-queues it with fresh numbers.
 */
export class PairQueue {
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
