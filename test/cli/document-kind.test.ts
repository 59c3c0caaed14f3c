import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const REPOSITORY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});
const IDENTITY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
});
const FILES = {
  "repository.json": REPOSITORY_POLICY,
  "identity.json": IDENTITY_POLICY,
  "encoded.json": encodeURIComponent(IDENTITY_POLICY),
  "snapshot.json": JSON.stringify({ accountId: "111122223333", regions: {} }),
  "event.json": JSON.stringify({ eventName: "SetRepositoryPolicy", eventSource: "ecr" }),
  "config.json": JSON.stringify({ ownerAccountId: "111122223333" }),
  "list.json": "[1, 2]",
  "empty.json": JSON.stringify({ Version: "2012-10-17", Statement: [] }),
};
const REPOSITORY = ["check", "repository-policy"];
const IDENTITY = ["check", "identity-policy"];
const ACCOUNT = ["--account", "111122223333"];

describe("ecr-guard check refuses a document of another kind", () => {
  it.each([
    [[...REPOSITORY, "identity.json"], "use ecr-guard check identity-policy FILE"],
    [[...REPOSITORY, "encoded.json"], "this looks like an identity policy"],
    [[...REPOSITORY, "snapshot.json"], "this looks like an account snapshot; use ecr-guard scan"],
    [[...REPOSITORY, "event.json"], "this looks like a CloudTrail event; use ecr-guard replay"],
    [[...REPOSITORY, "config.json"], "this looks like an ecr-guard config; pass it with --config"],
    [[...REPOSITORY, "list.json"], "this looks like JSON without a Statement"],
    [[...IDENTITY, "repository.json"], "use ecr-guard check repository-policy FILE"],
    [[...IDENTITY, "snapshot.json"], "this looks like an account snapshot"],
  ])("exits 2 on %j, naming the kind and the command to use", async (argv, advice) => {
    const { io, stdout, stderr } = memoryIo({ files: FILES });
    const account = argv[1] === "repository-policy" ? ACCOUNT : [];
    expect(await run([...argv, ...account], io)).toBe(2);
    expect(stdout()).toBe("");
    expect(stderr()).toContain(`"${argv[2]}" is not a ${argv[1]}: this looks like`);
    expect(stderr()).toContain(advice);
  });

  it("judges each policy with its own command", async () => {
    const repository = memoryIo({ files: FILES });
    expect(await run([...REPOSITORY, "repository.json", ...ACCOUNT], repository.io)).toBe(1);
    expect(repository.stdout()).toContain("ecr-repository-public");
    const identity = memoryIo({ files: FILES });
    expect(await run([...IDENTITY, "identity.json"], identity.io)).toBe(1);
    expect(identity.stdout()).toContain("ecr:PutImage");
  });

  it("leaves a policy without statements, and text that is not JSON, to the rules", async () => {
    const empty = memoryIo({ files: FILES });
    expect(await run([...IDENTITY, "empty.json"], empty.io)).toBe(0);
    const broken = memoryIo({ files: { "bad.json": "{ not json" } });
    expect(await run([...REPOSITORY, "bad.json", ...ACCOUNT, "--format", "json"], broken.io)).toBe(
      1,
    );
    expect(broken.stdout()).toContain("policy-unparseable");
  });
});
