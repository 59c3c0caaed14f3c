/**
 * A simulated ECR endpoint behind the SDK's HTTP layer: an `ECRClient` built with
 * {@link ThrottledEcr.requestHandler} sends real signed requests (JSON 1.1 protocol) that this
 * module answers after `latencyMs`, so the SDK's own retry strategy (adaptive mode, its
 * client-side rate limiter, the retry quota) runs exactly as against AWS. Each Region has one
 * token bucket per API; a request arriving at an empty bucket gets what ECR sends when it
 * throttles: HTTP 400 with `__type: ThrottlingException`, which the SDK classifies as throttling.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html
 */
import { Readable } from "node:stream";
import { HttpResponse } from "@smithy/protocol-http";
import { TokenBucket } from "./token-bucket.ts";

/** A repository as the endpoint holds it (DescribeRepositories fields, plus policy and tags). */
export interface SimulatedRepository {
  readonly repositoryArn: string;
  readonly registryId: string;
  readonly repositoryName: string;
  readonly repositoryUri: string;
  readonly createdAt: number;
  readonly policyText?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
}

/** A throttle: sustained requests per second and the bucket size. */
export interface ApiQuota {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** What one API of one Region saw; times in ms on the endpoint's clock. */
export interface BucketStats {
  readonly region: string;
  readonly api: string;
  readonly quota: ApiQuota;
  /** Requests that got an answer (a result or a modelled not-found error). */
  answered: number;
  throttled: number;
  firstArrivalMs: number;
  lastAnsweredArrivalMs: number;
}

type Json = Record<string, unknown>;
type Answer = (input: Json) => Json | EcrError;

/** A modelled ECR error answer. */
class EcrError {
  constructor(
    readonly type: string,
    readonly message: string,
  ) {}
}

/** DescribeRepositories' page size when `maxResults` is not given. */
const PAGE_SIZE = 100;
const JSON_TYPE = { "content-type": "application/x-amz-json-1.1" };

/** Options of {@link ThrottledEcr}. */
export interface ThrottledEcrOptions {
  readonly registries: ReadonlyMap<string, readonly SimulatedRepository[]>;
  /** The throttle of every API in every Region. */
  readonly quota: ApiQuota;
  readonly latencyMs: number;
  readonly now?: () => number;
}

/** The simulated endpoint of every Region; see the module comment. */
export class ThrottledEcr {
  private readonly buckets = new Map<string, { bucket: TokenBucket; stats: BucketStats }>();
  private readonly now: () => number;

  constructor(private readonly options: ThrottledEcrOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The per-API figures, one entry per Region and API that was called. */
  stats(): BucketStats[] {
    return [...this.buckets.values()].map((entry) => ({ ...entry.stats }));
  }

  /** An SDK `requestHandler` answering as ECR in `region`. */
  requestHandler(region: string) {
    const answers = answersFor(this.options.registries.get(region) ?? []);
    const handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
      const api = (request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      const answer = answers[api];
      if (answer === undefined) throw new Error(`simulated ECR: ${api} is not modelled`);
      const admitted = this.admit(region, api);
      if (this.options.latencyMs > 0)
        await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
      const input = parseBody(request.body);
      return { response: respond(admitted ? answer(input) : THROTTLED) };
    };
    return { handle };
  }

  private admit(region: string, api: string): boolean {
    const key = `${region} ${api}`;
    const at = this.now();
    const entry = this.buckets.get(key) ?? {
      bucket: new TokenBucket(this.options.quota.ratePerSecond, this.options.quota.burst, at),
      stats: {
        region,
        api,
        quota: this.options.quota,
        answered: 0,
        throttled: 0,
        firstArrivalMs: at,
        lastAnsweredArrivalMs: at,
      },
    };
    this.buckets.set(key, entry);
    if (!entry.bucket.take(at)) {
      entry.stats.throttled += 1;
      return false;
    }
    entry.stats.answered += 1;
    entry.stats.lastAnsweredArrivalMs = at;
    return true;
  }
}

const THROTTLED = new EcrError("ThrottlingException", "Rate exceeded");

/** The JSON request body, which the SDK may hand over as a string or as bytes. */
function parseBody(body: unknown): Json {
  if (body === undefined || body === "") return {};
  const text = body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body);
  return JSON.parse(text) as Json;
}

function respond(body: Json | EcrError): HttpResponse {
  const failed = body instanceof EcrError;
  const payload = failed ? { __type: body.type, message: body.message } : body;
  return new HttpResponse({
    statusCode: failed ? 400 : 200,
    headers: JSON_TYPE,
    body: Readable.from([Buffer.from(JSON.stringify(payload))]),
  });
}

function answersFor(repositories: readonly SimulatedRepository[]): Record<string, Answer> {
  const byName = new Map(repositories.map((repository) => [repository.repositoryName, repository]));
  const byArn = new Map(repositories.map((repository) => [repository.repositoryArn, repository]));
  const missing = (name: unknown) =>
    new EcrError("RepositoryNotFoundException", `The repository '${String(name)}' does not exist`);
  return {
    DescribeRepositories: (input) => {
      const start = Number(input.nextToken ?? 0);
      const end = start + PAGE_SIZE;
      const page = repositories.slice(start, end).map(({ policyText, tags, ...listed }) => listed);
      return end < repositories.length
        ? { repositories: page, nextToken: String(end) }
        : { repositories: page };
    },
    GetRepositoryPolicy: (input) => {
      const found = byName.get(String(input.repositoryName));
      if (found === undefined) return missing(input.repositoryName);
      if (found.policyText === undefined)
        return new EcrError(
          "RepositoryPolicyNotFoundException",
          "Repository policy does not exist",
        );
      const { registryId, repositoryName, policyText } = found;
      return { registryId, repositoryName, policyText };
    },
    ListTagsForResource: (input) => {
      const found = byArn.get(String(input.resourceArn));
      return found === undefined ? missing(input.resourceArn) : { tags: found.tags };
    },
    GetRegistryPolicy: () =>
      new EcrError("RegistryPolicyNotFoundException", "Registry policy does not exist"),
    DescribeRegistry: () => ({ replicationConfiguration: { rules: [] } }),
    GetAccountSetting: () => ({ name: "REGISTRY_POLICY_SCOPE", value: "V2" }),
    DescribeRepositoryCreationTemplates: () => ({ repositoryCreationTemplates: [] }),
  };
}
