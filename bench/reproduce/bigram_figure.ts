/**
 * makemore part 1's count figure: the 27×27 matrix `N` as a heatmap on the
 * "Blues" ramp, each cell showing its bigram (`"ab"`) above its count
 * (`plt.imshow(N, cmap='Blues')` and two `plt.text` calls per cell in the lecture).
 *
 * @module
 */

import { dirname } from "node:path";
import { heatmap } from "../../mod.ts";

/**
 * Writes the count figure as an SVG file.
 *
 * @param counts the rows of N
 * @param itos index → character
 * @param path where to write (a `.svg` path; its folder is created)
 * @returns the path written
 */
export async function saveCountFigure(
  counts: readonly (readonly number[])[],
  itos: readonly string[],
  path: string,
): Promise<string> {
  const figure = heatmap({
    values: counts,
    cellText: counts.map((row, i) => row.map((n, j) => `${itos[i]}${itos[j]}\n${n}`)),
    title: `Bigram counts N[x][y] of names.txt (${counts.length}×${counts.length})`,
  });
  await Deno.mkdir(dirname(path), { recursive: true });
  return await figure.save(path);
}
