import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { isAbsolute } from "node:path";
import { jupyterDisplay, makeFigure } from "./figure.ts";
import { heatmap } from "./heatmap.ts";

async function inTempDir(f: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "katagrad_fig_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fig = () => heatmap({ values: [[1, 2], [3, 4]], title: "counts" });

Deno.test("Figure.save() writes the SVG, returns the absolute path and leaves no temporary file", async () => {
  await inTempDir(async (dir) => {
    const f = fig();
    const written = await f.save(`${dir}/counts.svg`);
    ok(isAbsolute(written));
    equal(written, `${dir}/counts.svg`);
    equal(await Deno.readTextFile(written), f.toSvg());
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["counts.svg"]);
  });
});

Deno.test("Figure.save() replaces an existing file", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/f.svg`, "old");
    await fig().save(`${dir}/f.svg`);
    ok((await Deno.readTextFile(`${dir}/f.svg`)).startsWith("<svg"));
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f.svg"]);
  });
});

Deno.test("Figure.save() that fails leaves what was there, and no temporary file", async () => {
  await inTempDir(async (dir) => {
    // The target is a non-empty directory: the data is written, the final rename fails.
    await Deno.mkdir(`${dir}/f.svg`);
    await Deno.writeTextFile(`${dir}/f.svg/keep`, "x");
    await rejects(fig().save(`${dir}/f.svg`));
    deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["f.svg"]);
    equal(await Deno.readTextFile(`${dir}/f.svg/keep`), "x");
  });
});

Deno.test("Figure.save() refuses a path that is empty or not .svg", async () => {
  await rejects(fig().save(""), {
    name: "TypeError",
    message: 'Cannot save figure: path is the string "": expected a file path',
  });
  await rejects(fig().save("plot.png"), {
    name: "TypeError",
    message: 'Cannot save figure to "plot.png": the path must end in .svg ' +
      "(for a PNG, convert the SVG, e.g. `rsvg-convert -o fig.png fig.svg`)",
  });
});

Deno.test("a Figure displays in deno jupyter as image/svg+xml, and prints as a summary", () => {
  const f = fig();
  equal(jupyterDisplay, Symbol.for("Jupyter.display"));
  const bundle = f[jupyterDisplay]();
  deepEqual(Object.keys(bundle).sort(), ["image/svg+xml", "text/plain"]);
  equal(bundle["image/svg+xml"], f.toSvg());
  equal(bundle["text/plain"], 'Figure(heatmap "counts": 2×2)');
  equal(Deno.inspect(f), 'Figure(heatmap "counts": 2×2)');
  equal(String(makeFigure("<svg/>", "x")), "Figure(x)");
});
