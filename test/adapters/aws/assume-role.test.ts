import "aws-sdk-client-mock-vitest/extend";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { assumeRole, callerAccountId, roleArnOf } from "../../../adapters/aws/assume-role.ts";
import { AdapterError } from "../../../core/index.ts";

const sts = mockClient(STSClient);
const client = new STSClient({ region: "us-east-1" });
const target = { accountId: "222222222222", roleName: "audit/ecr-guard-reader", partition: "aws" };
const roleArn = "arn:aws:iam::222222222222:role/audit/ecr-guard-reader";
const expiration = new Date("2026-11-27T01:00:00Z");

afterEach(() => sts.reset());

describe("assumeRole", () => {
  it("assumes the named role in the account with session name ecr-guard", async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIAEXAMPLE",
        SecretAccessKey: "secret",
        SessionToken: "token",
        Expiration: expiration,
      },
    });

    await expect(assumeRole(client, target)).resolves.toEqual({
      ok: true,
      accountId: "222222222222",
      credentials: {
        accessKeyId: "ASIAEXAMPLE",
        secretAccessKey: "secret",
        sessionToken: "token",
        expiration,
      },
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: roleArn,
      RoleSessionName: "ecr-guard",
    });
  });

  it("reports a refusal as a value naming the role, without throwing", async () => {
    const denied = Object.assign(new Error("not authorized to perform sts:AssumeRole"), {
      name: "AccessDenied",
    });
    sts.on(AssumeRoleCommand).rejects(denied);

    const result = await assumeRole(client, target);
    expect(result).toMatchObject({ ok: false, accountId: "222222222222" });
    if (result.ok) throw new Error("expected a failure");
    expect(result.error).toBeInstanceOf(AdapterError);
    expect(result.error.message).toBe(`STS AssumeRole failed for ${roleArn}: AccessDenied`);
    expect(result.error.cause).toBe(denied);
  });

  it("reports a response without credentials as a failure", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: undefined });

    await expect(assumeRole(client, target)).resolves.toMatchObject({
      ok: false,
      error: { resource: roleArn },
    });
  });
});

describe("roleArnOf", () => {
  it("builds the role ARN in the organisation's partition", () => {
    expect(roleArnOf({ accountId: "222222222222", roleName: "r", partition: "aws-cn" })).toBe(
      "arn:aws-cn:iam::222222222222:role/r",
    );
  });
});

describe("callerAccountId", () => {
  it("names the account the credentials belong to", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333" });
    await expect(callerAccountId(client)).resolves.toBe("111122223333");
    expect(sts).toHaveReceivedCommandWith(GetCallerIdentityCommand, {});
  });

  it("fails with an AdapterError when the credentials are missing or refused", async () => {
    const missing = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    sts.on(GetCallerIdentityCommand).rejects(missing);

    await expect(callerAccountId(client)).rejects.toMatchObject({
      name: "AdapterError",
      message:
        "STS GetCallerIdentity failed for the caller's credentials: CredentialsProviderError",
      cause: missing,
    });
  });

  it("fails when the response names no account", async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    await expect(callerAccountId(client)).rejects.toThrow(AdapterError);
  });
});
