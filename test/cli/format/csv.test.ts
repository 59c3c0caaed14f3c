import { describe, expect, it } from "vitest";
import { csvField, renderCsv } from "../../../cli/format/csv.ts";

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["carriage\rreturn", '"carriage\rreturn"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:root"],
  ])("writes %j as %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe("renderCsv", () => {
  it("ends every record, the header included, with CRLF", () => {
    expect(
      renderCsv(
        ["a", "b"],
        [
          ["1", "x,y"],
          ["2", ""],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n2,\r\n');
  });
});
