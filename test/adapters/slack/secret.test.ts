import "aws-sdk-client-mock-vitest/extend";
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  parseSlackSecret,
  SlackSecretError,
  SlackSecretReader,
  type SlackSecretSource,
} from "../../../adapters/slack/secret.ts";
import { AdapterError } from "../../../core/index.ts";

const TOKEN = "xoxb-1111-2222-SECRETTOKEN";
const WEBHOOK = "https://hooks.slack.com/services/T000/B000/SECRETWEBHOOK";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-guard/slack-AbCdEf";
const PARAMETER = "/ecr-guard/slack";
const LOCATION = "SSM parameter /ecr-guard/slack";

const secrets = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

afterEach(() => {
  secrets.reset();
  ssm.reset();
});

function reader(secret: SlackSecretSource, clock = { ms: 0 }) {
  return new SlackSecretReader({
    secret,
    secretsManager: async () => new SecretsManagerClient({ region: "eu-west-1" }),
    ssm: async () => new SSMClient({ region: "eu-west-1" }),
    maxAgeMs: 60_000,
    now: () => clock.ms,
  });
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("parseSlackSecret", () => {
  it("reads a bot token", () => {
    expect(parseSlackSecret(JSON.stringify({ botToken: TOKEN }), LOCATION)).toEqual({
      kind: "bot-token",
      token: TOKEN,
    });
  });

  it("reads an incoming-webhook URL", () => {
    expect(parseSlackSecret(JSON.stringify({ webhookUrl: WEBHOOK }), LOCATION)).toEqual({
      kind: "webhook",
      url: WEBHOOK,
    });
  });

  it.each([
    { name: "text that is not JSON", text: TOKEN, problem: "not valid JSON" },
    { name: "a JSON string", text: JSON.stringify(TOKEN), problem: "expected a JSON object" },
    {
      name: "an object with neither key",
      text: JSON.stringify({ token: TOKEN }),
      problem: 'expected "botToken" or "webhookUrl"',
    },
    {
      name: "both keys",
      text: JSON.stringify({ botToken: TOKEN, webhookUrl: WEBHOOK }),
      problem: "holds both",
    },
    {
      name: "a user token as botToken",
      text: JSON.stringify({ botToken: "xoxp-SECRETTOKEN" }),
      problem: '"botToken" is not a bot token',
    },
    {
      name: "another host as webhookUrl",
      text: JSON.stringify({ webhookUrl: "https://example.com/SECRETWEBHOOK" }),
      problem: '"webhookUrl" is not a https://hooks.slack.com/ URL',
    },
  ])("names the problem of $name without quoting the value", ({ text, problem }) => {
    const error = thrown(() => parseSlackSecret(text, LOCATION));
    expect(error).toBeInstanceOf(SlackSecretError);
    const message = (error as Error).message;
    expect(message).toContain(`Slack credential in ${LOCATION}: `);
    expect(message).toContain(problem);
    expect(message).not.toContain("SECRET");
    expect((error as Error).cause).toBeUndefined();
  });
});

describe("SlackSecretReader", () => {
  it("reads a Secrets Manager secret once, then from its cache while fresh", async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ botToken: TOKEN }) });
    const clock = { ms: 0 };
    const credentials = reader({ source: "secrets-manager", secretId: SECRET_ARN }, clock);
    expect(await credentials.transport()).toEqual({ kind: "bot-token", token: TOKEN });
    clock.ms = 59_999;
    await credentials.transport();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    clock.ms = 60_000;
    await credentials.transport();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it("reads an SSM SecureString with decryption", async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Type: "SecureString", Value: JSON.stringify({ webhookUrl: WEBHOOK }) },
    });
    const credentials = reader({ source: "ssm", parameterName: PARAMETER });
    expect(await credentials.transport()).toEqual({ kind: "webhook", url: WEBHOOK });
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: PARAMETER,
      WithDecryption: true,
    });
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it("refuses a plain String parameter: the credential must be encrypted at rest", async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Type: "String", Value: JSON.stringify({ webhookUrl: WEBHOOK }) },
    });
    await expect(reader({ source: "ssm", parameterName: PARAMETER }).transport()).rejects.toThrow(
      `Slack credential in ${LOCATION}: is not a SecureString parameter`,
    );
  });

  it("refuses a binary secret without a SecretString", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    const credentials = reader({ source: "secrets-manager", secretId: SECRET_ARN });
    await expect(credentials.transport()).rejects.toBeInstanceOf(SlackSecretError);
  });

  it("wraps a failed read in an AdapterError naming the secret, and caches no failure", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: "not found", $metadata: {} }))
      .resolves({ SecretString: JSON.stringify({ botToken: TOKEN }) });
    const credentials = reader({ source: "secrets-manager", secretId: SECRET_ARN });
    const failure = await credentials.transport().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdapterError);
    expect(failure).toMatchObject({
      operation: "Secrets Manager GetSecretValue",
      resource: `Secrets Manager secret ${SECRET_ARN}`,
    });
    expect(await credentials.transport()).toEqual({ kind: "bot-token", token: TOKEN });
  });
});
