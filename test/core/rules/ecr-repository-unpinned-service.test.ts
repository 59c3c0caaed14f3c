import { describe, expect, it } from "vitest";
import { ecrRepositoryUnpinnedService } from "../../../core/rules/ecr-repository-unpinned-service.ts";
import { context, OUR_ORG, OWNER } from "../../support/trust-context.ts";
import { PULL, REPOSITORY, subject } from "./subjects.ts";

// Shape of AWS's Lambda container-image repository policy (Lambda developer guide).
const lambda = (Condition?: Record<string, unknown>) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "LambdaECRImageRetrievalPolicy",
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: PULL,
      ...(Condition === undefined ? {} : { Condition }),
    },
  ],
});

const FINDING = {
  rule: "ecr-repository-unpinned-service",
  severity: "medium",
  resource: REPOSITORY,
  message:
    'Statement[0] "LambdaECRImageRetrievalPolicy" lets the service lambda.amazonaws.com acting for any account use Read access (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) on this repository; pin it to your accounts with an aws:SourceAccount or aws:SourceArn condition.',
  statement: { index: 0, sid: "LambdaECRImageRetrievalPolicy" },
  path: "$.Statement[0]",
  principals: ["lambda.amazonaws.com"],
  actions: PULL,
  accessLevels: ["Read"],
  conditions: [],
  details: { audience: "unpinned-service", accounts: [], organizations: [] },
};

describe("ecr-repository-unpinned-service", () => {
  it("does not apply to a repository without a policy", () => {
    expect(ecrRepositoryUnpinnedService.evaluate(subject(undefined), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it.each([
    [
      "aws:SourceArn on owner functions",
      { StringLike: { "aws:sourceArn": `arn:aws:lambda:us-east-1:${OWNER}:function:*` } },
    ],
    ["aws:SourceAccount", { StringEquals: { "aws:SourceAccount": OWNER } }],
    ["aws:SourceOrgID", { StringEquals: { "aws:SourceOrgID": OUR_ORG } }],
  ])("passes Lambda pinned by %s", (_name, condition) => {
    expect(ecrRepositoryUnpinnedService.evaluate(subject(lambda(condition)), context())).toEqual({
      kind: "compliant",
    });
  });

  it("flags Lambda without pinning conditions as medium", () => {
    expect(ecrRepositoryUnpinnedService.evaluate(subject(lambda()), context())).toEqual({
      kind: "violations",
      findings: [FINDING],
    });
  });

  it("flags a service that may write as high and notes conditions that do not pin it", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "codebuild.amazonaws.com" },
          Action: ["ecr:PutImage"],
          Condition: { StringEqualsIfExists: { "aws:SourceAccount": OWNER } },
        },
      ],
    };
    expect(ecrRepositoryUnpinnedService.evaluate(subject(document), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...FINDING,
          severity: "high",
          message:
            "Statement[0] lets the service codebuild.amazonaws.com acting for any account use Write access (ecr:PutImage) on this repository; pin it to your accounts with an aws:SourceAccount or aws:SourceArn condition.",
          statement: { index: 0, sid: undefined },
          principals: ["codebuild.amazonaws.com"],
          actions: ["ecr:PutImage"],
          accessLevels: ["Write"],
          conditions: [
            `StringEqualsIfExists aws:SourceAccount ${OWNER} (IfExists: a caller without the key passes)`,
          ],
        },
      ],
    });
  });

  it("lists an unpinned service an exception covers as exempted", () => {
    const ctx = context({
      exceptions: [
        {
          resource: REPOSITORY,
          principal: "lambda.amazonaws.com",
          owner: "serverless",
          reason: "migration",
        },
      ],
    });
    expect(ecrRepositoryUnpinnedService.evaluate(subject(lambda()), ctx)).toEqual({
      kind: "compliant",
    });
    expect(ecrRepositoryUnpinnedService.exempted(subject(lambda()), ctx)).toEqual([
      {
        ...FINDING,
        details: { ...FINDING.details, exception: { owner: "serverless", reason: "migration" } },
      },
    ]);
  });

  it("is indeterminate when the policy cannot be parsed", () => {
    expect(ecrRepositoryUnpinnedService.evaluate(subject("[]"), context())).toEqual({
      kind: "indeterminate",
      reason: "the policy could not be parsed: the policy document is not a JSON object",
      findings: [],
    });
  });
});
