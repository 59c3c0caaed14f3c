import { OWNER } from "../accounts.ts";
import type { NamedDocument } from "../fixture-policies.ts";
import type { Random } from "../random.ts";
import { awsId, isoDate } from "./aws-values.ts";
import { identityPolicy, TEAMS } from "./identity-policy.ts";
import { ROLE_PROFILES, type RoleProfile } from "./role-profiles.ts";

type Json = Record<string, unknown>;

/** What the regional generator needs to know about the generated roles. */
export interface GeneratedIam {
  /** The output of `aws iam get-account-authorization-details`. */
  readonly iam: Json;
  /** Roles meant for EKS nodes (node groups, Karpenter, Auto Mode). */
  readonly nodeRoleArns: readonly string[];
  /** Roles people assume (named in STANDARD access entries). */
  readonly humanRoleArns: readonly string[];
}

function managedDetail(rng: Random, name: string, arn: string, versions: readonly Json[]): Json {
  const path = arn.includes(":aws:policy/") ? "/" : `/${name.split("-")[0]}/`;
  return {
    PolicyName: name,
    PolicyId: awsId(rng, "ANPA"),
    Arn: arn,
    Path: path,
    DefaultVersionId: `v${versions.length}`,
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: isoDate(rng),
    UpdateDate: isoDate(rng),
    PolicyVersionList: versions.map((document, index) => ({
      Document: document,
      VersionId: `v${index + 1}`,
      IsDefaultVersion: index === versions.length - 1,
      CreateDate: isoDate(rng),
    })),
  };
}

function awsManagedArn(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}

function customerPolicies(rng: Random, count: number): Json[] {
  return Array.from({ length: count }, (_, index) => {
    const team = rng.pick(TEAMS);
    const name = `${team}-app-${index}`;
    const versions = Array.from({ length: rng.int(1, 3) }, () => identityPolicy(rng, team));
    return managedDetail(rng, name, `arn:aws:iam::${OWNER}:policy/${team}/${name}`, versions);
  });
}

/**
 * Customer policies node roles carry, like the sample account's `eks-node-extras`: log
 * shipping, and in one of ten a build cache that grants `ecr:*` (a node role with ECR write).
 */
function nodeExtras(rng: Random): Json[] {
  return Array.from({ length: 10 }, (_, index) => {
    const name = `eks-node-extras-${index}`;
    const logs = {
      Sid: "NodeLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `arn:aws:logs:*:${OWNER}:log-group:/eks/*`,
    };
    const cache = { Sid: "BuildCache", Effect: "Allow", Action: "ecr:*", Resource: "*" };
    const document = { Version: "2012-10-17", Statement: index === 0 ? [logs, cache] : [logs] };
    return managedDetail(rng, name, `arn:aws:iam::${OWNER}:policy/eks/${name}`, [document]);
  });
}

function roleDetail(
  rng: Random,
  profile: RoleProfile,
  index: number,
  pools: Readonly<Record<RoleProfile["pool"], readonly Json[]>>,
): Json {
  const team = rng.pick(TEAMS);
  const name = `${profile.prefix}-${team}-${index}`;
  const path = profile.kind === "node" ? "/eks/" : "/";
  const awsNames = [...profile.aws, ...(profile.oneOf ? [rng.weighted(profile.oneOf)] : [])];
  const chosen = rng.subset(pools[profile.pool], profile.customer[0], profile.customer[1]);
  const attached = [
    ...awsNames.map((policy) => ({ PolicyName: policy, PolicyArn: awsManagedArn(policy) })),
    ...chosen.map((policy) => ({ PolicyName: policy.PolicyName, PolicyArn: policy.Arn })),
  ];
  const inline = Array.from({ length: rng.int(profile.inline[0], profile.inline[1]) }, (_, n) => ({
    PolicyName: `${name}-inline-${n}`,
    PolicyDocument: identityPolicy(rng, team),
  }));
  return {
    Path: path,
    RoleName: name,
    RoleId: awsId(rng, "AROA"),
    Arn: `arn:aws:iam::${OWNER}:role${path}${name}`,
    CreateDate: isoDate(rng),
    AssumeRolePolicyDocument: profile.trust(rng),
    InstanceProfileList: [],
    RolePolicyList: inline,
    AttachedManagedPolicies: attached,
    ...(rng.chance(0.1)
      ? {
          PermissionsBoundary: {
            PermissionsBoundaryType: "Policy",
            PermissionsBoundaryArn: awsManagedArn("PowerUserAccess"),
          },
        }
      : {}),
    Tags: [{ Key: "team", Value: team }],
    RoleLastUsed: {},
  };
}

/**
 * `get-account-authorization-details` output with `roleCount` roles (EKS nodes, Lambda, ECS
 * tasks, CI via GitHub OIDC, people, plain EC2), each attached to real AWS managed policies
 * from `managed` and to generated customer-managed policies (one per four roles, with older
 * non-default versions), some with inline policies and a permissions boundary. About one node
 * role in five can write to ECR (AWS's PowerUser policy or a build-cache extra).
 */
export function generateIam(
  rng: Random,
  roleCount: number,
  managed: readonly NamedDocument[],
): GeneratedIam {
  const byName = new Map(managed.map((entry) => [entry.name, entry.document]));
  const pools = {
    team: customerPolicies(rng, Math.max(1, Math.ceil(roleCount / 4))),
    node: nodeExtras(rng),
  };
  const nodeRoleArns: string[] = [];
  const humanRoleArns: string[] = [];
  const roles = Array.from({ length: roleCount }, (_, index) => {
    const profile = rng.weighted(ROLE_PROFILES);
    const role = roleDetail(rng, profile, index, pools);
    if (profile.kind === "node") nodeRoleArns.push(role.Arn as string);
    if (profile.kind === "human") humanRoleArns.push(role.Arn as string);
    return role;
  });
  const awsPolicies = [
    ...new Set(ROLE_PROFILES.flatMap(([, p]) => [...p.aws, ...(p.oneOf ?? []).map(([, n]) => n)])),
  ]
    .sort()
    .map((name) => {
      const document = byName.get(name);
      if (document === undefined) throw new Error(`fixture policy ${name}.json is missing`);
      return managedDetail(rng, name, awsManagedArn(name), [document]);
    });
  return {
    iam: {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: roles,
      Policies: [...pools.team, ...pools.node, ...awsPolicies],
      IsTruncated: false,
    },
    nodeRoleArns,
    humanRoleArns,
  };
}
