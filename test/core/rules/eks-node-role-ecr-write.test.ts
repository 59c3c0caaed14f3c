import { describe, expect, it } from "vitest";
import { ecrWriteGrants } from "../../../core/identity/ecr-write-grants.ts";
import type { ManagedPolicy, Role } from "../../../core/inventory/types.ts";
import type { NodeRoleEvidence, NodeRoleSubject } from "../../../core/node-roles/types.ts";
import { ECR_WRITE_ACTION_NAMES } from "../../../core/policy/actions.ts";
import { eksNodeRoleEcrWrite } from "../../../core/rules/eks-node-role-ecr-write.ts";
import type { TrustException } from "../../../core/trust/types.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  customerPolicy,
  managedSource,
  NODE_POLICIES,
  policyMap,
  role,
} from "../../support/iam.ts";
import { context, OWNER } from "../../support/trust-context.ts";

const CLUSTER_ARN = `arn:aws:eks:us-east-1:${OWNER}:cluster/prod`;
const NODEGROUP: NodeRoleEvidence = {
  kind: "nodegroup",
  cluster: CLUSTER_ARN,
  nodegroup: "general",
};
const HEURISTIC: NodeRoleEvidence = {
  kind: "heuristic",
  trustedService: "ec2.amazonaws.com",
  policyArn: awsPolicyArn("AmazonEKSWorkerNodePolicy"),
};
const NODES_ARN = `arn:aws:iam::${OWNER}:role/eks/nodes`;
const PUSH = [
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];
const POWER_USER = "AmazonEC2ContainerRegistryPowerUser";

/** Every AWS managed policy a test attaches, as the inventory would hold them. */
const AWS_POLICIES = [
  ...NODE_POLICIES,
  POWER_USER,
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonEC2ContainerRegistryFullAccess",
  "AdministratorAccess",
].map(awsManagedPolicy);

/** A node role of the owner account (path /eks/) carrying AWS's node policies plus `extra`. */
function nodes(overrides: Partial<Role> = {}, extra: string[] = []): Role {
  return role("nodes", {
    path: "/eks/",
    attachedPolicyArns: [...NODE_POLICIES, ...extra].map(awsPolicyArn),
    ...overrides,
  });
}

function subject(
  candidate: Role,
  evidence: NodeRoleEvidence[] = [NODEGROUP],
  customer: ManagedPolicy[] = [],
): NodeRoleSubject {
  return { role: candidate, evidence, managedPolicies: policyMap(...AWS_POLICIES, ...customer) };
}

const POWER_USER_ORIGIN = {
  policy: POWER_USER,
  policyArn: awsPolicyArn(POWER_USER),
  statement: { index: 0, sid: undefined },
};

/** The finding for a node role carrying AmazonEC2ContainerRegistryPowerUser. */
const POWER_USER_FINDING = {
  rule: "eks-node-role-ecr-write",
  severity: "high",
  resource: NODES_ARN,
  message:
    'Node role nodes has Write access (ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage and 1 more) in Amazon ECR through policy "AmazonEC2ContainerRegistryPowerUser" Statement[0]; nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.',
  principals: [NODES_ARN],
  actions: PUSH,
  accessLevels: ["Write"],
  conditions: [],
  details: {
    evidence: [NODEGROUP],
    heuristic: false,
    conditional: false,
    grantedBy: [{ ...POWER_USER_ORIGIN, actions: PUSH }],
    grants: PUSH.map((action) => ({
      action,
      accessLevel: "Write",
      scope: "repository",
      resources: ["*"],
      conditional: false,
      grantedBy: [POWER_USER_ORIGIN],
      limitedBy: [],
    })),
  },
};

describe("eks-node-role-ecr-write: not applicable and compliant", () => {
  it("does not apply to a role nothing marks as a node role", () => {
    const outcome = eksNodeRoleEcrWrite.evaluate(subject(nodes({}, [POWER_USER]), []), context());
    expect(outcome).toEqual({ kind: "notApplicable" });
  });

  it.each([
    { name: "AWS's recommended node policies (PullOnly)", candidate: nodes() },
    {
      name: "the older ReadOnly ECR policy",
      candidate: role("nodes", {
        path: "/eks/",
        attachedPolicyArns: [
          "AmazonEKSWorkerNodePolicy",
          "AmazonEKS_CNI_Policy",
          "AmazonEC2ContainerRegistryReadOnly",
        ].map(awsPolicyArn),
      }),
    },
    {
      name: "AdministratorAccess under a pull-only boundary",
      candidate: nodes(
        { permissionsBoundaryArn: awsPolicyArn("AmazonEC2ContainerRegistryPullOnly") },
        ["AdministratorAccess"],
      ),
    },
    {
      name: "an inline push grant taken back by an inline Deny",
      candidate: nodes({
        inlinePolicies: [
          {
            name: "push",
            document: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
                { Effect: "Deny", Action: "ecr:PutImage", Resource: "*" },
              ],
            },
          },
        ],
      }),
    },
  ])("passes a node role with $name", ({ candidate }) => {
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "compliant",
    });
  });
});

describe("eks-node-role-ecr-write: violations", () => {
  it("flags push access with the policy, statement, evidence and grants", () => {
    const outcome = eksNodeRoleEcrWrite.evaluate(subject(nodes({}, [POWER_USER])), context());
    expect(outcome).toEqual({ kind: "violations", findings: [POWER_USER_FINDING] });
  });

  it("flags Permissions management as critical and names every granting policy", () => {
    const candidate = nodes({}, [POWER_USER, "AmazonEC2ContainerRegistryFullAccess"]);
    const full = {
      policy: "AmazonEC2ContainerRegistryFullAccess",
      policyArn: awsPolicyArn("AmazonEC2ContainerRegistryFullAccess"),
      statement: { index: 0, sid: undefined },
    };
    const grants = ecrWriteGrants([
      managedSource(POWER_USER),
      managedSource("AmazonEC2ContainerRegistryFullAccess"),
    ]);
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...POWER_USER_FINDING,
          severity: "critical",
          message: `Node role nodes has Tagging, Write and Permissions management access (ecr:BatchDeleteImage, ecr:CompleteLayerUpload, ecr:CreatePullThroughCacheRule and ${ECR_WRITE_ACTION_NAMES.length - 3} more) in Amazon ECR through policy "AmazonEC2ContainerRegistryPowerUser" Statement[0], policy "AmazonEC2ContainerRegistryFullAccess" Statement[0]; nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.`,
          actions: ECR_WRITE_ACTION_NAMES,
          accessLevels: ["Tagging", "Write", "Permissions management"],
          details: {
            ...POWER_USER_FINDING.details,
            grantedBy: [
              { ...POWER_USER_ORIGIN, actions: PUSH },
              { ...full, actions: ECR_WRITE_ACTION_NAMES },
            ],
            grants,
          },
        },
      ],
    });
  });

  it("says so when only the heuristic marks the role as a node role", () => {
    const outcome = eksNodeRoleEcrWrite.evaluate(
      subject(nodes({}, [POWER_USER]), [HEURISTIC]),
      context(),
    );
    expect(outcome).toEqual({
      kind: "violations",
      findings: [
        {
          ...POWER_USER_FINDING,
          message: POWER_USER_FINDING.message.replace(
            "Node role nodes",
            "Likely node role nodes (EC2 may assume it and it carries AmazonEKSWorkerNodePolicy)",
          ),
          details: { ...POWER_USER_FINDING.details, evidence: [HEURISTIC], heuristic: true },
        },
      ],
    });
  });

  it("counts a conditional Allow as granting and reports its conditions", () => {
    const condition = { StringEquals: { "aws:RequestTag/environment": "dev" } };
    const candidate = nodes({
      inlinePolicies: [
        {
          name: "create-dev",
          document: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "CreateDev",
                Effect: "Allow",
                Action: "ecr:CreateRepository",
                Resource: "*",
                Condition: condition,
              },
            ],
          },
        },
      ],
    });
    const origin = { policy: "create-dev", statement: { index: 0, sid: "CreateDev" } };
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...POWER_USER_FINDING,
          message:
            'Node role nodes has Write access (ecr:CreateRepository) in Amazon ECR through policy "create-dev" Statement[0] "CreateDev", when the statements\' conditions hold; nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.',
          actions: ["ecr:CreateRepository"],
          conditions: ["StringEquals aws:RequestTag/environment dev"],
          details: {
            evidence: [NODEGROUP],
            heuristic: false,
            conditional: true,
            grantedBy: [{ ...origin, actions: ["ecr:CreateRepository"] }],
            grants: [
              {
                action: "ecr:CreateRepository",
                accessLevel: "Write",
                scope: "repository",
                resources: ["*"],
                conditional: true,
                grantedBy: [origin],
                limitedBy: [],
              },
            ],
          },
        },
      ],
    });
  });

  it("flags what a permissions boundary still lets through and names the boundary", () => {
    const boundary = customerPolicy("team-push-boundary", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-*" },
        { Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" },
      ],
    });
    const candidate = nodes({ permissionsBoundaryArn: boundary.arn }, ["AdministratorAccess"]);
    const admin = {
      policy: "AdministratorAccess",
      policyArn: awsPolicyArn("AdministratorAccess"),
      statement: { index: 0, sid: undefined },
    };
    expect(
      eksNodeRoleEcrWrite.evaluate(subject(candidate, [NODEGROUP], [boundary]), context()),
    ).toEqual({
      kind: "violations",
      findings: [
        {
          ...POWER_USER_FINDING,
          message:
            'Node role nodes has Write access (ecr:PutImage) in Amazon ECR through policy "AdministratorAccess" Statement[0]; nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.',
          actions: ["ecr:PutImage"],
          details: {
            ...POWER_USER_FINDING.details,
            grantedBy: [{ ...admin, actions: ["ecr:PutImage"] }],
            grants: [
              {
                action: "ecr:PutImage",
                accessLevel: "Write",
                scope: "repository",
                resources: ["arn:aws:ecr:*:*:repository/team-*"],
                conditional: false,
                grantedBy: [admin],
                limitedBy: [],
              },
            ],
            boundary: boundary.arn,
          },
        },
      ],
    });
  });

  it("says when only some grants rest on conditions", () => {
    const candidate = nodes({
      inlinePolicies: [
        {
          name: "mixed",
          document: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
              {
                Effect: "Allow",
                Action: "ecr:TagResource",
                Resource: "*",
                Condition: { Bool: { "aws:ViaAWSService": "true" } },
              },
            ],
          },
        },
      ],
    });
    const at = (index: number) => ({ policy: "mixed", statement: { index, sid: undefined } });
    const grant = (action: string, accessLevel: string, index: number, conditional: boolean) => ({
      action,
      accessLevel,
      scope: "repository",
      resources: ["*"],
      conditional,
      grantedBy: [at(index)],
      limitedBy: [],
    });
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...POWER_USER_FINDING,
          message:
            'Node role nodes has Tagging and Write access (ecr:PutImage, ecr:TagResource) in Amazon ECR through policy "mixed" Statement[0], policy "mixed" Statement[1] (some only under conditions); nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.',
          actions: ["ecr:PutImage", "ecr:TagResource"],
          accessLevels: ["Tagging", "Write"],
          conditions: ["Bool aws:ViaAWSService true"],
          details: {
            evidence: [NODEGROUP],
            heuristic: false,
            conditional: true,
            grantedBy: [
              { ...at(0), actions: ["ecr:PutImage"] },
              { ...at(1), actions: ["ecr:TagResource"] },
            ],
            grants: [
              grant("ecr:PutImage", "Write", 0, false),
              grant("ecr:TagResource", "Tagging", 1, true),
            ],
          },
        },
      ],
    });
  });

  it("judges a role whose ARN it cannot read in the aws partition", () => {
    const odd = { ...nodes({}, [POWER_USER]), arn: NODES_ARN.replace(":role/", ":role-") };
    const outcome = eksNodeRoleEcrWrite.evaluate(subject(odd), context());
    expect(outcome).toEqual({
      kind: "violations",
      findings: [{ ...POWER_USER_FINDING, resource: odd.arn, principals: [odd.arn] }],
    });
  });

  it("judges repositories in the role's own partition", () => {
    const china = role("cn-nodes", {
      arn: `arn:aws-cn:iam::${OWNER}:role/cn-nodes`,
      attachedPolicyArns: [],
      inlinePolicies: [
        {
          name: "push",
          document: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "ecr:PutImage",
                Resource: "arn:aws-cn:ecr:*:*:repository/*",
              },
            ],
          },
        },
      ],
    });
    const outcome = eksNodeRoleEcrWrite.evaluate(subject(china), context());
    expect(outcome.kind === "violations" && outcome.findings.map((f) => f.actions)).toEqual([
      ["ecr:PutImage"],
    ]);
  });
});

describe("eks-node-role-ecr-write: indeterminate", () => {
  it("fails closed on an attached policy missing from the inventory", () => {
    const missing = `arn:aws:iam::${OWNER}:policy/gone`;
    const candidate = nodes({ attachedPolicyArns: [missing] });
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "indeterminate",
      reason: `the role's policies cannot all be read (${missing} is missing from the inventory)`,
      findings: [
        {
          rule: "eks-node-role-ecr-write",
          severity: "high",
          resource: NODES_ARN,
          message: `Node role nodes cannot be judged: the document of its managed policy ${missing} is missing from the inventory; include the policy's default version and scan again.`,
          principals: [NODES_ARN],
          actions: [],
          accessLevels: [],
          conditions: [],
          details: { code: "policy-missing", policyArn: missing, evidence: [NODEGROUP] },
        },
      ],
    });
  });

  it("fails closed on a missing boundary but still reports the write it could read", () => {
    const missing = `arn:aws:iam::${OWNER}:policy/boundary`;
    const candidate = nodes({ permissionsBoundaryArn: missing }, [POWER_USER]);
    const outcome = eksNodeRoleEcrWrite.evaluate(subject(candidate), context());
    expect(outcome).toEqual({
      kind: "indeterminate",
      reason: `the role's policies cannot all be read (${missing} is missing from the inventory)`,
      findings: [
        {
          rule: "eks-node-role-ecr-write",
          severity: "high",
          resource: NODES_ARN,
          message: `Node role nodes cannot be judged: the document of its permissions boundary ${missing} is missing from the inventory; include the policy's default version and scan again.`,
          principals: [NODES_ARN],
          actions: [],
          accessLevels: [],
          conditions: [],
          details: { code: "policy-missing", policyArn: missing, evidence: [NODEGROUP] },
        },
        POWER_USER_FINDING,
      ],
    });
  });

  it("fails closed on a malformed inline policy with a policy-unparseable finding", () => {
    const candidate = nodes({
      inlinePolicies: [
        {
          name: "broken",
          document: {
            Version: "2012-10-17",
            Statement: [{ Sid: "Push", Effect: "Allow", Action: "ecr:PutImage", Resource: 7 }],
          },
        },
      ],
    });
    expect(eksNodeRoleEcrWrite.evaluate(subject(candidate), context())).toEqual({
      kind: "indeterminate",
      reason: `the role's policies cannot all be read ("broken" could not be fully parsed)`,
      findings: [
        {
          rule: "policy-unparseable",
          severity: "high",
          resource: NODES_ARN,
          message:
            'Policy "broken" of node role nodes: expected a string or a list of strings (at $.Statement[0].Resource); the role\'s ECR access cannot be judged until this is fixed.',
          statement: { index: 0, sid: "Push" },
          path: "$.Statement[0].Resource",
          principals: [],
          actions: [],
          accessLevels: [],
          conditions: [],
          details: { code: "invalid-resource", policy: "broken", policyKind: "inline" },
        },
      ],
    });
  });

  it.each([
    { name: "a statement that is not an object", statements: ["oops"], sid: undefined },
    {
      name: "a single statement with an invalid Effect",
      statements: { Sid: "Only", Effect: "Permit", Action: "ecr:*", Resource: "*" },
      sid: "Only",
    },
    {
      name: "a statement whose Sid is not a string",
      statements: [{ Sid: 7, Effect: "Allow", Action: "ecr:*", Resource: "*" }],
      sid: undefined,
    },
  ])("fails closed on a boundary with $name, citing the statement", ({ statements, sid }) => {
    const limit = customerPolicy("limit", { Version: "2012-10-17", Statement: statements });
    const candidate = nodes({ permissionsBoundaryArn: limit.arn });
    const outcome = eksNodeRoleEcrWrite.evaluate(
      subject(candidate, [NODEGROUP], [limit]),
      context(),
    );
    expect(outcome).toMatchObject({
      kind: "indeterminate",
      reason: `the role's policies cannot all be read ("limit" could not be fully parsed)`,
    });
    const findings = outcome.kind === "indeterminate" ? outcome.findings : [];
    expect(findings.map((f) => [f.rule, f.statement, f.details?.policyKind])).toEqual([
      ["policy-unparseable", { index: 0, sid }, "boundary"],
    ]);
  });

  it("fails closed on a managed policy that is not JSON, naming the policy", () => {
    const garbled = customerPolicy("garbled", "{not json");
    const candidate = nodes({ attachedPolicyArns: [garbled.arn] });
    const outcome = eksNodeRoleEcrWrite.evaluate(
      subject(candidate, [NODEGROUP], [garbled]),
      context(),
    );
    expect(outcome).toEqual({
      kind: "indeterminate",
      reason: `the role's policies cannot all be read ("garbled" could not be fully parsed)`,
      findings: [
        {
          rule: "policy-unparseable",
          severity: "high",
          resource: NODES_ARN,
          message: expect.stringMatching(
            /^Policy "garbled" of node role nodes: the policy is not valid JSON \(.+\) \(at \$\); the role's ECR access cannot be judged until this is fixed\.$/,
          ),
          path: "$",
          principals: [],
          actions: [],
          accessLevels: [],
          conditions: [],
          details: {
            code: "not-json",
            policy: "garbled",
            policyArn: garbled.arn,
            policyKind: "managed",
          },
        },
      ],
    });
  });
});

describe("eks-node-role-ecr-write: approved exceptions", () => {
  const exception: TrustException = {
    resource: NODES_ARN,
    role: NODES_ARN,
    owner: "platform-team",
    reason: "legacy build nodes push cache images until the CI migration",
    expires: "2026-12-31",
  };
  const pushing = subject(nodes({}, [POWER_USER]));
  const exempted = {
    ...POWER_USER_FINDING,
    details: {
      ...POWER_USER_FINDING.details,
      exception: { owner: exception.owner, reason: exception.reason, expires: exception.expires },
    },
  };

  it("moves an excepted role's finding out of the outcome and reports it as exempted", () => {
    const ctx = context({ exceptions: [exception] });
    expect(eksNodeRoleEcrWrite.evaluate(pushing, ctx)).toEqual({ kind: "compliant" });
    expect(eksNodeRoleEcrWrite.exempted(pushing, ctx)).toEqual([exempted]);
  });

  it("flags the role again once the exception has expired", () => {
    const ctx = context({ exceptions: [{ ...exception, expires: "2026-01-31" }] });
    expect(eksNodeRoleEcrWrite.evaluate(pushing, ctx)).toEqual({
      kind: "violations",
      findings: [POWER_USER_FINDING],
    });
    expect(eksNodeRoleEcrWrite.exempted(pushing, ctx)).toEqual([]);
  });

  it("does not cover what it cannot read: gaps stay indeterminate", () => {
    const missing = `arn:aws:iam::${OWNER}:policy/gone`;
    const candidate = subject(nodes({ attachedPolicyArns: [missing, awsPolicyArn(POWER_USER)] }));
    const ctx = context({ exceptions: [exception] });
    const outcome = eksNodeRoleEcrWrite.evaluate(candidate, ctx);
    expect(
      outcome.kind === "indeterminate" && outcome.findings.map((f) => f.details?.code),
    ).toEqual(["policy-missing"]);
    expect(eksNodeRoleEcrWrite.exempted(candidate, ctx)).toEqual([exempted]);
  });
});
