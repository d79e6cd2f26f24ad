import { equal, throws } from "node:assert/strict";
import { el, escapeXml, svgDocument, text } from "./svg.ts";
import { findAll, parseSvg, textOf } from "./test_util.ts";

Deno.test("escapeXml() escapes markup characters and replaces characters XML forbids", () => {
  equal(escapeXml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  equal(escapeXml("tab\tnl\nok"), "tab\tnl\nok");
  equal(escapeXml("\u0001\u001f\uffff"), "\uFFFD\uFFFD\uFFFD");
  equal(escapeXml("ünï ✓"), "ünï ✓");
});

Deno.test("el() builds elements that round-trip through the SVG reader", () => {
  const nasty = `<&"'>`;
  const doc = svgDocument(
    10,
    10,
    el("text", { class: "t", "data-x": nasty, skip: undefined }, text(nasty)),
  );
  const [t] = findAll(parseSvg(doc), "t");
  equal(textOf(t), nasty);
  equal(t.attrs["data-x"], nasty);
  equal(t.attrs.skip, undefined);
  equal(el("circle", { r: 1.006 }), '<circle r="1.01"/>');
  equal(el("circle", { r: -0.001 }), '<circle r="0"/>');
});

Deno.test("the test reader rejects malformed markup (so structural tests can fail)", () => {
  throws(() => parseSvg('<svg xmlns="x"><text>a < b</text></svg>'), SyntaxError);
  throws(() => parseSvg('<svg xmlns="x"><text>a & b</text></svg>'), SyntaxError);
  throws(() => parseSvg('<svg xmlns="x"><g></svg>'), SyntaxError);
  throws(() => parseSvg('<svg xmlns="x"><rect x=1/></svg>'), SyntaxError);
  throws(() => parseSvg('<svg xmlns="x"/><svg xmlns="x"/>'), SyntaxError);
});
