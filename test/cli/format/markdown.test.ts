import { describe, expect, it } from "vitest";
import { markdownCell, renderMarkdownTable } from "../../../cli/format/markdown.ts";

describe("markdownCell", () => {
  it.each([
    ["plain", "plain"],
    ["a|b", "a\\|b"],
    ["back\\slash", "back\\\\slash"],
    ["two\nlines\r\nhere", "two lines here"],
  ])("writes %j as %j", (value, expected) => {
    expect(markdownCell(value)).toBe(expected);
  });
});

describe("renderMarkdownTable", () => {
  it("writes the header, the delimiter row and one line per row", () => {
    expect(renderMarkdownTable(["A", "B"], [["1", "x|y"]])).toBe(
      "| A | B |\n| --- | --- |\n| 1 | x\\|y |",
    );
  });
});
