import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildSnsMessage, SNS_MESSAGE_BODY_MAX_BYTES } from "../../../adapters/sns/message.ts";
import { type Alert, buildAlert, buildNoticeAlert, type Finding } from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

/** SNS's limit on a whole Publish: message, subject and attributes. */
const SNS_PUBLISH_MAX_BYTES = 262_144;

function alertWith(findings: readonly Finding[]): Alert {
  return buildAlert({
    findings,
    event: setPolicyEvent(),
    resource: REPO_ARN,
    region: "eu-west-1",
    accountId: "111122223333",
    remediation: { action: "none", dryRun: true },
  });
}

/** `count` distinct findings, each naming its own statement and principal. */
function manyFindings(count: number): Finding[] {
  return Array.from({ length: count }, (_, index) =>
    finding({
      statement: { index, sid: `Statement${index}` },
      path: `$.Statement[${index}]`,
      principals: [`arn:aws:iam::${String(index).padStart(12, "0")}:root`],
    }),
  );
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

describe("buildSnsMessage size cap", () => {
  it("keeps a message with 5,000 findings under SNS's limit and says how many were left out", () => {
    const alert = alertWith(manyFindings(5_000));
    const built = buildSnsMessage(alert);
    const body = JSON.parse(built.message);
    const attributes = Object.entries(built.attributes).flat().join("String String");
    expect(bytes(built.structured)).toBeLessThanOrEqual(SNS_MESSAGE_BODY_MAX_BYTES);
    expect(bytes(built.structured) + bytes(built.subject) + bytes(attributes)).toBeLessThan(
      SNS_PUBLISH_MAX_BYTES,
    );
    expect(JSON.parse(built.structured)).toEqual({ default: built.message, email: built.email });
    expect(body.findingsTruncated).toBeGreaterThan(0);
    expect(body.findings.length + body.findingsTruncated).toBe(5_000);
    expect(body.findings).toEqual(alert.findings.slice(0, body.findings.length));
    expect(body.title).toContain("5000 findings");
  });

  it("replaces the fingerprint of a capped message by its SHA-256 digest", () => {
    const alert = alertWith(manyFindings(5_000));
    const digest = createHash("sha256").update(alert.fingerprint).digest("hex");
    expect(JSON.parse(buildSnsMessage(alert).message).fingerprint).toBe(`sha256:${digest}`);
  });

  it("keeps as many findings as fit in the whole structure: one more would pass the limit", () => {
    const alert = alertWith(manyFindings(5_000));
    const built = buildSnsMessage(alert);
    const kept: number = JSON.parse(built.message).findings.length;
    // One more finding adds at least its JSON, escaped inside the `default` string.
    const next = JSON.stringify(JSON.stringify(alert.findings[kept]));
    expect(bytes(built.structured) + bytes(next) - 2).toBeGreaterThan(SNS_MESSAGE_BODY_MAX_BYTES);
    expect(built.email).toContain(`…and ${5_000 - kept} more findings not shown`);
  });

  it("sends every finding, with no truncation count, when they fit", () => {
    const alert = alertWith(manyFindings(20));
    const body = JSON.parse(buildSnsMessage(alert).message);
    expect(body.findings).toEqual(alert.findings);
    expect(body).not.toHaveProperty("findingsTruncated");
    expect(body.fingerprint).toBe(alert.fingerprint);
  });
});

describe("buildSnsMessage with a notice", () => {
  it("carries the notice of a transient exposure beside its title, and none otherwise", () => {
    const notice = {
      kind: "transient-exposure" as const,
      key: "transient|e-1",
      title: "TRANSIENT CRITICAL: opened 1 finding, already reverted",
      text: "It was open for at most 40 s.",
      findings: [finding()],
    };
    const input = {
      findings: [],
      event: setPolicyEvent(),
      resource: REPO_ARN,
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "none" as const, dryRun: false },
    };
    const body = JSON.parse(buildSnsMessage(buildNoticeAlert(input, notice)).message);
    expect(body).toMatchObject({ status: "resolved", title: notice.title, notice: notice.text });
    expect(JSON.parse(buildSnsMessage(alertWith([finding()])).message)).not.toHaveProperty(
      "notice",
    );
  });
});
