import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../../cli/run.ts";
import { memoryIo } from "../../support/cli-io.ts";

const PUBLIC = "samples/events/01-ecr-setrepositorypolicy-payments-api-public.json";
const COMPLIANT = "samples/events/04-ecr-setrepositorypolicy-payments-api-rollback.json";

type Record = { [key: string]: unknown };
const sample = (path: string): Record => JSON.parse(readFileSync(path, "utf8"));

interface JsonResult {
  readonly eventID: string | null;
  readonly handler: string | null;
  readonly resources: string[];
  readonly findings: { rule: string }[];
  readonly alerts: { send: string }[];
  readonly change?: { status: string; message: string };
  readonly ignored?: { reason: string; message: string };
  readonly notEvaluated?: { reason: string; message: string };
}

async function replay(events: readonly unknown[], ...extra: string[]) {
  const file = join(mkdtempSync(join(tmpdir(), "ecr-guard-replay-engine-")), "events.json");
  writeFileSync(file, JSON.stringify(events));
  const { io, stdout, stderr } = memoryIo();
  const args = ["replay", "--snapshot", "samples/sample-account.json", "--events", file];
  const code = await run(
    [...args, "--config", "samples/ecr-guard.config.yaml", "--format", "json", ...extra],
    io,
  );
  return { code, results: JSON.parse(stdout()).results as JsonResult[], stderr: stderr() };
}

/** Sample event 01 with its request (and response) replaced. */
function publicWith(changes: Record): Record {
  return { ...sample(PUBLIC), eventID: "changed-request", ...changes };
}

describe("ReplayEngine", () => {
  it("does not apply an older event over a newer compliant policy, and judges the current state", async () => {
    const { code, results } = await replay([sample(COMPLIANT), sample(PUBLIC)]);
    expect(code).toBe(0);
    const stale = results[1];
    expect(stale?.change?.status).toBe("stale");
    expect(stale?.change?.message).toMatch(
      /^stale, not applied: 2026-11-23 09:14:05.000 is not newer than 2026-11-23 09:14:07.000/,
    );
    expect([stale?.handler, stale?.findings]).toEqual(["repository-change", []]);
    // The public policy it carried was open until the newer one replaced it: reported as transient.
    expect(stale?.alerts.map((alert) => alert.send)).toEqual(["new"]);
  });

  it("applies the same events in time order, flagging the public policy then resolving it", async () => {
    const { code, results } = await replay([sample(PUBLIC), sample(COMPLIANT)]);
    expect(code).toBe(1);
    expect(results.map((r) => [r.change?.status, r.findings.length, r.alerts[0]?.send])).toEqual([
      ["applied", 1, "new"],
      ["applied", 0, "resolved"],
    ]);
  });

  it("reports an event for a repository the snapshot lacks as not evaluated, exit 2", async () => {
    const params = sample(PUBLIC).requestParameters as Record;
    const unknown = publicWith({ requestParameters: { ...params, repositoryName: "not/there" } });
    const { code, results, stderr } = await replay([unknown]);
    expect(code).toBe(2);
    expect(results[0]).toMatchObject({
      resources: [],
      findings: [],
      notEvaluated: { reason: "not-in-snapshot" },
    });
    expect(results[0]?.notEvaluated?.message).toContain("repository not/there (eu-west-1");
    expect(stderr).toContain("1 event(s) not evaluated");
  });

  it("gives an event from an unwatched region the handler's answer", async () => {
    const { code, results } = await replay([publicWith({ awsRegion: "sa-east-1" })]);
    expect(code).toBe(0);
    expect(results[0]).toMatchObject({
      handler: "repository-change",
      ignored: { reason: "region-not-configured", message: "sa-east-1 is not watched" },
    });
  });

  it("judges a policy the event carries as a JSON object, and the response's when the request has none", async () => {
    const policy = JSON.parse((sample(PUBLIC).requestParameters as Record).policyText as string);
    const params = sample(PUBLIC).requestParameters as Record;
    const asObject = publicWith({ requestParameters: { ...params, policyText: policy } });
    const fromResponse = publicWith({ eventID: "from-response", requestParameters: null });
    const { results } = await replay([asObject]);
    expect(results[0]?.findings.map((f) => f.rule)).toEqual(["ecr-repository-public"]);
    const response = await replay([fromResponse]);
    expect(response.results[0]?.change?.status).toBe("applied");
    expect(response.results[0]?.findings.map((f) => f.rule)).toEqual(["ecr-repository-public"]);
  });

  it("reports a non-string policyText with no policy in the response as not evaluated, exit 2", async () => {
    const params = sample(PUBLIC).requestParameters as Record;
    const broken = publicWith({
      requestParameters: { ...params, policyText: 42 },
      responseElements: null,
    });
    const { code, results } = await replay([broken]);
    expect(code).toBe(2);
    expect(results[0]).toMatchObject({
      findings: [],
      change: { status: "not-carried" },
      notEvaluated: { reason: "policy-not-in-event" },
    });
  });

  it("lists a malformed event and exits 2", async () => {
    const { eventID: _id, ...noId } = sample(PUBLIC);
    const { code, results, stderr } = await replay([noId, sample(COMPLIANT)]);
    expect(code).toBe(2);
    expect(results[0]).toMatchObject({
      eventID: null,
      ignored: { reason: "malformed", message: expect.stringContaining("detail.eventID") },
    });
    expect(results[1]?.change?.status).toBe("applied");
    expect(stderr).toContain("1 malformed event(s)");
  });
});
