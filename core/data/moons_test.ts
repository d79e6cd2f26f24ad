import { deepEqual, equal, notDeepEqual, ok, throws } from "node:assert/strict";
import { makeMoons } from "./moons.ts";

const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol;

Deno.test("makeMoons() without noise puts points on the two half circles", () => {
  const { X, y } = makeMoons(101, { noise: 0, shuffle: false });
  equal(X.length, 101);
  equal(y.length, 101);
  // floor(101 / 2) = 50 on the upper moon, 51 on the lower one, in order.
  deepEqual(y, [...new Array(50).fill(-1), ...new Array(51).fill(1)]);
  for (let i = 0; i < 50; i++) {
    const [a, b] = X[i];
    ok(close(a * a + b * b, 1) && b >= -1e-15, `upper point ${i}: ${X[i]}`);
  }
  for (let i = 50; i < 101; i++) {
    const [a, b] = X[i];
    ok(close((a - 1) ** 2 + (b - 0.5) ** 2, 1) && b <= 0.5 + 1e-15, `lower point ${i}: ${X[i]}`);
  }
  // The ends of each arc, as linspace(0, pi, m) gives them.
  deepEqual(X[0], [1, 0]);
  ok(close(X[49][0], -1) && close(X[49][1], 0));
  deepEqual(X[50], [0, 0.5]);
  ok(close(X[100][0], 2) && close(X[100][1], 0.5));
  // Evenly spaced: the angle of the upper point i is pi * i / 49.
  ok(close(Math.atan2(X[7][1], X[7][0]), (Math.PI * 7) / 49));
});

Deno.test("makeMoons() shuffles points and labels together", () => {
  const plain = makeMoons(60, { noise: 0, shuffle: false });
  const shuffled = makeMoons(60, { noise: 0, seed: 5 });
  notDeepEqual(shuffled.X, plain.X);
  const key = (p: number[], label: number) => `${p[0]},${p[1]},${label}`;
  const a = plain.X.map((p, i) => key(p, plain.y[i])).sort();
  const b = shuffled.X.map((p, i) => key(p, shuffled.y[i])).sort();
  deepEqual(b, a);
});

Deno.test("makeMoons() is deterministic in its seed", () => {
  deepEqual(makeMoons(50, { seed: 3 }), makeMoons(50, { seed: 3 }));
  notDeepEqual(makeMoons(50, { seed: 3 }).X, makeMoons(50, { seed: 4 }).X);
  // The defaults are noise 0.1 and seed 1.
  deepEqual(makeMoons(50), makeMoons(50, { noise: 0.1, seed: 1 }));
});

Deno.test("makeMoons() adds Gaussian noise with the requested standard deviation", () => {
  const n = 4000, noise = 0.2;
  const clean = makeMoons(n, { noise: 0, shuffle: false });
  const noisy = makeMoons(n, { noise, seed: 9, shuffle: false });
  const d = noisy.X.flatMap((p, i) => [p[0] - clean.X[i][0], p[1] - clean.X[i][1]]);
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  const std = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length);
  ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  ok(Math.abs(std - noise) < 0.01, `std ${std}`);
  // About 68% of a normal's draws lie within one standard deviation.
  const within = d.filter((x) => Math.abs(x) < noise).length / d.length;
  ok(Math.abs(within - 0.6827) < 0.02, `within one sigma: ${within}`);
});

Deno.test("makeMoons() handles one point", () => {
  deepEqual(makeMoons(1, { noise: 0 }), { X: [[0, 0.5]], y: [1] });
});

Deno.test("makeMoons() throws on a bad size, noise or seed", () => {
  throws(() => makeMoons(0), {
    name: "RangeError",
    message: "makeMoons: n must be an integer >= 1, got 0",
  });
  throws(() => makeMoons(2.5), RangeError);
  throws(() => makeMoons(10, { noise: -0.1 }), {
    name: "RangeError",
    message: "makeMoons: noise must be a number >= 0, got -0.1",
  });
  throws(() => makeMoons(10, { seed: 0.5 }), {
    name: "RangeError",
    message: "makeMoons: seed must be an integer, got 0.5",
  });
});
