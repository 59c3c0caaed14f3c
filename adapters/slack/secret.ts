/**
 * Reads the Slack credential (a bot token or an incoming-webhook URL) from Secrets Manager or an
 * SSM SecureString parameter, and keeps it for warm invocations. The value is never logged nor
 * put in an error: errors name the secret's location and what is wrong with its shape.
 *
 * The clients are asked for on first read only, and only the one the secret's location needs. The
 * command classes are imported by name, not with `import()`: a dynamic import keeps a package's
 * whole namespace (every SSM command) in a bundle built without code splitting.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
 */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { EcrGuardError } from "../../core/index.ts";
import { request } from "../aws/calls.ts";
import type { SlackTransport } from "./deliver.ts";

/** Where the secret is kept (the shape of `GuardrailConfig.slack.secret`). */
export type SlackSecretSource =
  | { readonly source: "secrets-manager"; readonly secretId: string }
  | { readonly source: "ssm"; readonly parameterName: string };

/** The Slack secret exists but does not hold what is expected. Never quotes the value. */
export class SlackSecretError extends EcrGuardError {
  override readonly name: string = "SlackSecretError";

  constructor(location: string, problem: string) {
    super(`Slack credential in ${location}: ${problem}`);
  }
}

const WEBHOOK_PREFIX = "https://hooks.slack.com/";
const BOT_TOKEN_PREFIX = "xoxb-";

/**
 * Reads the transport out of the secret's text: JSON `{"botToken":"xoxb-…"}` or
 * `{"webhookUrl":"https://hooks.slack.com/…"}`, exactly one of the two.
 * @throws SlackSecretError naming the problem, never the value (JSON.parse's own message may
 *   quote the text, so it is not passed on).
 */
export function parseSlackSecret(text: string, location: string): SlackTransport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SlackSecretError(location, "not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new SlackSecretError(location, 'expected a JSON object with "botToken" or "webhookUrl"');
  const { botToken, webhookUrl } = json as { botToken?: unknown; webhookUrl?: unknown };
  if (botToken !== undefined && webhookUrl !== undefined)
    throw new SlackSecretError(location, 'holds both "botToken" and "webhookUrl"; keep one');
  if (botToken !== undefined) {
    if (typeof botToken !== "string" || !botToken.startsWith(BOT_TOKEN_PREFIX))
      throw new SlackSecretError(location, `"botToken" is not a bot token (${BOT_TOKEN_PREFIX}…)`);
    return { kind: "bot-token", token: botToken };
  }
  if (webhookUrl !== undefined) {
    if (typeof webhookUrl !== "string" || !webhookUrl.startsWith(WEBHOOK_PREFIX))
      throw new SlackSecretError(location, `"webhookUrl" is not a ${WEBHOOK_PREFIX} URL`);
    return { kind: "webhook", url: webhookUrl };
  }
  throw new SlackSecretError(location, 'expected "botToken" or "webhookUrl"');
}

/** The clients and cache lifetime of a {@link SlackSecretReader}. */
export interface SlackSecretReaderOptions {
  readonly secret: SlackSecretSource;
  /** Built on first use only when the secret is in Secrets Manager. */
  readonly secretsManager: () => Promise<SecretsManagerClient>;
  /** Built on first use only when the secret is in SSM. */
  readonly ssm: () => Promise<SSMClient>;
  /** How long a read value is reused, so a rotated token is picked up; 15 minutes unless given. */
  readonly maxAgeMs?: number;
  /** Milliseconds since some origin (e.g. `Date.now`). */
  readonly now: () => number;
}

/** Reads the secret on first use, then again only once the cached value is older than `maxAgeMs`. */
export class SlackSecretReader {
  private cached: { readonly transport: SlackTransport; readonly readAt: number } | undefined;

  constructor(private readonly options: SlackSecretReaderOptions) {}

  async transport(): Promise<SlackTransport> {
    const now = this.options.now();
    const maxAge = this.options.maxAgeMs ?? 15 * 60 * 1000;
    if (this.cached !== undefined && now - this.cached.readAt < maxAge)
      return this.cached.transport;
    const transport = parseSlackSecret(await this.read(), this.location());
    this.cached = { transport, readAt: now };
    return transport;
  }

  private read(): Promise<string> {
    const secret = this.options.secret;
    return secret.source === "secrets-manager"
      ? this.readSecret(secret.secretId)
      : this.readParameter(secret.parameterName);
  }

  private async readSecret(secretId: string): Promise<string> {
    const client = await this.options.secretsManager();
    const output = await request(
      { operation: "Secrets Manager GetSecretValue", resource: this.location() },
      () => client.send(new GetSecretValueCommand({ SecretId: secretId })),
    );
    if (output.SecretString === undefined)
      throw new SlackSecretError(this.location(), "holds no SecretString");
    return output.SecretString;
  }

  private async readParameter(name: string): Promise<string> {
    const client = await this.options.ssm();
    const output = await request({ operation: "SSM GetParameter", resource: this.location() }, () =>
      client.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
    );
    const value = output.Parameter?.Value;
    if (output.Parameter?.Type !== "SecureString")
      throw new SlackSecretError(this.location(), "is not a SecureString parameter");
    if (value === undefined) throw new SlackSecretError(this.location(), "holds no value");
    return value;
  }

  private location(): string {
    const secret = this.options.secret;
    return secret.source === "secrets-manager"
      ? `Secrets Manager secret ${secret.secretId}`
      : `SSM parameter ${secret.parameterName}`;
  }
}
