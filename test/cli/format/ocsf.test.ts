import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../../adapters/memory/index.ts";
import { toOcsfFindings, writeOcsfFindings } from "../../../cli/format/ocsf.ts";
import { type ScanReport, scanAccount } from "../../../core/index.ts";
import { context } from "../../support/trust-context.ts";

function sampleReport(): ScanReport {
  const snapshot = parseSnapshot(JSON.parse(readFileSync("samples/sample-account.json", "utf8")));
  if (!snapshot.ok) throw new Error("the sample snapshot no longer parses");
  return scanAccount(snapshot.inventory, context());
}

function written(report: ScanReport, chunkSize?: number): string[] {
  const pieces: string[] = [];
  writeOcsfFindings(report, (text) => pieces.push(text), chunkSize);
  return pieces;
}

describe("writeOcsfFindings", () => {
  it("writes exactly the pretty-printed array of the events, in pieces of about the chunk size", () => {
    const report = sampleReport();
    const whole = `${JSON.stringify(toOcsfFindings(report), null, 2)}\n`;

    const pieces = written(report, 2_000);

    expect(report.findings.length).toBeGreaterThan(3);
    expect(pieces.join("")).toBe(whole);
    expect(pieces.length).toBeGreaterThan(3);
  });

  it("writes an empty array when there is nothing to report", () => {
    const report: ScanReport = { ...sampleReport(), findings: [], exempted: [] };

    expect(written(report)).toEqual(["[]\n"]);
  });
});
