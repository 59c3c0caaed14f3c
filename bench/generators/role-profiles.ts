import { OWNER } from "../accounts.ts";
import type { Random } from "../random.ts";
import { TEAMS } from "./identity-policy.ts";

type Json = Record<string, unknown>;

/** A kind of role: how it is trusted and which policies it tends to carry. */
export interface RoleProfile {
  readonly kind: "node" | "human" | "workload";
  readonly prefix: string;
  readonly trust: (rng: Random) => Json;
  /** AWS managed policy names: always attached, then one drawn from `oneOf` when given. */
  readonly aws: readonly string[];
  readonly oneOf?: readonly (readonly [number, string])[];
  /** How many customer-managed policies to attach (min, max), drawn from `pool`. */
  readonly customer: readonly [number, number];
  /** The team policies shared by workloads, or the node extras (mostly clean, as in practice). */
  readonly pool: "team" | "node";
  /** How many generated inline policies (min, max). */
  readonly inline: readonly [number, number];
}

const assume = (principal: Json, extra: Json = {}): Json => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra }],
});

/** Role kinds by how often they occur in an account. */
export const ROLE_PROFILES: readonly (readonly [number, RoleProfile])[] = [
  [
    10,
    {
      kind: "node",
      prefix: "eks-node",
      trust: () => assume({ Service: "ec2.amazonaws.com" }),
      aws: ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"],
      oneOf: [
        [6, "AmazonEC2ContainerRegistryPullOnly"],
        [3, "AmazonEC2ContainerRegistryReadOnly"],
        [1, "AmazonEC2ContainerRegistryPowerUser"],
      ],
      customer: [0, 1],
      pool: "node",
      inline: [0, 0],
    },
  ],
  [
    35,
    {
      kind: "workload",
      prefix: "lambda",
      trust: () => assume({ Service: "lambda.amazonaws.com" }),
      aws: [],
      customer: [1, 3],
      pool: "team",
      inline: [0, 2],
    },
  ],
  [
    20,
    {
      kind: "workload",
      prefix: "ecs-task",
      trust: () => assume({ Service: "ecs-tasks.amazonaws.com" }),
      aws: ["AmazonECSTaskExecutionRolePolicy"],
      customer: [0, 2],
      pool: "team",
      inline: [0, 1],
    },
  ],
  [
    10,
    {
      kind: "workload",
      prefix: "ci",
      trust: (rng) => ({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: {
              Federated: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com`,
            },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringLike: {
                "token.actions.githubusercontent.com:sub": `repo:acme/${rng.pick(TEAMS)}-*:*`,
              },
            },
          },
        ],
      }),
      aws: [],
      oneOf: [
        [3, "AmazonEC2ContainerRegistryPowerUser"],
        [1, "AWSCodeBuildAdminAccess"],
      ],
      customer: [1, 2],
      pool: "team",
      inline: [0, 1],
    },
  ],
  [
    15,
    {
      kind: "human",
      prefix: "sso",
      trust: () =>
        assume(
          { AWS: `arn:aws:iam::${OWNER}:root` },
          { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
        ),
      aws: [],
      oneOf: [
        [2, "AdministratorAccess"],
        [3, "PowerUserAccess"],
        [3, "ReadOnlyAccess"],
        [3, "ViewOnlyAccess"],
        [2, "SecurityAudit"],
        [1, "AmazonSageMakerFullAccess"],
      ],
      customer: [0, 1],
      pool: "team",
      inline: [0, 1],
    },
  ],
  [
    10,
    {
      kind: "workload",
      prefix: "ec2",
      trust: () => assume({ Service: "ec2.amazonaws.com" }),
      aws: ["AmazonSSMManagedInstanceCore"],
      oneOf: [
        [3, "AmazonEC2ContainerServiceforEC2Role"],
        [1, "EC2InstanceProfileForImageBuilderECRContainerBuilds"],
        [1, "AWSAppRunnerServicePolicyForECRAccess"],
      ],
      customer: [0, 2],
      pool: "team",
      inline: [0, 1],
    },
  ],
];
