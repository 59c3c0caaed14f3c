import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readReplayEvents } from "../../../cli/replay/read-events.ts";
import { run } from "../../../cli/run.ts";
import { memoryIo } from "../../support/cli-io.ts";

const SAMPLE_EVENT = "samples/events/01-ecr-setrepositorypolicy-payments-api-public.json";
let dir: string;
let event: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecr-guard-events-"));
  event = await readFile(SAMPLE_EVENT, "utf8");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readReplayEvents", () => {
  it("reports each bad .gz file by name and still reads the good ones", async () => {
    const gzipped = new Uint8Array(gzipSync(event));
    await writeFile(join(dir, "a-good.json.gz"), gzipped);
    await writeFile(join(dir, "b-truncated.json.gz"), gzipped.subarray(0, gzipped.length >> 1));
    await writeFile(join(dir, "c-empty.json.gz"), "");
    await writeFile(join(dir, "d-plain.json.gz"), event);
    await writeFile(join(dir, "e-bom.json"), `\uFEFF${event}`);
    await writeFile(join(dir, "f-empty.json"), "");

    const reading = await readReplayEvents(dir);

    expect(reading.events).toHaveLength(2);
    expect(reading.skipped).toEqual([]);
    expect(reading.unreadable).toEqual([
      expect.stringMatching(/^events file ".*b-truncated.json.gz" is not valid gzip \(Z_BUF_ERROR/),
      expect.stringMatching(/^events file ".*c-empty.json.gz" is not valid gzip/),
      expect.stringMatching(/^events file ".*d-plain.json.gz" is not valid gzip \(Z_DATA_ERROR/),
      `events file "${join(dir, "f-empty.json")}" is empty`,
    ]);
  });

  it("refuses a .gz file that decompresses beyond the cap", async () => {
    await writeFile(
      join(dir, "bomb.json.gz"),
      new Uint8Array(gzipSync(new Uint8Array(1_000_000).fill(32))),
    );

    const reading = await readReplayEvents(dir, 100_000);

    expect(reading.unreadable).toEqual([
      `events file "${join(dir, "bomb.json.gz")}" decompresses to more than 100000 bytes; refused as a likely decompression bomb`,
    ]);
  });

  it("skips directories, FIFOs, dangling links and link loops with a reason, without opening them", async () => {
    await writeFile(join(dir, "a.json"), event);
    await mkdir(join(dir, "b-dir.json"));
    execFileSync("mkfifo", [join(dir, "c-fifo.json")]);
    await symlink(join(dir, "nowhere.json"), join(dir, "d-dangling.json"));
    await symlink(join(dir, "e-loop.json"), join(dir, "e-loop.json"));

    const reading = await readReplayEvents(dir);

    expect(reading.events).toHaveLength(1);
    expect(reading.unreadable).toEqual([]);
    expect(reading.skipped).toEqual([
      `${join(dir, "b-dir.json")}: a directory, skipped`,
      `${join(dir, "c-fifo.json")}: not a regular file (FIFO, socket or device), skipped`,
      `${join(dir, "d-dangling.json")}: a dangling symbolic link, skipped`,
      `${join(dir, "e-loop.json")}: a symbolic link loop, skipped`,
    ]);
  });

  it("reads a thousand files, a few at a time", async () => {
    const count = 1_000;
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        writeFile(join(dir, `${String(index).padStart(5, "0")}.json`), event),
      ),
    );

    const reading = await readReplayEvents(dir);

    expect(reading.events).toHaveLength(count);
    expect(reading.unreadable).toEqual([]);
  });
});

describe("ecr-guard replay with bad event files", () => {
  it("lists unreadable files and malformed events, replays the rest, and exits 2", async () => {
    await writeFile(join(dir, "a-good.json"), event);
    await writeFile(
      join(dir, "b-truncated.json.gz"),
      new Uint8Array(gzipSync(event)).subarray(0, 20),
    );
    const malformed = JSON.parse(event);
    malformed.userIdentity = null;
    malformed.eventID = "00000000-0000-4000-8000-000000000002";
    await writeFile(join(dir, "c-malformed.json"), JSON.stringify(malformed));
    const { io, stdout, stderr } = memoryIo();

    const code = await run(
      ["replay", "--snapshot", "samples/sample-account.json", "--events", dir, "--format", "json"],
      io,
    );

    expect(code).toBe(2);
    expect(stderr()).toContain(
      `ecr-guard: events file "${join(dir, "b-truncated.json.gz")}" is not valid gzip`,
    );
    expect(stderr()).toContain("ecr-guard replay: 1 malformed event(s)");
    expect(JSON.parse(stdout()).results).toHaveLength(2);
  });
});
