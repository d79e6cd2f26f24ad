/**
 * Shared pieces of kata 09's tests: Tiny Shakespeare encoded by the library
 * (so later steps do not depend on 09.1–09.2), the numbers the GPT lecture's
 * notebook prints, float64 references of attention written with plain loops
 * (independent of your tensor code), and assertions that print shapes and
 * the first entries that differ.
 *
 * @module
 */

import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import {
  CharVocab,
  Generator,
  loadDataset,
  nn,
  randn,
  splitTrainVal,
  type Tensor,
  tensor,
} from "../../mod.ts";

/** input.txt of the lecture: 1,115,394 characters (downloaded once if `KATAGRAD_DATA` lacks it). */
export const TEXT: string = await loadDataset("tinyshakespeare");

/** The lecture's 65 characters, encoded with the library's `CharVocab`. */
export const VOCAB: CharVocab = CharVocab.fromText(TEXT);

/** The whole text as token ids. */
export const DATA: Int32Array = VOCAB.encode(TEXT);

/** The lecture's split: the first 1,003,854 tokens train, the last 111,540 validate. */
export const { train: TRAIN, val: VAL } = splitTrainVal(DATA, 0.9);

/**
 * What the lecture's notebook (gpt-dev, outputs of 2023-01-17) prints; every
 * one of these is reproduced exactly by the reference solution with the
 * library's Generator, which is PyTorch's.
 */
export const LECTURE = {
  /** cell 12: `torch.manual_seed(1337); xb, yb = get_batch('train')`. */
  xb: [
    [24, 43, 58, 5, 57, 1, 46, 43],
    [44, 53, 56, 1, 58, 46, 39, 58],
    [52, 58, 1, 58, 46, 39, 58, 1],
    [25, 17, 27, 10, 0, 21, 1, 54],
  ],
  /** cell 12: the targets. */
  yb: [
    [43, 58, 5, 57, 1, 46, 43, 39],
    [53, 56, 1, 58, 46, 39, 58, 1],
    [58, 1, 58, 46, 39, 58, 1, 46],
    [17, 27, 10, 0, 21, 1, 54, 39],
  ],
  /** cell 14: the bigram model's loss at init, `tensor(4.8786)`. */
  initLoss: 4.8786,
  /** cell 14: 100 characters generated from a newline at init (the newline included). */
  sample100: "\nSKIcLT;AcELMoTbvZv C?nq-QE33:CJqkOKH-q;:la!oiywkHjgChzbQ?u!3bLIgwevmyFJGUGp\n" +
    "wnYWmnxKWWev-tDqXErVKLgJ",
  /** cell 16: `loss.item()` after 100 AdamW steps, lr 1e-3, batch 32. */
  loss100: 4.65630578994751,
  /** cell 17: the 500 characters generated after those steps (after the newline it starts from). */
  sample500: "\noTo.JUZ!!zqe!\nxBP qbs$Gy'AcOmrLwwt\np$x;Seh-onQbfM?OjKbn'NwUAW -Np3fkz" +
    "$FVwAUEa-wzWC -wQo-R!v -Mj?,SPiTyZ;o-opr$mOiPJEYD-CfigkzD3p3?zvS;ADz;." +
    "y?o,ivCuC'zqHxcVT cHA\nrT'Fd,SBMZyOslg!NXeF$sBe,juUzLq?w-wzP-h\nERjjxlgJ" +
    "zPbHxf$ q,q,KCDCU fqBOQT\nSV&CW:xSVwZv'DG'NSPypDhKStKzC -$hslxIVzoivnp " +
    ",ethA:NCCGoi\ntN!ljjP3fwJMwNelgUzzPGJlgihJ!d?q.d\npSPYgCuCJrIFtb\njQXg\npA" +
    ".P LP,SPJi\nDBcuBM:CixjJ$Jzkq,OLf3KLQLMGph$O 3DfiPHnXKuHMlyjxEiyZib3FaH" +
    "V-oJa!zoc'XSP :CKGUhd?lgCOF$;;DTHZMlvvcmZAm;:iv'MMgO&Ywbc;BLCUd&vZINLI" +
    "zkuTGZa\nD.?",
  /** cell 25: `wei[0]` of the unscaled single head (4 decimals as printed). */
  wei0: [
    [1.0, 0, 0, 0, 0, 0, 0, 0],
    [0.1574, 0.8426, 0, 0, 0, 0, 0, 0],
    [0.2088, 0.1646, 0.6266, 0, 0, 0, 0, 0],
    [0.5792, 0.1187, 0.1889, 0.1131, 0, 0, 0, 0],
    [0.0294, 0.1052, 0.0469, 0.0276, 0.7909, 0, 0, 0],
    [0.0176, 0.2689, 0.0215, 0.0089, 0.6812, 0.0019, 0, 0],
    [0.1691, 0.4066, 0.0438, 0.0416, 0.1048, 0.2012, 0.0329, 0],
    [0.021, 0.0843, 0.0555, 0.2297, 0.0573, 0.0709, 0.2423, 0.2391],
  ],
  /** cells 28–30: `k.var()`, `q.var()`, `wei.var()` of the scaled-attention illustration. */
  kVar: 1.0449,
  qVar: 1.07,
  weiVar: 1.0918,
};

/** The tensors of the lecture's single-head cell (cell 24) and the variance cell (27). */
export interface LectureHead {
  /** `torch.randn(4, 8, 32)` after `torch.manual_seed(1337)`. */
  x: Tensor;
  /** `key(x)`, `(4, 8, 16)`. */
  k: Tensor;
  /** `query(x)`. */
  q: Tensor;
  /** `value(x)`. */
  v: Tensor;
  /** cell 27: `torch.randn(4, 8, 16)`, drawn after the three Linear layers. */
  k2: Tensor;
  /** cell 27: the next `torch.randn(4, 8, 16)`. */
  q2: Tensor;
}

/** @returns the lecture's cells 24 and 27, drawn in the lecture's order with the library */
export function lectureHead(): LectureHead {
  const g = new Generator(1337);
  const x = randn([4, 8, 32], { generator: g });
  const key = new nn.Linear(32, 16, { bias: false, generator: g });
  const query = new nn.Linear(32, 16, { bias: false, generator: g });
  const value = new nn.Linear(32, 16, { bias: false, generator: g });
  const k2 = randn([4, 8, 16], { generator: g });
  const q2 = randn([4, 8, 16], { generator: g });
  return { x, k: key.forward(x), q: query.forward(x), v: value.forward(x), k2, q2 };
}

/** A tensor's numbers in float64 and its shape. */
export interface Plain {
  data: Float64Array;
  shape: number[];
}

/** @returns `t`'s numbers as float64, with its shape */
export function plain(t: Tensor): Plain {
  return { data: Float64Array.from(t.dataSync() as ArrayLike<number>), shape: [...t.shape] };
}

/**
 * `x @ Wᵀ + b` over the last dim, as `nn.Linear` computes it.
 *
 * @param x `(..., in)`
 * @param W `(out, in)`
 * @param b `(out)` or null
 * @returns `(..., out)`
 */
export function refLinear(x: Plain, W: Plain, b: Plain | null = null): Plain {
  const [out, inF] = W.shape;
  const rows = x.data.length / inF;
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let s = b ? b.data[o] : 0;
      for (let i = 0; i < inF; i++) s += x.data[r * inF + i] * W.data[o * inF + i];
      y[r * out + o] = s;
    }
  }
  return { data: y, shape: [...x.shape.slice(0, -1), out] };
}

/**
 * Scaled dot-product attention in float64, with plain loops.
 *
 * @param q `(B, Tq, hs)`
 * @param k `(B, Tk, hs)`
 * @param v `(B, Tk, hv)`
 * @param o causal (mask keys after the query's position), scale (default hs^-0.5)
 * @returns the output `(B, Tq, hv)` and the weights `(B, Tq, Tk)`
 */
export function refAttention(
  q: Plain,
  k: Plain,
  v: Plain,
  o: { causal: boolean; scale?: number },
): { out: Plain; wei: Plain } {
  const [B, Tq, hs] = q.shape;
  const Tk = k.shape[1], hv = v.shape[2];
  const scale = o.scale ?? 1 / Math.sqrt(hs);
  const wei = new Float64Array(B * Tq * Tk);
  const out = new Float64Array(B * Tq * hv);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const row = wei.subarray((b * Tq + i) * Tk, (b * Tq + i + 1) * Tk);
      let max = -Infinity;
      for (let j = 0; j < Tk; j++) {
        if (o.causal && j > i) {
          row[j] = -Infinity;
          continue;
        }
        let s = 0;
        for (let c = 0; c < hs; c++) {
          s += q.data[(b * Tq + i) * hs + c] * k.data[(b * Tk + j) * hs + c];
        }
        row[j] = s * scale;
        max = Math.max(max, row[j]);
      }
      let z = 0;
      for (let j = 0; j < Tk; j++) z += row[j] = Math.exp(row[j] - max);
      for (let j = 0; j < Tk; j++) row[j] /= z;
      for (let c = 0; c < hv; c++) {
        let s = 0;
        for (let j = 0; j < Tk; j++) s += row[j] * v.data[(b * Tk + j) * hv + c];
        out[(b * Tq + i) * hv + c] = s;
      }
    }
  }
  return { out: { data: out, shape: [B, Tq, hv] }, wei: { data: wei, shape: [B, Tq, Tk] } };
}

/** The three projections of a head. */
export interface HeadWeights {
  key: { weight: Tensor };
  query: { weight: Tensor };
  value: { weight: Tensor };
}

/**
 * One head in float64: key, query, value projections of `x` (or of `context`
 * for keys and values), then {@link refAttention}.
 *
 * @param h the head's Linear layers (bias-free)
 * @param x `(B, Tq, C)`
 * @param causal whether the future is masked
 * @param context `(B, Tk, Cctx)` for cross-attention (default x)
 * @returns `(B, Tq, hs)`
 */
export function refHead(h: HeadWeights, x: Plain, causal: boolean, context: Plain = x): Plain {
  const q = refLinear(x, plain(h.query.weight));
  const k = refLinear(context, plain(h.key.weight));
  const v = refLinear(context, plain(h.value.weight));
  return refAttention(q, k, v, { causal }).out;
}

/**
 * Concatenates `(..., n_i)` arrays along the last dim.
 *
 * @param parts the arrays, same leading shape
 * @returns `(..., Σ n_i)`
 */
export function refCatLast(parts: Plain[]): Plain {
  const lead = parts[0].shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const widths = parts.map((p) => p.shape[p.shape.length - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const data = new Float64Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let at = r * total;
    parts.forEach((p, i) => {
      data.set(p.data.subarray(r * widths[i], (r + 1) * widths[i]), at);
      at += widths[i];
    });
  }
  return { data, shape: [...lead, total] };
}

/**
 * Asserts that a tensor equals a float64 reference: shape, then entries.
 *
 * @param name what is compared (names the step's function)
 * @param got the learner's tensor
 * @param want the reference
 * @param tol absolute plus relative tolerance
 * @throws {KataAssertionError} with the shape or the first entries that differ
 */
export function assertMatches(name: string, got: unknown, want: Plain, tol = 1e-5): void {
  const t = asTensor(name, got);
  assertAllClose(name, { data: t.dataSync() as ArrayLike<number>, shape: t.shape }, want, tol);
}

/**
 * @param name what the value is
 * @param t the value
 * @returns it, when it is a Tensor
 * @throws {KataAssertionError} otherwise
 */
export function asTensor(name: string, t: unknown): Tensor {
  if (
    typeof t !== "object" || t === null || typeof (t as Tensor).dataSync !== "function" ||
    !Array.isArray((t as Tensor).shape)
  ) {
    throw new KataAssertionError(`${name}: expected a Tensor, got ${String(t)}`);
  }
  return t as Tensor;
}

/** @returns a float32 tensor holding `p` */
export function toTensor(p: Plain): Tensor {
  return tensor(Float32Array.from(p.data)).reshape(...p.shape);
}

/** @returns `"(a, b, c)"` */
export function shapeOf(t: { shape: readonly number[] }): string {
  return `(${t.shape.join(", ")})`;
}

/**
 * The largest |a - b| between two tensors of one shape, over positions `[from, to)` of dim 1.
 *
 * @param a `(B, T, ...)`
 * @param b `(B, T, ...)`
 * @param from first position
 * @param to end position (exclusive)
 * @returns the largest absolute difference
 */
export function maxDiffAlongT(a: Tensor, b: Tensor, from: number, to: number): number {
  const [B, T] = a.shape;
  const inner = a.size / (B * T);
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < B; i++) {
    for (let t = from; t < to; t++) {
      for (let c = 0; c < inner; c++) {
        const at = (i * T + t) * inner + c;
        m = Math.max(m, Math.abs(x[at] - y[at]));
      }
    }
  }
  return m;
}
