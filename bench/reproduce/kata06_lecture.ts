/**
 * The numbers of makemore part 3 that `deno task reproduce 06` prints beside
 * its own: the lecture's (makemore_part3_bn.ipynb at nn-zero-to-hero 73c3fcc,
 * and the video where the notebook has no output), PyTorch running the same
 * code on this machine (bench/peers/makemore_bn_torch.py), and the printing of
 * the deep network's diagnostics in the notebook's format.
 *
 * @module
 */

/** The lecture's numbers. */
export const LECTURE_06 = {
  /** First-batch loss at each init stage (the video; the notebook keeps only the last stage). */
  init: {
    untuned: "≈ 27 (video)",
    softmax: "3.32 (video)",
    tanh: "—",
    kaiming: "—",
  },
  /** The notebook's loss log (markdown cell 11): 200,000 steps of each stage. */
  lossLog: {
    untuned: "2.1245 / 2.1682",
    softmax: "2.07 / 2.13",
    tanh: "2.0356 / 2.1027",
    kaiming: "2.0377 / 2.1070",
  },
  /** The BatchNorm'd MLP: cell 10 (running statistics) and the loss log's last entry. */
  bn: { train: 2.0674, val: 2.1057, logTrain: 2.0668, logVal: 2.1048 },
  /** The deep network after the notebook's 1,001 steps (cells 15–17, 19). */
  deep: {
    train: 2.4003,
    val: 2.3982,
    activations: [
      [-0.0, 0.63, 2.78],
      [0.0, 0.64, 2.56],
      [-0.0, 0.65, 2.25],
      [0.0, 0.65, 1.69],
      [0.0, 0.65, 1.88],
    ],
    gradStd: [2.640702e-3, 2.245584e-3, 2.045742e-3, 1.983134e-3, 1.952382e-3],
    weights: [
      [8.020534e-3, 8.01263e-3],
      [9.241077e-3, 4.881091e-2],
      [7.132879e-3, 6.964619e-2],
      [6.234305e-3, 6.073741e-2],
      [5.742187e-3, 5.631483e-2],
      [5.672205e-3, 5.570125e-2],
      [1.209416e-2, 1.160106e-1],
    ],
  },
} as const;

/**
 * PyTorch 1.13 (Debian, one thread, OpenBLAS) running bench/peers/makemore_bn_torch.py on the
 * 2-core build machine: the BatchNorm'd MLP after 200,000 steps and the deep network after 1,001
 * (its time depends on the machine's load: run the script beside this one to compare).
 */
export const TORCH_PEER_06 = {
  bn: {
    running: { train: 2.0674, val: 2.1057 },
    calibrated: { train: 2.0678, val: 2.1056 },
  },
  deep: { train: 2.4003, val: 2.3982 },
} as const;

/** Statistics as kata 06 computes them (the fields the printout reads). */
interface Stats {
  activations: { layer: number; mean: number; std: number; saturated: number }[];
  gradients: { layer: number; std: number }[];
  weights: { shape: readonly number[]; mean: number; std: number; gradToData: number }[];
}

/**
 * Prints the notebook's cells 15–17 with ours, the lecture's beside where it printed them.
 *
 * @param activations `activationStats(net)`
 * @param gradients `gradientStats(net)`
 * @param weights `weightStats(params)`
 * @param besideLecture whether the run is the lecture's (1,001 steps), so its numbers apply
 */
export function printDeepDiagnostics(
  activations: Stats["activations"],
  gradients: Stats["gradients"],
  weights: Stats["weights"],
  besideLecture: boolean,
): void {
  const L = LECTURE_06.deep;
  const lec = (s: string) => (besideLecture ? `   lecture ${s}` : "");
  console.log("activations of the tanh layers (cell 15):");
  activations.forEach((a, k) => {
    const [m, s, sat] = L.activations[k] ?? [];
    const sign = (x: number) => (x < 0 || Object.is(x, -0) ? "-" : "+") + Math.abs(x).toFixed(2);
    console.log(
      `  layer ${String(a.layer).padStart(2)} (Tanh): mean ${sign(a.mean)}, std ${
        a.std.toFixed(2)
      }, saturated: ${a.saturated.toFixed(2)}%` +
        lec(`${sign(m)}, ${s?.toFixed(2)}, ${sat?.toFixed(2)}%`),
    );
  });
  console.log("gradients of the tanh outputs (cell 16):");
  gradients.forEach((g, k) =>
    console.log(
      `  layer ${String(g.layer).padStart(2)} (Tanh): std ${g.std.toExponential(6)}` +
        lec(L.gradStd[k]?.toExponential(6) ?? "—"),
    )
  );
  console.log("weights (cell 17):");
  weights.forEach((w, k) => {
    const [s, r] = L.weights[k] ?? [];
    console.log(
      `  weight ${`(${w.shape.join(", ")})`.padStart(10)} | mean ${w.mean >= 0 ? "+" : ""}${
        w.mean.toFixed(6)
      } | std ${w.std.toExponential(6)} | grad:data ratio ${w.gradToData.toExponential(6)}` +
        lec(`${s?.toExponential(6)} | ${r?.toExponential(6)}`),
    );
  });
}
