import { OWNER, REGIONS } from "../accounts.ts";
import type { Random } from "../random.ts";

type Json = Record<string, unknown>;

/** The team names generated policies, repositories and roles are named after. */
export const TEAMS = ["payments", "search", "platform", "data", "mobile", "ml"];
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];
const PUSH = [
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
];
const READ = ["ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:ListImages"];
const OTHER_SERVICES = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "s3:GetObject",
  "s3:ListBucket",
  "ssm:GetParameter",
  "kms:Decrypt",
  "sqs:SendMessage",
  "dynamodb:GetItem",
];

function repositoryArn(rng: Random, name: string): string {
  const region = rng.chance(0.3) ? "*" : rng.pick(REGIONS);
  return `arn:aws:ecr:${region}:${OWNER}:repository/${name}`;
}

function statement(rng: Random, sid: string, body: Json): Json {
  return rng.chance(0.7) ? { Sid: sid, Effect: "Allow", ...body } : { Effect: "Allow", ...body };
}

/** Statement generators modelled on AWS documentation examples and real inline policies. */
const SHAPES: readonly (readonly [number, (rng: Random, team: string) => Json[]])[] = [
  [
    5,
    (rng, team) => [
      statement(rng, "GetAuthorizationToken", {
        Action: ["ecr:GetAuthorizationToken"],
        Resource: "*",
      }),
      statement(rng, "ManageRepositoryContents", {
        Action: [...PULL, ...READ, ...(rng.chance(0.6) ? PUSH : [])],
        Resource: repositoryArn(rng, `${team}/${rng.pick(["api", "worker", "web"])}`),
      }),
    ],
  ],
  [
    4,
    (rng, team) => [
      statement(rng, "TeamRepositories", {
        Action: rng.pick(["ecr:*", "ecr:Put*", ["ecr:Batch*", "ecr:*Layer*"], PULL]),
        Resource: repositoryArn(rng, `${team}/*`),
      }),
    ],
  ],
  [
    2,
    (rng) => [
      statement(rng, "EcrEverything", { Action: "ecr:*", Resource: "*" }),
      {
        Effect: "Deny",
        Action: "ecr:*",
        Resource: "*",
        Condition: { StringEquals: { "ecr:ResourceTag/environment": "prod" } },
      },
    ],
  ],
  [
    2,
    (rng, team) => [
      statement(rng, "AllowCreateTaggedRepository", {
        Action: ["ecr:CreateRepository", "ecr:TagResource"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestTag/team": team } },
      }),
    ],
  ],
  [
    5,
    (rng) => [
      statement(rng, "NodeLogs", {
        Action: rng.subset(OTHER_SERVICES, 2, 5),
        Resource: rng.pick(["*", `arn:aws:logs:*:${OWNER}:log-group:/eks/*`]),
      }),
      ...(rng.chance(0.3)
        ? [
            statement(rng, "BuildCache", {
              Action: rng.pick(["ecr:*", ["ecr:PutImage"]]),
              Resource: "*",
            }),
          ]
        : []),
    ],
  ],
  [
    2,
    (rng) => [
      statement(rng, "AllButIam", {
        NotAction: ["iam:*", "organizations:*", "account:*"],
        Resource: "*",
      }),
    ],
  ],
  [
    2,
    (rng, team) => [
      statement(rng, "NotProd", {
        Action: ["ecr:*"],
        NotResource: repositoryArn(rng, `prod/${team}/*`),
      }),
      {
        Effect: "Deny",
        Action: ["ecr:DeleteRepository", "ecr:BatchDeleteImage"],
        Resource: "*",
      },
    ],
  ],
  [
    2,
    (rng, team) => [
      statement(rng, "RegionalPush", {
        Action: [...PULL, ...PUSH],
        Resource: repositoryArn(rng, `${team}/*`),
        Condition: { StringEquals: { "aws:RequestedRegion": rng.subset(REGIONS, 1, 2) } },
      }),
    ],
  ],
  [
    3,
    (rng) => [
      statement(rng, "AppData", { Action: rng.subset(OTHER_SERVICES, 1, 4), Resource: "*" }),
    ],
  ],
];

/**
 * One inline or customer-managed identity policy (an object) for a team, drawn from shapes
 * modelled on AWS documentation examples and real inline policies: single-repository push and
 * pull, team prefixes with action wildcards, `ecr:*` with a tag Deny, tagged creation, node
 * extras that sometimes grant write, `NotAction`, `NotResource` and conditional grants.
 */
export function identityPolicy(rng: Random, team: string = rng.pick(TEAMS)): Json {
  const statements = rng.weighted(SHAPES)(rng, team);
  return { Version: "2012-10-17", Statement: statements };
}
