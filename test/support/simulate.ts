import { runSimulation } from "@cloud-copilot/iam-simulate";
import { OWNER } from "./trust-context.ts";

/** The repository every simulated request targets. */
export const SIMULATED_REPOSITORY = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;

export interface SimulatedCaller {
  readonly arn: string;
  readonly account: string;
  readonly org: string | undefined;
}

/**
 * True when `@cloud-copilot/iam-simulate` (test oracle only: AGPL) allows the caller the action
 * on {@link SIMULATED_REPOSITORY} under the given repository policy (undefined: none). The
 * caller's own identity policy allows `ecr:*`, so the resource policy decides cross-account
 * requests.
 */
export async function isAllowedBySimulator(
  resourcePolicy: unknown,
  caller: SimulatedCaller,
  action: string,
  sourceIp: string,
): Promise<boolean> {
  const contextVariables: Record<string, string> = {
    "aws:PrincipalAccount": caller.account,
    "aws:PrincipalArn": caller.arn,
    "aws:PrincipalIsAWSService": "false",
    "aws:SourceIp": sourceIp,
    ...(caller.org === undefined ? {} : { "aws:PrincipalOrgID": caller.org }),
  };
  const result = await runSimulation(
    {
      request: {
        principal: caller.arn,
        action,
        resource: { resource: SIMULATED_REPOSITORY, accountId: OWNER },
        contextVariables,
      },
      identityPolicies: [
        {
          name: "ecr-all",
          policy: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "ecr:*", Resource: "*" }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy as never,
    },
    {},
  );
  if (!("overallResult" in result)) {
    throw new Error(`simulation failed: ${JSON.stringify(result).slice(0, 500)}`);
  }
  return result.overallResult === "Allowed";
}
