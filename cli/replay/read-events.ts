import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type ChangeEventResult, mapWithConcurrency, parseChangeEvent } from "../../core/index.ts";
import { UsageError } from "../errors.ts";
import { withoutByteOrderMark } from "../io.ts";

/** One event read for replay: the CloudTrail record as found and what the parser made of it. */
export interface ReplayEvent {
  /** The CloudTrail record (the `detail` of an EventBridge envelope), or the value as found. */
  readonly record: unknown;
  /** The EventBridge envelope as found; undefined for a bare CloudTrail record. */
  readonly envelope: unknown;
  readonly parsed: ChangeEventResult;
}

/** What `--events` held: the events, the entries skipped, and the files that could not be read. */
export interface ReplayEventsReading {
  readonly events: readonly ReplayEvent[];
  /** Directory entries that are not event files (directories, FIFOs, broken links), by name. */
  readonly skipped: readonly string[];
  /** Event files that could not be read, decompressed or parsed, each naming the file. */
  readonly unreadable: readonly string[];
}

const EVENT_FILE = /\.json(\.gz)?$/i;

/**
 * Largest decompressed `.gz` file read: CloudTrail delivers log files of a few megabytes, so
 * anything near this is a decompression bomb, refused before it exhausts memory.
 */
export const MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

/** Files read at once from a directory, to stay well under the process's open-file limit. */
const OPEN_FILES = 16;

/**
 * Reads the events of `--events`: a file, or every `.json` / `.json.gz` file of a directory in
 * name order. A file holds one EventBridge envelope or raw CloudTrail record, an array of them,
 * or a CloudTrail log file (`{"Records": [...]}`); `.gz` files are gunzipped first. In a
 * directory, entries that are not regular files (directories, FIFOs, dangling links, link loops)
 * are skipped, never opened; a file that cannot be read is reported and the others still are.
 * A missing `--events`, or a directory without event files, is a UsageError. A `.gz` file
 * decompressing to more than `maxDecompressedBytes` is refused.
 */
export async function readReplayEvents(
  path: string,
  maxDecompressedBytes = MAX_DECOMPRESSED_BYTES,
): Promise<ReplayEventsReading> {
  const listing = await eventFiles(path);
  const perFile = await mapWithConcurrency(listing.files, OPEN_FILES, (file) =>
    readEventFile(file, maxDecompressedBytes),
  );
  const events: ReplayEvent[] = [];
  const unreadable: string[] = [];
  for (const file of perFile) {
    if (!file.ok) throw file.error;
    if (typeof file.value === "string") unreadable.push(file.value);
    else events.push(...file.value);
  }
  return { events, skipped: listing.skipped, unreadable };
}

async function eventFiles(path: string): Promise<{ files: string[]; skipped: string[] }> {
  const info = await stat(path).catch(() => {
    throw new UsageError(`cannot read events "${path}": no such file or directory`);
  });
  if (!info.isDirectory()) return { files: [path], skipped: [] };
  const names = (await readdir(path)).filter((name) => EVENT_FILE.test(name)).sort();
  const kinds = await mapWithConcurrency(names, OPEN_FILES, (name) => entryKind(join(path, name)));
  const files: string[] = [];
  const skipped: string[] = [];
  for (const [index, kind] of kinds.entries()) {
    const file = join(path, names[index] ?? "");
    if (kind.ok && kind.value === "file") files.push(file);
    else skipped.push(`${file}: ${kind.ok ? kind.value : "cannot be examined"}, skipped`);
  }
  if (files.length === 0 && skipped.length === 0)
    throw new UsageError(`events directory "${path}" has no .json files`);
  return { files, skipped };
}

/** `file`, or why the entry is not one, following links without opening anything. */
async function entryKind(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (info.isFile()) return "file";
    return info.isDirectory() ? "a directory" : "not a regular file (FIFO, socket or device)";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "a dangling symbolic link";
    if (code === "ELOOP") return "a symbolic link loop";
    return `cannot be examined (${code ?? (error as Error).message})`;
  }
}

/** The file's events, or one line saying why it could not be read. */
async function readEventFile(path: string, maxBytes: number): Promise<ReplayEvent[] | string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return `cannot read events file "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  const text = /\.gz$/i.test(path)
    ? gunzip(bytes, path, maxBytes)
    : { text: bytes.toString("utf8") };
  if ("problem" in text) return text.problem;
  const body = withoutByteOrderMark(text.text);
  if (body.trim() === "") return `events file "${path}" is empty`;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return `events file "${path}" is not valid JSON: ${(error as Error).message}`;
  }
  return entriesOf(value).map((entry) => ({
    record: recordOf(entry),
    envelope: isEnvelope(entry) ? entry : undefined,
    parsed: parseChangeEvent(entry),
  }));
}

function gunzip(
  bytes: Buffer,
  path: string,
  maxBytes: number,
): { text: string } | { problem: string } {
  try {
    const output = gunzipSync(new Uint8Array(bytes), { maxOutputLength: maxBytes });
    return { text: output.toString("utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE")
      return {
        problem: `events file "${path}" decompresses to more than ${maxBytes} bytes; refused as a likely decompression bomb`,
      };
    return {
      problem: `events file "${path}" is not valid gzip (${code ?? "error"}: ${(error as Error).message})`,
    };
  }
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
