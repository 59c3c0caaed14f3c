/**
 * The Slack secret setting (`ECR_GUARD_SLACK_SECRET`), checked at deploy time so a secret the
 * functions could never read stops the deployment instead of every Slack alert at run time.
 */

/**
 * A complete Secrets Manager secret ARN ends in `-` and the six characters Secrets Manager adds to
 * the name; an IAM grant on a partial ARN (without them) matches no secret.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
 */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:([\w/+=.@-]+)$/;
const SECRET_SUFFIX = /-[A-Za-z0-9]{6}$/;
const PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):\d{12}:parameter\/[\w/.-]+$/;
const PARAMETER_NAME = /^\/[\w/.-]+$/;

/** What is wrong with the Slack secret setting, if anything; never echoes the value itself. */
export function slackSecretProblems(secret: string, homeRegion: string): string[] {
  if (PARAMETER_NAME.test(secret)) return [];
  const region = SECRET_ARN.exec(secret)?.[1] ?? PARAMETER_ARN.exec(secret)?.[1];
  if (region === undefined)
    return [
      "ECR_GUARD_SLACK_SECRET: expected a complete Secrets Manager secret ARN, an SSM parameter ARN or an SSM parameter name (/path)",
    ];
  const problems: string[] = [];
  if (region !== homeRegion)
    problems.push(
      `ECR_GUARD_SLACK_SECRET: the ARN is in ${region}, but the functions run in the home region ${homeRegion}: keep the secret there`,
    );
  const name = SECRET_ARN.exec(secret)?.[2];
  if (name !== undefined && !SECRET_SUFFIX.test(name))
    problems.push(
      "ECR_GUARD_SLACK_SECRET: a partial Secrets Manager ARN: give the complete ARN, ending in the six characters Secrets Manager adds to the name (…:secret:name-AbCdEf)",
    );
  return problems;
}
