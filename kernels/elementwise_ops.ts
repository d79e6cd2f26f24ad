/**
 * The elementwise op table: for each op its WGSL expression (over `a` and, for
 * binary ops, `b`) and its CPU twin (float32 semantics through Math.fround).
 *
 * @module
 */

/** Unary ops the elementwise kernel implements. */
export type UnaryOp =
  | "identity"
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "abs"
  | "square"
  | "reciprocal"
  | "sin"
  | "cos"
  | "tanh"
  | "relu"
  | "sigmoid"
  | "gelu"
  | "gelu_tanh";

/** Binary ops the elementwise kernel implements (comparisons give 1.0 or 0.0). */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "relu_backward"
  | "gelu_backward";

const f = Math.fround;
const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_PI = Math.sqrt(2 / Math.PI);

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7), the same formula as the WGSL helper. */
function erf(x: number): number {
  const s = Math.sign(x);
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t +
        0.254829592) * t * Math.exp(-ax * ax);
  return s * y;
}

function powTorch(a: number, b: number): number {
  return Math.pow(a, b); // JS pow follows IEEE/C pow, as torch does
}

/** WGSL helper functions the expressions below may call. */
export const ELEMENTWISE_HELPERS_WGSL = `
fn erf_approx(x: f32) -> f32 {
  // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
  let ax = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * ax);
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    + 0.254829592) * t;
  return sign(x) * (1.0 - poly * exp(-ax * ax));
}

fn tanh_safe(x: f32) -> f32 {
  // tanh(15) == 1 in float32; clamping keeps exp() from overflowing in tanh.
  return tanh(clamp(x, -15.0, 15.0));
}

fn pow_torch(a: f32, b: f32) -> f32 {
  // WGSL pow is undefined for a < 0 and pow(0, 0); torch follows C pow.
  if (b == 0.0) { return 1.0; }
  let mag = pow(abs(a), b);
  if (a >= 0.0) { return mag; }
  if (b != floor(b)) { return bitcast<f32>(0x7fc00000u); }
  let odd = (b * 0.5) != floor(b * 0.5);
  return select(mag, -mag, odd);
}

fn gelu_exact(x: f32) -> f32 {
  return 0.5 * x * (1.0 + erf_approx(x * ${SQRT1_2}));
}
`;

/** WGSL expression and CPU twin of each unary op. */
export const UNARY_OPS: { [K in UnaryOp]: { wgsl: string; cpu: (a: number) => number } } = {
  identity: { wgsl: "a", cpu: (a) => a },
  neg: { wgsl: "-a", cpu: (a) => -a },
  exp: { wgsl: "exp(a)", cpu: (a) => f(Math.exp(a)) },
  log: { wgsl: "log(a)", cpu: (a) => f(Math.log(a)) },
  sqrt: { wgsl: "sqrt(a)", cpu: (a) => f(Math.sqrt(a)) },
  rsqrt: { wgsl: "inverseSqrt(a)", cpu: (a) => f(1 / Math.sqrt(a)) },
  abs: { wgsl: "abs(a)", cpu: (a) => Math.abs(a) },
  square: { wgsl: "a * a", cpu: (a) => f(a * a) },
  reciprocal: { wgsl: "1.0 / a", cpu: (a) => f(1 / a) },
  sin: { wgsl: "sin(a)", cpu: (a) => f(Math.sin(a)) },
  cos: { wgsl: "cos(a)", cpu: (a) => f(Math.cos(a)) },
  tanh: { wgsl: "tanh_safe(a)", cpu: (a) => f(Math.tanh(a)) },
  relu: { wgsl: "max(a, 0.0)", cpu: (a) => (a > 0 ? a : 0) },
  sigmoid: { wgsl: "1.0 / (1.0 + exp(-a))", cpu: (a) => f(1 / (1 + Math.exp(-a))) },
  gelu: { wgsl: "gelu_exact(a)", cpu: (a) => f(0.5 * a * (1 + erf(a * SQRT1_2))) },
  gelu_tanh: {
    wgsl: `0.5 * a * (1.0 + tanh_safe(${SQRT_2_PI} * (a + 0.044715 * a * a * a)))`,
    cpu: (a) => f(0.5 * a * (1 + Math.tanh(SQRT_2_PI * (a + 0.044715 * a * a * a)))),
  },
};

/** WGSL expression and CPU twin of each binary op. */
export const BINARY_OPS: {
  [K in BinaryOp]: { wgsl: string; cpu: (a: number, b: number) => number };
} = {
  add: { wgsl: "a + b", cpu: (a, b) => f(a + b) },
  sub: { wgsl: "a - b", cpu: (a, b) => f(a - b) },
  mul: { wgsl: "a * b", cpu: (a, b) => f(a * b) },
  div: { wgsl: "a / b", cpu: (a, b) => f(a / b) },
  pow: { wgsl: "pow_torch(a, b)", cpu: (a, b) => f(powTorch(a, b)) },
  maximum: { wgsl: "max(a, b)", cpu: (a, b) => Math.max(a, b) },
  minimum: { wgsl: "min(a, b)", cpu: (a, b) => Math.min(a, b) },
  eq: { wgsl: "select(0.0, 1.0, a == b)", cpu: (a, b) => Number(a === b) },
  ne: { wgsl: "select(0.0, 1.0, !(a == b) || a != a || b != b)", cpu: (a, b) => Number(a !== b) },
  lt: { wgsl: "select(0.0, 1.0, a < b)", cpu: (a, b) => Number(a < b) },
  le: { wgsl: "select(0.0, 1.0, a <= b)", cpu: (a, b) => Number(a <= b) },
  gt: { wgsl: "select(0.0, 1.0, a > b)", cpu: (a, b) => Number(a > b) },
  ge: { wgsl: "select(0.0, 1.0, a >= b)", cpu: (a, b) => Number(a >= b) },
  // a: the forward input x, b: the incoming gradient
  relu_backward: { wgsl: "select(0.0, b, a > 0.0)", cpu: (a, b) => (a > 0 ? b : 0) },
  gelu_backward: {
    wgsl: `b * (0.5 * (1.0 + erf_approx(a * ${SQRT1_2})) + a * ${
      1 / Math.sqrt(2 * Math.PI)
    } * exp(-0.5 * a * a))`,
    cpu: (a, b) =>
      f(b * (0.5 * (1 + erf(a * SQRT1_2)) + a / Math.sqrt(2 * Math.PI) * Math.exp(-0.5 * a * a))),
  },
};
