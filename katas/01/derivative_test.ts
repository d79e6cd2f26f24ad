// Kata 01, step 01.1: the numerical derivative.
import { assertClose } from "../_lib/assert.ts";
import { derivative } from "./value.ts";

const f = (x: number) => 3 * x * x - 4 * x + 5;

Deno.test("01.1 derivative of 3x² - 4x + 5 at x = 3 is about 14", () => {
  assertClose("derivative(f, 3)", derivative(f, 3), 14, 1e-3);
});

Deno.test("01.1 derivative of 3x² - 4x + 5 is about 0 at x = 2/3 and about -22 at x = -3", () => {
  assertClose("derivative(f, 2/3)", derivative(f, 2 / 3), 0, 1e-3);
  assertClose("derivative(f, -3)", derivative(f, -3), -22, 1e-3);
});

Deno.test("01.1 derivative of d = a*b + c with respect to a, b and c is b, a and 1", () => {
  const a = 2, b = -3, c = 10;
  assertClose("dd/da", derivative((x) => x * b + c, a), b, 1e-6);
  assertClose("dd/db", derivative((x) => a * x + c, b), a, 1e-6);
  assertClose("dd/dc", derivative((x) => a * b + x, c), 1, 1e-6);
});

Deno.test("01.1 derivative is the forward difference (f(x + h) - f(x)) / h with the h you pass", () => {
  // x² at 1 with h = 0.5: (1.5² - 1²) / 0.5 = 2.5 (the true slope is 2).
  assertClose("derivative(x => x*x, 1, 0.5)", derivative((x) => x * x, 1, 0.5), 2.5, 1e-12);
  assertClose("derivative(Math.sin, 1)", derivative(Math.sin, 1), Math.cos(1), 1e-4);
});
