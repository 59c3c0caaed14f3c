import {
  EXPIRED_VENDOR,
  OTHER_ORG,
  OUR_ORG,
  OUR_OU_PATH,
  OWNER,
  STRANGERS,
  TRUSTED,
} from "../accounts.ts";
import type { Random } from "../random.ts";

/** Where a generated repository policy lives (service principals are pinned to it). */
export interface PolicyTarget {
  readonly region: string;
  readonly repositoryName: string;
}

type Json = Record<string, unknown>;
type StatementKind = (rng: Random, target: PolicyTarget) => Json;

const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
const DESCRIBE = ["ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:ListImages"];
const PUSH = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"];
const ADMIN = [
  "ecr:SetRepositoryPolicy",
  "ecr:DeleteRepositoryPolicy",
  "ecr:BatchDeleteImage",
  "ecr:PutLifecyclePolicy",
  "ecr:GetRepositoryPolicy",
];
const PULL_WILDCARDS = [
  ["ecr:Get*", "ecr:Batch*"],
  ["ecr:BatchGetImage", "ecr:*Layer*"],
];
const ROLE_NAMES = ["ci-builder", "deployer", "AdminRole", "image-scanner", "eks/node-general"];

/** A single value as itself, several as an array (both forms occur in real documents). */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : [...values];
}

function pullActions(rng: Random): string | string[] {
  if (rng.chance(0.15)) return rng.pick(PULL_WILDCARDS);
  return oneOrMany([...rng.subset(PULL, 1, 3), ...(rng.chance(0.3) ? DESCRIBE : [])]);
}

function pushActions(rng: Random): string[] {
  return [...PULL, ...PUSH, "ecr:PutImage", ...(rng.chance(0.2) ? rng.subset(ADMIN, 1, 3) : [])];
}

/** An account written in one of the forms IAM accepts: id, root ARN, role or user ARN. */
function accountPrincipal(rng: Random, account: string): string {
  return rng.weighted([
    [3, `arn:aws:iam::${account}:root`],
    [2, account],
    [3, `arn:aws:iam::${account}:role/${rng.pick(ROLE_NAMES)}`],
    [1, `arn:aws:iam::${account}:user/release-bot`],
  ]);
}

function anyone(rng: Random): unknown {
  return rng.chance(0.6) ? "*" : { AWS: "*" };
}

const orgCondition = (rng: Random): Json =>
  rng.weighted<Json>([
    [6, { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } }],
    [2, { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_OU_PATH}*` } }],
    [2, { StringEquals: { "aws:PrincipalAccount": [...TRUSTED] } }],
    [1, { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${TRUSTED[0]}:role/*` } }],
    [1, { StringEquals: { "aws:PrincipalOrgID": [OUR_ORG, OTHER_ORG] } }],
    [1, { StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG } }],
  ]);

const KINDS = {
  orgPull: (rng) => ({
    Principal: anyone(rng),
    Action: pullActions(rng),
    Condition: orgCondition(rng),
  }),
  ciPush: (rng) => ({
    Principal: { AWS: `arn:aws:iam::${OWNER}:role/${rng.pick(ROLE_NAMES)}` },
    Action: pushActions(rng),
  }),
  trustedAccounts: (rng) => ({
    Principal: {
      AWS: oneOrMany(rng.subset([...TRUSTED, OWNER], 1, 3).map((a) => accountPrincipal(rng, a))),
    },
    Action: pullActions(rng),
  }),
  untrustedAccount: (rng) => ({
    Principal: { AWS: accountPrincipal(rng, rng.pick([...STRANGERS, EXPIRED_VENDOR])) },
    Action: rng.chance(0.7) ? pullActions(rng) : pushActions(rng),
  }),
  publicPull: (rng) => ({ Principal: anyone(rng), Action: pullActions(rng) }),
  publicAdmin: (rng) => ({ Principal: anyone(rng), Action: rng.chance(0.5) ? "ecr:*" : ADMIN }),
  servicePinned: (rng, target) => ({
    Principal: { Service: "lambda.amazonaws.com" },
    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    Condition: rng.chance(0.5)
      ? { StringLike: { "aws:sourceArn": `arn:aws:lambda:${target.region}:${OWNER}:function:*` } }
      : {
          ArnLike: {
            "aws:SourceArn": `arn:aws:codebuild:${target.region}:${OWNER}:project/build-*`,
          },
          StringEquals: { "aws:SourceAccount": OWNER },
        },
  }),
  serviceUnpinned: (rng) => ({
    Principal: { Service: rng.pick(["lambda.amazonaws.com", "codebuild.amazonaws.com"]) },
    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    ...(rng.chance(0.5)
      ? { Condition: { StringEquals: { "aws:SourceAccount": STRANGERS[0] } } }
      : {}),
  }),
  networkOnly: (rng) => ({
    Principal: anyone(rng),
    Action: pullActions(rng),
    Condition: rng.chance(0.5)
      ? { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"] } }
      : { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } },
  }),
  denyOutsideOrg: () => ({
    Effect: "Deny",
    Principal: "*",
    Action: "ecr:*",
    Condition: { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } },
  }),
  denyNotIp: () => ({
    Effect: "Deny",
    Principal: "*",
    Action: "ecr:*",
    Condition: { NotIpAddress: { "aws:SourceIp": "54.240.143.0/24" } },
  }),
  denyDeletePolicy: () => ({
    Effect: "Deny",
    Principal: "*",
    Action: ["ecr:DeleteRepositoryPolicy"],
  }),
  legacyPrincipals: (rng) => ({
    Principal: {
      AWS: rng.chance(0.5)
        ? ["AIDAZL6XWCR2NXJCMOAER", "AROAZL6XWCR2CDQ2JWDVL"]
        : "arn:aws:iam::*:role/AdminRole",
    },
    Action: pushActions(rng),
  }),
} satisfies Record<string, StatementKind>;

type Kind = keyof typeof KINDS;

/** Document profiles by how often they occur: mostly compliant, with every exposure shape. */
const PROFILES: readonly (readonly [number, readonly Kind[]])[] = [
  [20, ["orgPull"]],
  [14, ["ciPush", "orgPull"]],
  [10, ["trustedAccounts"]],
  [8, ["ciPush", "servicePinned"]],
  [4, ["serviceUnpinned"]],
  [5, ["publicPull"]],
  [2, ["publicAdmin"]],
  [6, ["untrustedAccount"]],
  [5, ["publicPull", "denyOutsideOrg"]],
  [3, ["networkOnly"]],
  [3, ["publicPull", "denyNotIp"]],
  [2, ["legacyPrincipals"]],
  [2, ["denyDeletePolicy"]],
  [8, ["ciPush", "orgPull", "trustedAccounts", "servicePinned", "denyDeletePolicy"]],
  [4, ["ciPush", "untrustedAccount", "orgPull", "networkOnly"]],
];

/**
 * One repository policy document (an object, as `JSON.parse` of `GetRepositoryPolicy`'s
 * `policyText` gives it), drawn from realistic profiles modelled on the project corpus:
 * org-conditioned wildcards, CI push roles, trusted and untrusted accounts, public pulls,
 * pinned and unpinned service principals, Deny carve-outs and legacy console documents.
 */
export function repositoryPolicy(rng: Random, target: PolicyTarget): Json {
  const kinds = rng.weighted(PROFILES);
  const statements = kinds.map((kind, index) => {
    const body = KINDS[kind](rng, target);
    const sid = rng.chance(0.8) ? { Sid: `${kind[0]?.toUpperCase()}${kind.slice(1)}${index}` } : {};
    return { ...sid, Effect: "Allow", ...body };
  });
  const legacy = rng.chance(0.25);
  return {
    Version: legacy ? "2008-10-17" : "2012-10-17",
    ...(rng.chance(0.1) ? { Id: "ECRPolicyId1" } : {}),
    Statement: statements,
  };
}
