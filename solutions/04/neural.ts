/**
 * Kata 04 reference solution, steps 04.7–04.9: the neural bigram (makemore
 * part 1, second half): one-hot × W, softmax, NLL plus regularisation,
 * full-batch gradient descent, sampling from the net.
 *
 * @module
 */

import {
  arange,
  F,
  type Generator,
  index,
  multinomial,
  noGrad,
  type Tensor,
  tensor,
} from "../../mod.ts";

/**
 * The softmax of each row: `counts = logits.exp(); counts / counts.sum(1, keepdim=True)`.
 *
 * @param logits (n, C) float32
 * @returns (n, C) probabilities, each row summing to 1 (differentiable)
 */
export function softmax(logits: Tensor): Tensor {
  const counts = logits.exp();
  return counts.div(counts.sum(1, { keepdim: true }));
}

/**
 * The neural bigram's forward pass: `xenc = F.one_hot(xs, 27).float()`,
 * `logits = xenc @ W`, `probs = softmax(logits)`.
 *
 * @param W the (27, 27) weights
 * @param xs the input characters, int32 (n)
 * @returns (n, 27) probabilities of the next character
 */
export function bigramProbs(W: Tensor, xs: Tensor): Tensor {
  const xenc = F.oneHot(xs, W.shape[0]).to("float32"); // (n, 27)
  const logits = xenc.matmul(W); // (n, 27) log-counts
  return softmax(logits);
}

/**
 * The loss: `-probs[arange(n), ys].log().mean() + reg * (W**2).mean()`.
 *
 * @param W the (27, 27) weights
 * @param xs input characters
 * @param ys target characters
 * @param reg the regularisation strength (default 0.01)
 * @returns the scalar loss, differentiable with respect to W
 */
export function bigramLoss(W: Tensor, xs: Tensor, ys: Tensor, reg = 0.01): Tensor {
  const probs = bigramProbs(W, xs);
  const nll = index(probs, [arange(ys.size), ys]).log().mean().neg();
  return nll.add(W.pow(2).mean().mul(reg));
}

/** Options of {@link trainBigramNet}. */
export interface TrainOptions {
  /** Full-batch steps (default 100). */
  steps?: number;
  /** The learning rate (default 50). */
  lr?: number;
  /** The regularisation strength (default 0.01). */
  reg?: number;
}

/**
 * Full-batch gradient descent on {@link bigramLoss}, `steps` times: forward,
 * `W.grad = null`, `backward()`, `W.data += -lr * W.grad`.
 *
 * @param W the weights, `requiresGrad`; updated in place
 * @param xs input characters
 * @param ys target characters
 * @param options steps, lr and reg
 * @returns the loss of each step, before its update
 */
export function trainBigramNet(
  W: Tensor,
  xs: Tensor,
  ys: Tensor,
  options: TrainOptions = {},
): number[] {
  const { steps = 100, lr = 50, reg = 0.01 } = options;
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    const loss = bigramLoss(W, xs, ys, reg);
    W.grad = null;
    loss.backward();
    noGrad(() => W.sub_(W.grad!.mul(lr)));
    losses.push(loss.itemSync());
  }
  return losses;
}

/**
 * Samples names from the net as `sampleNames` does from the counts, with
 * `p = bigramProbs(W, [ix])` in place of `P[ix]`.
 *
 * @param W the (27, 27) weights
 * @param itos index → character
 * @param count how many names
 * @param generator the random stream, shared by every draw, in order
 * @returns the names, each ending in `.`
 */
export function sampleFromNet(
  W: Tensor,
  itos: readonly string[],
  count: number,
  generator: Generator,
): string[] {
  return noGrad(() => {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      let out = "";
      let ix = 0;
      do {
        const p = bigramProbs(W, tensor([ix], { dtype: "int32" })); // (1, 27)
        ix = multinomial(p, 1, { replacement: true, generator }).itemSync();
        out += itos[ix];
      } while (ix !== 0);
      names.push(out);
    }
    return names;
  });
}
