import { describe, expect, it } from "vitest";
import { ecrTemplateUntrustedPrincipal } from "../../../core/rules/ecr-template-untrusted-principal.ts";
import { context, OUR_ORG } from "../../support/trust-context.ts";
import { PUBLIC_PULL, subject, TEMPLATE } from "./subjects.ts";

describe("ecr-template-untrusted-principal", () => {
  it("does not apply to a template without a repository policy", () => {
    expect(ecrTemplateUntrustedPrincipal.evaluate(subject(undefined, TEMPLATE), context())).toEqual(
      {
        kind: "notApplicable",
      },
    );
  });

  it("passes a template whose policy is confined to our organisation", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "ecr:BatchGetImage",
          Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
        },
      ],
    };
    expect(ecrTemplateUntrustedPrincipal.evaluate(subject(document, TEMPLATE), context())).toEqual({
      kind: "compliant",
    });
  });

  it("flags a template that would make every new repository public", () => {
    expect(
      ecrTemplateUntrustedPrincipal.evaluate(subject(PUBLIC_PULL, TEMPLATE), context()),
    ).toEqual({
      kind: "violations",
      findings: [
        {
          rule: "ecr-template-untrusted-principal",
          severity: "critical",
          resource: TEMPLATE,
          message:
            'Creation template policy Statement[0] "allow public pull" will give anyone Read access (ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) on every repository created from this template; remove the grant or confine it to the trust zone.',
          statement: { index: 0, sid: "allow public pull" },
          path: "$.Statement[0]",
          principals: ["*"],
          actions: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
          ],
          accessLevels: ["Read"],
          conditions: [],
          details: { audience: "public", accounts: [], organizations: [] },
        },
      ],
    });
  });

  it("is indeterminate when the template's policy cannot be parsed", () => {
    expect(
      ecrTemplateUntrustedPrincipal.evaluate(subject("%7Bbroken", TEMPLATE), context()),
    ).toMatchObject({
      kind: "indeterminate",
      findings: [],
    });
  });

  it("lists nothing as exempted without an approved exception", () => {
    expect(
      ecrTemplateUntrustedPrincipal.exempted(subject(PUBLIC_PULL, TEMPLATE), context()),
    ).toEqual([]);
  });
});
