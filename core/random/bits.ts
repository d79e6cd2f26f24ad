/**
 * The draws that PyTorch's CPU distributions are built from, as an interface so
 * the distribution files need not import the generator class.
 *
 * @module
 */

/** The primitive draws of a PyTorch-compatible CPU generator. */
export interface RandomBits {
  /** One 32-bit output of the engine (`CPUGeneratorImpl::random()`). */
  nextUint32(): number;
  /** A float in [0, 1) from the low 24 bits of one 32-bit output. */
  nextFloat(): number;
  /** A double in [0, 1) from the low 53 bits of one 64-bit output (high word drawn first). */
  nextDouble(): number;
  /** A standard normal double (Box–Muller with the second sample cached on the generator). */
  nextNormalDouble(): number;
}

/** 2^-24: one float32 unit in the last place at 1/2. */
export const TWO_POW_M24 = 2 ** -24;
/** 2^-53: one double unit in the last place at 1/2. */
export const TWO_POW_M53 = 2 ** -53;
