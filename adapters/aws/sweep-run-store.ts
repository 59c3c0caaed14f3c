/**
 * S3 adapter of the organisation sweep's run: the plan (a JSON array of items, which the
 * Distributed Map's ItemReader reads) and the results Step Functions' ResultWriter writes (a
 * manifest naming SUCCEEDED and FAILED files, each a JSON array of child executions). Results
 * are parsed defensively: an output that is not an outcome, or a file that cannot be read, is an
 * `AdapterError`, never a silently shorter run.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  type AccountSweepOutcome,
  AdapterError,
  type FailedSweepItem,
  type OrgSweepItem,
} from "../../core/index.ts";
import { request } from "./calls.ts";

/** Where an object is. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** What the run's results hold: the outcomes items reported, and the items that failed. */
export interface RunResults {
  readonly outcomes: readonly AccountSweepOutcome[];
  readonly failed: readonly FailedSweepItem[];
}

/** The plan's key for an execution: `plans/<execution name>.json`. */
export function planKey(executionName: string): string {
  return `plans/${executionName}.json`;
}

/** Writes the plan's items. */
export async function writePlan(
  client: S3Client,
  location: ObjectLocation,
  items: readonly OrgSweepItem[],
): Promise<void> {
  await request({ operation: "S3 PutObject", resource: objectName(location) }, () =>
    client.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        Body: JSON.stringify(items),
        ContentType: "application/json",
      }),
    ),
  );
}

/** Reads the plan's items back (the summary needs the accounts that were planned). */
export async function readPlan(
  client: S3Client,
  location: ObjectLocation,
): Promise<OrgSweepItem[]> {
  const items = await readJson(client, location);
  if (!Array.isArray(items) || !items.every(isItem))
    throw invalid(location, "not a JSON array of {accountId, partition}");
  return items;
}

/** Reads the manifest at `manifest` and every SUCCEEDED and FAILED file it names. */
export async function readRunResults(
  client: S3Client,
  manifest: ObjectLocation,
): Promise<RunResults> {
  const parsed = (await readJson(client, manifest)) as {
    ResultFiles?: Record<string, { Key?: unknown }[] | undefined>;
  };
  const keys = (status: string) =>
    (parsed.ResultFiles?.[status] ?? []).map((file) => String(file.Key));
  const read = (key: string) => readJson(client, { bucket: manifest.bucket, key });
  const [succeeded, failed] = await Promise.all([
    Promise.all(keys("SUCCEEDED").map(read)),
    Promise.all(keys("FAILED").map(read)),
  ]);
  return {
    outcomes: succeeded.flatMap(executions).map((execution) => outcomeOf(execution, manifest)),
    failed: failed.flatMap(executions).map((execution) => failureOf(execution, manifest)),
  };
}

interface ChildExecution {
  readonly Input?: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

function executions(file: unknown): ChildExecution[] {
  return Array.isArray(file) ? (file as ChildExecution[]) : [];
}

function outcomeOf(execution: ChildExecution, at: ObjectLocation): AccountSweepOutcome {
  const output = parse(execution.Output) as Partial<AccountSweepOutcome> | undefined;
  if (
    typeof output?.accountId !== "string" ||
    (output.status !== "swept" && output.status !== "unreachable")
  )
    throw invalid(at, "a succeeded item's output is not an account outcome");
  return output as AccountSweepOutcome;
}

function failureOf(execution: ChildExecution, at: ObjectLocation): FailedSweepItem {
  const input = parse(execution.Input) as Partial<OrgSweepItem> | undefined;
  if (typeof input?.accountId !== "string")
    throw invalid(at, "a failed item's input names no account");
  return {
    accountId: input.accountId,
    error: execution.Error ?? "unknown error",
    cause: execution.Cause ?? "",
  };
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isItem(value: unknown): value is OrgSweepItem {
  const item = value as Partial<OrgSweepItem> | null;
  return typeof item?.accountId === "string" && typeof item.partition === "string";
}

async function readJson(client: S3Client, location: ObjectLocation): Promise<unknown> {
  const target = { operation: "S3 GetObject", resource: objectName(location) };
  const text = await request(target, async () => {
    const object = await client.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
    );
    return (await object.Body?.transformToString()) ?? "";
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AdapterError(target, error);
  }
}

function invalid(location: ObjectLocation, problem: string): AdapterError {
  return new AdapterError(
    { operation: "read sweep run", resource: objectName(location) },
    new TypeError(problem),
  );
}

function objectName({ bucket, key }: ObjectLocation): string {
  return `s3://${bucket}/${key}`;
}
