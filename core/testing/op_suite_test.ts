import { deepEqual, equal, ok } from "node:assert/strict";
import { loadFixture } from "./fixture.ts";
import { runCase, type SuiteReport } from "./op_suite.ts";
import { type OpCase, opCases } from "./op_cases.ts";

const fresh = (): SuiteReport => ({ cases: 0, gradChecks: 0, fdChecks: 0, failures: [] });
const tanhCase = (await loadFixture("elementwise")).cases.find((c) => c.name === "tanh/2x3x2")!;

Deno.test("runCase() passes the real tanh and checks its gradient both ways", async () => {
  const r = fresh();
  await runCase(tanhCase, opCases.tanh, { device: "cpu" }, r);
  deepEqual(r.failures, []);
  equal(r.gradChecks, 1);
  equal(r.fdChecks, 1);
});

Deno.test("runCase() reports a wrong forward with the index and both values", async () => {
  const r = fresh();
  await runCase(tanhCase, { call: ([x]) => x.sigmoid() }, { device: "cpu" }, r);
  ok(r.failures.some((f) => /^tanh\/2x3x2: output 0: index \d+: expected .*, got /.test(f)));
});

Deno.test("runCase() catches a right forward with a wrong gradient (fixture and finite differences)", async () => {
  const r = fresh();
  // Forward equals tanh(x), but the gradient is that of 0.5·x.
  const wrong: OpCase = {
    call: ([x]) => x.tanh().detach().add(x.mul(0.5)).sub(x.detach().mul(0.5)),
  };
  await runCase(tanhCase, wrong, { device: "cpu" }, r);
  ok(r.failures.some((f) => f.startsWith("tanh/2x3x2: grad of input 0:")), r.failures.join("\n"));
  ok(r.failures.some((f) => f.startsWith("tanh/2x3x2: finite difference")), r.failures.join("\n"));
});
