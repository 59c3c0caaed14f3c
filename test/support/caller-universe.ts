import type { EvaluationContext, TrustZone } from "../../core/trust/types.ts";
import { NOW, OTHER_ORG, OUR_ORG, OWNER, STRANGER, TRUSTED, trustZone } from "./trust-context.ts";

/**
 * The fixed universe the repository-policy properties replay against
 * `@cloud-copilot/iam-simulate`: the trust zone, the repository, the concrete callers, the
 * actions and source IPs of every request.
 *
 * Accounts: OWNER (always trusted), TRUSTED (listed), MEMBER (not listed, but in our
 * organisation, so inside the zone), STRANGER and NEIGHBOUR (no organisation), OTHER_ORG_ACCOUNT
 * and OTHER_ORG_ACCOUNT_2 (someone else's organisation).
 */

/** An account in our organisation that the zone does not list by id. */
export const MEMBER = "222233334444";
/** Two accounts in someone else's organisation. */
export const OTHER_ORG_ACCOUNT = "555566667777";
export const OTHER_ORG_ACCOUNT_2 = "555566668888";
/** An unlisted account outside any organisation, matching the pattern `44445555666?`. */
export const NEIGHBOUR = "444455556667";
/** The repository every request targets. */
export const REPOSITORY = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;

/** The trust zone of every property: the owner, one listed account and our organisation. */
export const TRUST_ZONE: TrustZone = trustZone();
export const CTX: EvaluationContext = { trust: TRUST_ZONE, now: NOW };

export interface IamCaller {
  readonly kind: "iam";
  readonly id: string;
  readonly inside: boolean;
  readonly arn: string;
  readonly account: string;
  readonly org: string | undefined;
}
export interface ServiceCaller {
  readonly kind: "service";
  readonly id: string;
  readonly inside: boolean;
  readonly service: string;
  /** The account whose resource the service acts for (`aws:SourceAccount`). */
  readonly account: string;
  readonly sourceArn: string;
  readonly org: string | undefined;
}
export type Caller = IamCaller | ServiceCaller;

const iam = (account: string, path: string, org: string | undefined, inside: boolean) =>
  ({
    kind: "iam",
    id: `${account}:${path}`,
    inside,
    arn: `arn:aws:iam::${account}:${path}`,
    account,
    org,
  }) as const;
const service = (name: string, account: string, org: string | undefined, inside: boolean) =>
  ({
    kind: "service",
    id: `${name}@${account}`,
    inside,
    service: `${name}.amazonaws.com`,
    account,
    sourceArn:
      name === "lambda"
        ? `arn:aws:lambda:us-east-1:${account}:function:app`
        : `arn:aws:codebuild:us-east-1:${account}:project/app`,
    org,
  }) as const;

/**
 * Every caller a property asks about. Inside the zone: a role in the owner account, in the
 * listed account and in an unlisted member of our organisation, and services acting for the
 * owner and the listed account. Outside: two roles and a user in a stranger account (so a Deny
 * or an `ArnNotLike` on one role leaves a witness), a role and a user in an account of another
 * organisation and a role in a second account there, a role in an account no policy names
 * (reached only by `*` or an account pattern), and both services acting for both named outside
 * accounts. No unsigned (anonymous) caller: Amazon ECR only accepts
 * signed requests, so the engine rightly does not model one.
 */
export const CALLERS: readonly Caller[] = [
  iam(OWNER, "role/app", OUR_ORG, true),
  iam(TRUSTED, "role/deploy", OUR_ORG, true),
  iam(MEMBER, "role/app", OUR_ORG, true),
  iam(STRANGER, "role/ci", undefined, false),
  iam(STRANGER, "role/build", undefined, false),
  iam(STRANGER, "user/dev", undefined, false),
  iam(OTHER_ORG_ACCOUNT, "role/x", OTHER_ORG, false),
  iam(OTHER_ORG_ACCOUNT, "user/ops", OTHER_ORG, false),
  iam(OTHER_ORG_ACCOUNT_2, "role/y", OTHER_ORG, false),
  iam(NEIGHBOUR, "role/ci", undefined, false),
  service("lambda", OWNER, OUR_ORG, true),
  service("codebuild", TRUSTED, OUR_ORG, true),
  service("lambda", STRANGER, undefined, false),
  service("codebuild", STRANGER, undefined, false),
  service("lambda", OTHER_ORG_ACCOUNT, OTHER_ORG, false),
  service("codebuild", OTHER_ORG_ACCOUNT, OTHER_ORG, false),
];

/**
 * Repository-scoped ECR actions the properties request: pull path, write, permissions
 * management, tagging and read, chosen so that every generated action pattern (`ecr:Batch*`,
 * `ecr:Get*`, `ecr:Describe*`, NotAction…) splits them differently. Registry-level actions are
 * left out: the simulator only accepts them on resource `*`.
 */
export const REQUEST_ACTIONS: readonly string[] = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchDeleteImage",
  "ecr:PutImage",
  "ecr:DescribeImages",
  "ecr:SetRepositoryPolicy",
  "ecr:TagResource",
];

/** A source IP in each range conditions name, and one in neither. */
export const SOURCE_IPS: readonly string[] = ["10.1.2.3", "203.0.113.9", "198.51.100.7"];
