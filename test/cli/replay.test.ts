import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const EVENTS = "samples/events";
const FILES = [
  "01-ecr-setrepositorypolicy-payments-api-public.json",
  "02-iam-attachrolepolicy-node-general-poweruser.json",
  "03-iam-attachrolepolicy-failed-accessdenied.json",
];
const REPOSITORY = "arn:aws:ecr:eu-west-1:111122223333:repository/payments/api";
const NODE_ROLE = "arn:aws:iam::111122223333:role/eks/prod-eu-node-general";
const RESULT_KEYS = [
  "alerts",
  "eventID",
  "eventName",
  "findings",
  "handler",
  "remediation",
  "resources",
];

const sampleEvent = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(EVENTS, file), "utf8"));

/** payments/api's policy in the sample snapshot: the compliant version a rollback restores. */
function snapshotPolicy(): unknown {
  const snapshot = JSON.parse(readFileSync("samples/sample-account.json", "utf8"));
  const repos: { repositoryName: string; policyText: string }[] =
    snapshot.regions["eu-west-1"].repositories;
  const repo = repos.find((candidate) => candidate.repositoryName === "payments/api");
  return JSON.parse(repo?.policyText ?? "null");
}

function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), "ecr-guard-replay-")), name);
  writeFileSync(path, content);
  return path;
}

async function replay(events: string, ...extra: string[]) {
  const { io, stdout, stderr } = memoryIo();
  const args = ["replay", "--snapshot", "samples/sample-account.json", "--events", events];
  const code = await run([...args, "--config", "samples/ecr-guard.config.yaml", ...extra], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** One result of the JSON output, as far as these tests read it. */
interface JsonResult {
  readonly eventID: string | null;
  readonly eventName: string | null;
  readonly resources: string[];
  readonly findings: { rule: string; actions: string[] }[];
  readonly alerts: {
    sns: { message: { action: unknown } };
    slack: { blocks: { type: string }[] };
    send: string;
  }[];
  readonly remediation: Record<string, unknown>;
  readonly handler: string | null;
  readonly change?: { status: string; message: string };
  readonly ignored?: { reason: string; message: string };
  readonly notEvaluated?: { reason: string; message: string };
}

async function replayJson(events: string, ...extra: string[]) {
  const { code, stdout } = await replay(events, "--format", "json", ...extra);
  return { code, results: JSON.parse(stdout).results as JsonResult[] };
}

describe("ecr-guard replay", () => {
  it("rolls back the public policy in remediate mode, flags the node role, ignores the failed call", async () => {
    const { code, stdout } = await replay(EVENTS, "--mode", "remediate");
    expect(code).toBe(1);
    expect(stdout).toContain("applied: set the policy of repository payments/api from the event");
    expect(stdout).toContain(`[CRITICAL] ecr-repository-public: ${REPOSITORY}`);
    expect(stdout).toContain("remediation: rollback (written)");
    expect(stdout).toContain(`[HIGH] eks-node-role-ecr-write: ${NODE_ROLE}`);
    expect(stdout).toContain(
      "ignored (failed-call): the call failed with AccessDenied and changed nothing",
    );
    expect(stdout).toContain("alert (new) to SNS: ecr-guard CRITICAL: ECR repository payments/api");
    expect(stdout).toContain(
      "  alert (new) to Slack #ecr-guard-alerts, as the channel shows it:\n" +
        "    | CRITICAL: ECR repository payments/api has 1 finding\n" +
        `    | *Resource* ${REPOSITORY}\n`,
    );
    expect(stdout).toContain("    | *Remediation (rollback):* Rolled the policy back");
  });

  it("evaluates the guardrail's own rollback, coming back as an event, clean and silent", async () => {
    const { results } = await replayJson(EVENTS, "--mode", "remediate");
    const alertsFor = (index: number) => results[index]?.alerts.map((alert) => alert.send);
    expect(alertsFor(0)).toEqual(["new"]);
    expect(results[3]).toEqual({
      eventID: "7d2e4f60-8a1b-4c3d-9e5f-6a7b8c9d0e21",
      eventName: "SetRepositoryPolicy",
      handler: "repository-change",
      resources: [REPOSITORY],
      findings: [],
      alerts: [],
      remediation: { action: "none", dryRun: false },
      change: {
        status: "applied",
        message: "set the policy of repository payments/api from the event",
      },
    });
  });

  it("prints the exact JSON schema and, in alert mode, the rollback it would write as a dry run", async () => {
    const { code, results } = await replayJson(EVENTS);
    expect(code).toBe(1);
    const applied = [...RESULT_KEYS, "change"].sort();
    expect(results.map((r) => Object.keys(r).sort())).toEqual([
      applied,
      applied,
      [...RESULT_KEYS, "ignored"].sort(),
      applied,
    ]);
    const [publicPolicy, nodeRole, failed, fixedByOwner] = results;
    // In alert mode nothing was rolled back: the owner's compliant policy (04) resolves it, once.
    expect(fixedByOwner?.findings).toEqual([]);
    expect(fixedByOwner?.alerts.map((alert) => alert.send)).toEqual(["resolved"]);
    expect(publicPolicy).toMatchObject({
      eventID: "3f1c9a52-6b0e-4d7a-9c21-5e8b7a0d4c11",
      eventName: "SetRepositoryPolicy",
      resources: [REPOSITORY],
      remediation: { action: "rollback", dryRun: true, policy: snapshotPolicy() },
    });
    expect(Object.keys(publicPolicy?.remediation ?? {}).sort()).toEqual([
      "action",
      "dryRun",
      "policy",
    ]);
    expect(publicPolicy?.findings.map((f) => f.rule)).toEqual(["ecr-repository-public"]);
    const [alert] = publicPolicy?.alerts ?? [];
    expect(Object.keys(alert ?? {}).sort()).toEqual(["resource", "send", "slack", "sns"]);
    expect(alert?.slack).toMatchObject({ channel: "#ecr-guard-alerts" });
    expect(alert?.sns.message.action).toMatchObject({ action: "rollback", dryRun: true });
    expect(alert?.slack.blocks[0]?.type).toBe("header");
    expect(nodeRole).toMatchObject({
      eventName: "AttachRolePolicy",
      resources: [NODE_ROLE],
      remediation: { action: "none", dryRun: true },
    });
    expect(nodeRole?.findings[0]).toMatchObject({
      rule: "eks-node-role-ecr-write",
      actions: [
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
    });
    expect(failed).toEqual({
      eventID: "c0ffee00-1111-4222-8333-944455556666",
      eventName: "AttachRolePolicy",
      handler: "role-change",
      resources: [],
      findings: [],
      alerts: [],
      remediation: { action: "none", dryRun: true },
      ignored: {
        reason: "failed-call",
        message: "the call failed with AccessDenied and changed nothing",
      },
    });
  });

  it("reads a gzipped CloudTrail log file and EventBridge envelopes alike", async () => {
    const [first, second, third] = FILES.map(sampleEvent);
    const envelope = {
      version: "0",
      id: "5e0c6a1e-7d2b-4c4e-8f55-0a1b2c3d4e5f",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.iam",
      account: "111122223333",
      time: "2026-11-23T09:20:00Z",
      region: "us-east-1",
      resources: [],
      detail: second,
    };
    const log = tempFile(
      "log.json.gz",
      new Uint8Array(gzipSync(JSON.stringify({ Records: [first, envelope, third] }))),
    );
    const { results } = await replayJson(log);
    expect(results.map((r) => [r.eventName, r.findings.length, r.alerts.length])).toEqual([
      ["SetRepositoryPolicy", 1, 1],
      ["AttachRolePolicy", 1, 1],
      ["AttachRolePolicy", 0, 0],
    ]);
  });

  it("gives a duplicate event one effect and the same findings one alert", async () => {
    const first = sampleEvent(FILES[0] ?? "");
    const again = { ...first, eventID: "another-delivery-of-the-same-change" };
    const { results } = await replayJson(
      tempFile("dup.json", JSON.stringify([first, first, again])),
    );
    expect(results.map((r) => [r.findings.length, r.alerts.length, r.ignored?.reason])).toEqual([
      [1, 1, undefined],
      [0, 0, "duplicate"],
      [1, 0, undefined],
    ]);
  });

  it("evaluates its own rollback, fed back as an event, clean and without a second alert", async () => {
    const first = sampleEvent(FILES[0] ?? "");
    const policyText = JSON.stringify(snapshotPolicy());
    const params = first.requestParameters as Record<string, unknown>;
    const ownWrite = {
      ...first,
      eventID: "own-rollback",
      requestParameters: { ...params, policyText },
    };
    const file = tempFile("own.json", JSON.stringify([first, ownWrite]));
    const { results } = await replayJson(file, "--mode", "remediate");
    expect(results[0]?.remediation).toMatchObject({ action: "rollback", dryRun: false });
    expect(results[1]).toMatchObject({
      eventID: "own-rollback",
      resources: [REPOSITORY],
      findings: [],
      alerts: [],
      remediation: { action: "none", dryRun: false },
    });
  });

  it.each([
    [["replay", "--snapshot", "s.json"], "required option '--events <path>' not specified"],
    [["replay", "--events", "e.json"], "required option '--snapshot <file>' not specified"],
    [
      ["replay", "--snapshot", "s", "--events", "e", "--mode", "fix"],
      "argument 'fix' is invalid. Allowed choices are alert, remediate.",
    ],
    [
      ["replay", "--snapshot", "samples/sample-account.json", "--events", "nowhere"],
      'cannot read events "nowhere"',
    ],
  ])("rejects %j with a usage error", async (argv, message) => {
    const { io, stderr } = memoryIo();
    expect(await run(argv, io)).toBe(2);
    expect(stderr()).toContain(message);
  });
});
