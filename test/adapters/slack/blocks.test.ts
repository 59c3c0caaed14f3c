import { describe, expect, it } from "vitest";
import {
  FINDING_TEXT_MAX,
  MAX_FINDINGS_SHOWN,
  renderAlertBlocks,
  SLACK_LIMITS,
  type SlackBlock,
} from "../../../adapters/slack/blocks.ts";
import { type AlertInput, buildAlert } from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const input: AlertInput = {
  findings: [finding({ conditions: ["aws:SourceIp"] })],
  event: setPolicyEvent(),
  resource: REPO_ARN,
  region: "eu-west-1",
  accountId: "111122223333",
  remediation: { action: "fix", dryRun: true, policy: '{"Version":"2012-10-17","Statement":[]}' },
};

function texts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((block) => {
    switch (block.type) {
      case "header":
        return [block.text.text];
      case "section":
        return [
          ...(block.text === undefined ? [] : [block.text.text]),
          ...(block.fields ?? []).map((f) => f.text),
        ];
      case "context":
        return block.elements.map((e) => e.text);
      default:
        return [];
    }
  });
}

describe("renderAlertBlocks", () => {
  it("renders resource, change, who, when, source IP, the statement, the dry-run policy and a console link", () => {
    expect(renderAlertBlocks(buildAlert(input))).toEqual({
      text: `CRITICAL: ECR repository team/app has 1 finding (${REPO_ARN})`,
      blocks: [
        {
          type: "header",
          text: { type: "plain_text", text: "CRITICAL: ECR repository team/app has 1 finding" },
        },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: `*Resource*\n${REPO_ARN}` },
            { type: "mrkdwn", text: "*Region*\neu-west-1" },
            { type: "mrkdwn", text: "*Account*\n111122223333" },
            { type: "mrkdwn", text: "*Severity*\ncritical" },
          ],
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*What changed:* `SetRepositoryPolicy`",
              "*Who:* arn:aws:sts::111122223333:assumed-role/Admin/alice (AssumedRole)",
              "*When:* 2026-11-20T10:15:00Z",
              "*Source IP:* 203.0.113.7",
            ].join("\n"),
          },
        },
        { type: "divider" },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*CRITICAL · ecr-repository-public*",
              "Anyone can pull images from team/app.",
              "Statement 0 (Sid `PublicPull`) at `$.Statement[0]`",
              "*Principals:* `*`",
              "*Actions:* `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`",
              "*Conditions:* `aws:SourceIp`",
            ].join("\n"),
          },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text:
              "*Remediation (fix, dry run):* Would remove only the offending grants and write the policy shown. Alert mode: nothing was changed.\n" +
              '```\n{"Version":"2012-10-17","Statement":[]}\n```',
          },
        },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "Open in the AWS console" },
              url: "https://console.aws.amazon.com/ecr/repositories/private/111122223333/team/app?region=eu-west-1",
            },
          ],
        },
        {
          type: "context",
          elements: [
            { type: "mrkdwn", text: "CloudTrail event `9b0c6b1e-0000-4000-8000-000000000001`" },
          ],
        },
      ],
    });
  });

  it("renders a resolved sweep alert with no event, no policy and no link for a template", () => {
    const message = renderAlertBlocks(
      buildAlert({
        findings: [],
        resource: "arn:aws:ecr:eu-west-1:111122223333:repository-creation-template/team",
        region: "eu-west-1",
        accountId: "111122223333",
        remediation: { action: "none", dryRun: false },
      }),
    );
    expect(message.blocks.map((b) => b.type)).toEqual([
      "header",
      "section",
      "section",
      "divider",
      "section",
      "section",
    ]);
    expect(texts(message.blocks)).toEqual([
      "Resolved: ECR creation template team no longer raises findings",
      "*Resource*\narn:aws:ecr:eu-west-1:111122223333:repository-creation-template/team",
      "*Region*\neu-west-1",
      "*Account*\n111122223333",
      "*Severity*\nresolved",
      "*What changed:* found by the scheduled sweep, no triggering event",
      "*Findings:* none remain; the resource is compliant again.",
      "*Remediation (none):* No automatic remediation.",
    ]);
  });

  it("escapes mrkdwn control characters in values people control", () => {
    const alert = buildAlert({
      ...input,
      findings: [finding({ message: "<!channel> & <https://evil.example|click>" })],
    });
    const all = texts(renderAlertBlocks(alert).blocks).join("\n");
    expect(all).toContain("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    expect(all).not.toContain("<!channel>");
  });

  it("stays inside Block Kit limits with a huge policy and many long findings", () => {
    const findings = Array.from({ length: 60 }, (_, index) =>
      finding({
        statement: { index, sid: `S${index}` },
        principals: Array.from({ length: 200 }, (_, i) => `1111${i}`),
      }),
    );
    const policy = JSON.stringify({
      Statement: Array.from({ length: 500 }, (_, i) => ({ Sid: `S${i}` })),
    });
    const message = renderAlertBlocks(
      buildAlert({ ...input, findings, remediation: { action: "rollback", dryRun: true, policy } }),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const header = message.blocks[0];
    expect(header?.type === "header" && header.text.text.length <= SLACK_LIMITS.headerText).toBe(
      true,
    );
    for (const text of texts(message.blocks))
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const findingSections = texts(message.blocks).filter((t) => t.startsWith("*CRITICAL ·"));
    expect(findingSections).toHaveLength(MAX_FINDINGS_SHOWN);
    for (const text of findingSections) expect(text.length).toBeLessThanOrEqual(FINDING_TEXT_MAX);
    expect(texts(message.blocks)).toContain(
      "…and 50 more findings not shown here (full list in the SNS message).",
    );
    const remediation = texts(message.blocks).find((t) => t.startsWith("*Remediation"));
    expect(remediation?.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(remediation).toMatch(/… \(truncated: \d+ characters in all\)\n```$/);
    expect(texts(message.blocks).join("").length).toBeLessThan(12_000);
  });

  it("states a notice right under the header, escaped", () => {
    const alert = { ...buildAlert(input), notice: "SetRepositoryPolicy by <bob> was overwritten." };
    const blocks = renderAlertBlocks(alert).blocks;
    expect(texts(blocks.slice(1, 2))).toEqual([
      "SetRepositoryPolicy by &lt;bob&gt; was overwritten.",
    ]);
    expect(texts(renderAlertBlocks(buildAlert(input)).blocks)).not.toContain(alert.notice);
  });

  it("truncates a long header to 150 characters", () => {
    const name = "a".repeat(200);
    const message = renderAlertBlocks(
      buildAlert({
        ...input,
        findings: [],
        resource: `arn:aws:ecr:eu-west-1:111122223333:repository/${name}`,
      }),
    );
    const header = message.blocks[0];
    expect(header?.type === "header" ? header.text.text.length : 0).toBe(SLACK_LIMITS.headerText);
  });

  it("names an unknown caller when CloudTrail gave no identity", () => {
    const event = {
      ...setPolicyEvent(),
      sourceIp: undefined,
      actor: { type: undefined, arn: undefined, principalId: undefined, accountId: undefined },
    };
    const all = texts(renderAlertBlocks(buildAlert({ ...input, event })).blocks).join("\n");
    expect(all).toContain(
      "*Who:* unknown caller (unknown type)\n*When:* 2026-11-20T10:15:00Z\n*Source IP:* unknown",
    );
  });
});
