import { describe, expect, it } from "vitest";
import {
  type ChangeEvent,
  checkRepositoryPolicy,
  eventInstant,
  isGuardrailIdentity,
  overwrittenChangeNotice,
  transientExposureNotice,
} from "../../../core/index.ts";
import { context, OWNER } from "../../support/trust-context.ts";

const ARN = `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const text = (...statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const PUBLIC = text({ Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL });
const OURS = text({ Sid: "Ours", Effect: "Allow", Principal: { AWS: OWNER }, Action: "ecr:*" });
const GUARDRAIL_ROLE = `arn:aws:iam::${OWNER}:role/ecr-guard/prod-RepositoryChangeRole-ABC`;
const ctx = context({});
const at = (iso: string) => ({ ...ctx, now: new Date(iso) });

function event(overrides: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    eventId: "e-1",
    eventName: "SetRepositoryPolicy",
    eventSource: "ecr.amazonaws.com",
    eventTime: "2026-06-01T00:00:10Z",
    region: "eu-west-1",
    accountId: OWNER,
    actor: {
      type: "AssumedRole",
      arn: `arn:aws:sts::${OWNER}:assumed-role/Admin/mallory`,
      principalId: "AROAEXAMPLE:mallory",
      accountId: OWNER,
    },
    sourceIp: "203.0.113.9",
    userAgent: "aws-cli/2",
    succeeded: true,
    target: { kind: "repository", region: "eu-west-1", registryId: OWNER, repositoryName: "app" },
    requestedPolicy: PUBLIC,
    ...overrides,
  };
}

const findingsOf = (policy: string) =>
  checkRepositoryPolicy({ document: policy, resource: ARN }, ctx).findings;

describe("eventInstant", () => {
  it.each([
    ["2026-06-01T00:00:10Z", Date.UTC(2026, 5, 1, 0, 0, 10)],
    ["2020-11-20 06:19:05.000", Date.UTC(2020, 10, 20, 6, 19, 5)],
    ["2026-06-01T02:00:10+02:00", Date.UTC(2026, 5, 1, 0, 0, 10)],
    ["yesterday", undefined],
  ])("reads %s as UTC", (time, expected) => {
    expect(eventInstant(time)).toBe(expected);
  });
});

describe("isGuardrailIdentity", () => {
  const session = (arn: string) => ({ ...event().actor, arn });

  it("recognises a session of the guardrail's role, whatever the role's path", () => {
    expect(
      isGuardrailIdentity(
        session(`arn:aws:sts::${OWNER}:assumed-role/prod-RepositoryChangeRole-ABC/fn`),
        GUARDRAIL_ROLE,
      ),
    ).toBe(true);
  });

  it.each([
    ["another role", `arn:aws:sts::${OWNER}:assumed-role/Admin/fn`],
    [
      "the same role name in another account",
      "arn:aws:sts::444455556666:assumed-role/prod-RepositoryChangeRole-ABC/fn",
    ],
    ["an IAM user", `arn:aws:iam::${OWNER}:user/prod-RepositoryChangeRole-ABC`],
  ])("does not take %s for the guardrail", (_name, arn) => {
    expect(isGuardrailIdentity(session(arn), GUARDRAIL_ROLE)).toBe(false);
  });

  it("recognises nobody when the guardrail's role is not known", () => {
    expect(isGuardrailIdentity(event().actor, undefined)).toBe(false);
  });
});

describe("transientExposureNotice", () => {
  it("reports who opened what, when, and for how long at most", () => {
    const notice = transientExposureNotice(event(), ARN, at("2026-06-01T00:00:52.300Z"));
    expect(notice).toEqual({
      kind: "transient-exposure",
      key: "transient|e-1",
      title: `TRANSIENT CRITICAL: SetRepositoryPolicy by arn:aws:sts::${OWNER}:assumed-role/Admin/mallory opened 1 finding, already reverted`,
      text: `SetRepositoryPolicy by arn:aws:sts::${OWNER}:assumed-role/Admin/mallory at 2026-06-01T00:00:10Z set a policy that raised 1 finding; it was reverted before the guardrail read the repository at 2026-06-01T00:00:52.300Z, so it was open for at most 43 s. Review what was pulled or pushed meanwhile.`,
      findings: findingsOf(PUBLIC),
    });
  });

  it("says nothing about a request whose policy raises nothing, or that carried none", () => {
    expect(transientExposureNotice(event({ requestedPolicy: OURS }), ARN, ctx)).toBeUndefined();
    const { requestedPolicy: _none, ...bare } = event();
    expect(transientExposureNotice(bare, ARN, ctx)).toBeUndefined();
  });

  it("judges a request policy that is no JSON string as unparseable, failing closed", () => {
    const notice = transientExposureNotice(event({ requestedPolicy: 42 }), ARN, ctx);
    expect(notice?.findings.map((finding) => finding.rule)).toEqual(["policy-unparseable"]);
  });
});

describe("overwrittenChangeNotice", () => {
  const write = { from: "2026-06-01T00:00:09.000Z", to: "2026-06-01T00:00:11.000Z", policy: OURS };
  const judged = { resource: ARN, ctx, guardrailRole: GUARDRAIL_ROLE };

  it("announces someone else's change inside the window that the remediation overwrote", () => {
    const compliant = event({
      requestedPolicy: text({
        Sid: "Team",
        Effect: "Allow",
        Principal: { AWS: OWNER },
        Action: PULL,
      }),
    });
    const notice = overwrittenChangeNotice(compliant, write, OURS, judged);
    expect(notice).toMatchObject({
      kind: "overwritten-change",
      key: "overwritten|e-1",
      findings: [],
      text: expect.stringContaining(
        "landed between the guardrail's read and its remediation write (2026-06-01T00:00:09.000Z to 2026-06-01T00:00:11.000Z) and was overwritten: it raised no finding, so a legitimate change may have been undone",
      ),
    });
  });

  it("counts both ends of the window, in whole seconds", () => {
    for (const eventTime of ["2026-06-01T00:00:09Z", "2026-06-01 00:00:11.000"]) {
      expect(overwrittenChangeNotice(event({ eventTime }), write, OURS, judged)).toBeDefined();
    }
    for (const eventTime of ["2026-06-01T00:00:08Z", "2026-06-01T00:00:12Z"]) {
      expect(overwrittenChangeNotice(event({ eventTime }), write, OURS, judged)).toBeUndefined();
    }
  });

  it("never takes the guardrail's own write for an overwritten change, whatever its time", () => {
    const own = event({
      actor: {
        ...event().actor,
        arn: `arn:aws:sts::${OWNER}:assumed-role/prod-RepositoryChangeRole-ABC/fn`,
      },
      requestedPolicy: OURS,
    });
    expect(overwrittenChangeNotice(own, write, OURS, judged)).toBeUndefined();
  });

  it("says nothing when the guardrail's role is not known: its own write could not be told apart", () => {
    expect(overwrittenChangeNotice(event(), write, OURS, { resource: ARN, ctx })).toBeUndefined();
  });

  it("says nothing when the change stands (the repository no longer holds what was written)", () => {
    expect(overwrittenChangeNotice(event(), write, PUBLIC, judged)).toBeUndefined();
    expect(overwrittenChangeNotice(event(), undefined, OURS, judged)).toBeUndefined();
  });
});
