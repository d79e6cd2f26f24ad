/**
 * `deno task verify`: proves, kata by kata, that stubs fail with KataTodo,
 * solutions pass, and mutants fail. (Placeholder until the first kata lands.)
 *
 * @module
 */
console.log("verify: 0 passed, 0 failed");
