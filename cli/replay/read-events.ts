import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type ChangeEventResult, parseChangeEvent } from "../../core/index.ts";
import { UsageError } from "../errors.ts";

/** One event read for replay: the CloudTrail record as found and what the parser made of it. */
export interface ReplayEvent {
  /** The CloudTrail record (the `detail` of an EventBridge envelope), or the value as found. */
  readonly record: unknown;
  /** The EventBridge envelope as found; undefined for a bare CloudTrail record. */
  readonly envelope: unknown;
  readonly parsed: ChangeEventResult;
}

const EVENT_FILE = /\.json(\.gz)?$/i;

/**
 * Reads the events of `--events`: a file, or every `.json` / `.json.gz` file of a directory in
 * name order. A file holds one EventBridge envelope or raw CloudTrail record, an array of them,
 * or a CloudTrail log file (`{"Records": [...]}`); `.gz` files are gunzipped first.
 */
export async function readReplayEvents(path: string): Promise<ReplayEvent[]> {
  const files = await eventFiles(path);
  const perFile = await Promise.all(files.map(readEventFile));
  return perFile.flat();
}

async function eventFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`cannot read events "${path}": no such file or directory`);
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => EVENT_FILE.test(name)).sort();
  if (names.length === 0) throw new UsageError(`events directory "${path}" has no .json files`);
  return names.map((name) => join(path, name));
}

async function readEventFile(path: string): Promise<ReplayEvent[]> {
  const bytes = await readFile(path);
  const text = (/\.gz$/i.test(path) ? gunzipSync(new Uint8Array(bytes)) : bytes).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`events file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
  return entriesOf(value).map((entry) => ({
    record: recordOf(entry),
    envelope: isEnvelope(entry) ? entry : undefined,
    parsed: parseChangeEvent(entry),
  }));
}

function entriesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value.Records)) return value.Records;
  return [value];
}

function isEnvelope(entry: unknown): entry is Record<string, unknown> {
  return isObject(entry) && "detail-type" in entry;
}

function recordOf(entry: unknown): unknown {
  return isEnvelope(entry) ? entry.detail : entry;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
