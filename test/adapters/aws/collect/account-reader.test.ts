import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it } from "vitest";
import { LiveAccountReader } from "../../../../adapters/aws/collect/account-reader.ts";
import { AdapterError, scanAccount } from "../../../../core/index.ts";
import { context, OWNER, STRANGER } from "../../../support/trust-context.ts";
import { arnOf, clientsFor, mockEcr, mockEks, mockIam, NODE_ROLE } from "./live-account.ts";

const stubs: { restore(): void }[] = [];

afterEach(() => {
  for (const stub of stubs.splice(0)) stub.restore();
});

function liveAccount() {
  const clients = clientsFor(["eu-west-1"]);
  const ecr = mockEcr(clients.ecr("eu-west-1"), "eu-west-1");
  stubs.push(mockIam(clients.iam), mockEks(clients.eks("eu-west-1"), "eu-west-1"), ecr);
  return { clients, ecr };
}

describe("LiveAccountReader", () => {
  it("round-trips: the collected snapshot, parsed as a snapshot file is, scans to the expected findings", async () => {
    const { clients } = liveAccount();
    const reader = new LiveAccountReader({ accountId: OWNER, clients });

    const reading = await reader.readAccount(["eu-west-1"]);
    const report = scanAccount(reading.inventory, context());

    expect(reading.unreadable).toEqual([]);
    expect(reading.skippedRegions).toEqual([]);
    expect(reading.warnings).toEqual([]);
    expect(report.findings.map((finding) => [finding.rule, finding.resource])).toEqual([
      ["ecr-replication-untrusted-destination", `arn:aws:ecr:eu-west-1:${OWNER}:registry`],
      ["ecr-repository-public", arnOf("eu-west-1", "team/public")],
      ["eks-node-role-ecr-write", NODE_ROLE],
    ]);
    expect(report.findings[0]?.principals).toEqual([STRANGER]);
    expect(report.kpis).toMatchObject({
      repositories: 2,
      publicRepositories: 1,
      nodeRoles: 1,
      nodeRolesWithEcrWrite: 1,
      ownerTagShare: 1,
    });
  });

  it("refuses a collection the snapshot parser rejects, naming the field", async () => {
    const { clients, ecr } = liveAccount();
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryArn: arnOf("eu-west-1", "team/public"),
          registryId: STRANGER,
          repositoryName: "team/public",
        },
      ],
    });
    const reader = new LiveAccountReader({ accountId: OWNER, clients });

    const error = await reader.readAccount(["eu-west-1"]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).cause).toEqual(
      new TypeError(
        `regions.eu-west-1.repositories[0].registryId: ${STRANGER} is not the ARN's account ${OWNER}; regions.eu-west-1.repositories[0].registryId: ${STRANGER} is not the snapshot's accountId ${OWNER}`,
      ),
    );
  });
});
