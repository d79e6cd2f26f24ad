/**
 * The bad-input table's shape and its runner: each case is a call that must fail, the error
 * class it must fail with (by name) and a pattern its message must match. Calls may throw or
 * return a rejected promise. Tables: `bad_inputs_tensor.ts` (run on every device),
 * `bad_inputs_host.ts` and `bad_inputs_library.ts` (the CPU only).
 *
 * @module
 */

/** One bad input: what it is, the call, the error's `name`, and a pattern of its message. */
export type BadInput = [description: string, call: () => unknown, error: string, message: RegExp];

/** The outcome of running one case: null when it failed as expected, else why not. */
async function outcome([, call, error, message]: BadInput): Promise<string | null> {
  let caught: unknown = undefined, threw = false;
  try {
    const r = call();
    if (r instanceof Promise) await r;
  } catch (e) {
    caught = e;
    threw = true;
  }
  if (!threw) return "did not throw";
  if (!(caught instanceof Error)) return `threw a non-Error: ${String(caught)}`;
  if (caught.name !== error) return `threw ${caught.name} (${caught.message}), expected ${error}`;
  if (!message.test(caught.message)) {
    return `threw ${caught.name} with message "${caught.message}", expected ${message}`;
  }
  return null;
}

/**
 * Runs every case; fails listing each case that did not throw the expected error.
 *
 * @param cases the table
 * @throws {Error} naming each case that did not fail as expected
 */
export async function runBadInputs(cases: readonly BadInput[]): Promise<void> {
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c[0])) failures.push(`${c[0]}: the description appears twice`);
    seen.add(c[0]);
    const why = await outcome(c);
    if (why !== null) failures.push(`${c[0]}: ${why}`);
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${cases.length} bad inputs:\n${failures.join("\n")}`);
  }
}
