import "aws-sdk-client-mock-vitest/extend";
import {
  DeleteRepositoryPolicyCommand,
  DescribeRegistryCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  RegistryPolicyNotFoundException,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
  ServerException,
  SetRepositoryPolicyCommand,
  ValidationException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EcrAdapter } from "../../../adapters/aws/ecr.ts";
import { AdapterError, PolicyRejectedError } from "../../../core/index.ts";

const ecr = mockClient(ECRClient);
const regions: string[] = [];
const adapter = new EcrAdapter({
  clientFor: (region) => {
    regions.push(region);
    return new ECRClient({ region });
  },
});
const ref = { region: "eu-west-1", registryId: "111122223333", name: "team/app" };
const arn = "arn:aws:ecr:eu-west-1:111122223333:repository/team/app";
const policyText = '{"Version":"2012-10-17","Statement":[]}';
const meta = { $metadata: {} };

afterEach(() => {
  ecr.reset();
  regions.length = 0;
});

describe("EcrAdapter.loadRepository", () => {
  it("returns the current policy text and tags, asking the repository's region", async () => {
    ecr.on(GetRepositoryPolicyCommand).resolves({ policyText });
    ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: "owner", Value: "team-a" }] });

    await expect(adapter.loadRepository(ref)).resolves.toEqual({
      arn,
      name: "team/app",
      region: "eu-west-1",
      registryId: "111122223333",
      policy: policyText,
      tags: { owner: "team-a" },
    });
    expect(regions).toEqual(["eu-west-1"]);
    expect(ecr).toHaveReceivedCommandWith(GetRepositoryPolicyCommand, {
      registryId: "111122223333",
      repositoryName: "team/app",
    });
    expect(ecr).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: arn });
  });

  it("reports no policy when ECR says the repository has none", async () => {
    ecr
      .on(GetRepositoryPolicyCommand)
      .rejects(new RepositoryPolicyNotFoundException({ message: "none", ...meta }));
    ecr.on(ListTagsForResourceCommand).resolves({ tags: [] });

    const repository = await adapter.loadRepository(ref);

    expect(repository).toMatchObject({ arn, policy: undefined, tags: {} });
  });

  it("returns undefined when the repository no longer exists", async () => {
    const gone = new RepositoryNotFoundException({ message: "gone", ...meta });
    ecr.on(GetRepositoryPolicyCommand).rejects(gone);
    ecr.on(ListTagsForResourceCommand).rejects(gone);

    await expect(adapter.loadRepository(ref)).resolves.toBeUndefined();
  });

  it("wraps any other failure in an AdapterError naming the call and repository", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    ecr.on(GetRepositoryPolicyCommand).rejects(throttled);
    ecr.on(ListTagsForResourceCommand).resolves({ tags: [] });

    const error = await adapter.loadRepository(ref).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      name: "AdapterError",
      operation: "ECR GetRepositoryPolicy",
      resource: arn,
      message: `ECR GetRepositoryPolicy failed for ${arn}: ThrottlingException`,
      cause: throttled,
    });
  });

  it("sends GetRepositoryPolicy and ListTagsForResource before either answers", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    ecr.on(GetRepositoryPolicyCommand).callsFake(async () => {
      await gate;
      return { policyText };
    });
    ecr.on(ListTagsForResourceCommand).callsFake(async () => {
      await gate;
      return { tags: [] };
    });

    const loading = adapter.loadRepository(ref);
    await vi.waitFor(() => {
      expect(ecr).toHaveReceivedCommandTimes(GetRepositoryPolicyCommand, 1);
      expect(ecr).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 1);
    });
    release();

    await expect(loading).resolves.toMatchObject({ policy: policyText });
  });
});

describe("EcrAdapter.replaceRepositoryPolicy", () => {
  it("sets the policy without forcing past ECR's lock-out check", async () => {
    ecr.on(SetRepositoryPolicyCommand).resolves({});

    await expect(adapter.replaceRepositoryPolicy(ref, policyText)).resolves.toBe("written");
    expect(ecr).toHaveReceivedCommandWith(SetRepositoryPolicyCommand, {
      registryId: "111122223333",
      repositoryName: "team/app",
      policyText,
      force: false,
    });
  });

  it("reports a repository deleted in the meantime", async () => {
    ecr
      .on(SetRepositoryPolicyCommand)
      .rejects(new RepositoryNotFoundException({ message: "gone", ...meta }));

    await expect(adapter.replaceRepositoryPolicy(ref, policyText)).resolves.toBe(
      "repository-not-found",
    );
  });

  it("rejects a refused document as PolicyRejectedError, without the document in the message", async () => {
    const refused = Object.assign(
      new Error(
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
      ),
      { name: "InvalidParameterException" },
    );
    ecr.on(SetRepositoryPolicyCommand).rejects(refused);

    const error = await adapter.replaceRepositoryPolicy(ref, policyText).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PolicyRejectedError);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      name: "PolicyRejectedError",
      message: `ECR SetRepositoryPolicy failed for ${arn}: InvalidParameterException`,
      operation: "ECR SetRepositoryPolicy",
      cause: refused,
    });
  });

  it("keeps any other write failure a plain AdapterError (access denied is no rejected document)", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    ecr.on(SetRepositoryPolicyCommand).rejects(denied);

    const error = await adapter.replaceRepositoryPolicy(ref, policyText).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).not.toBeInstanceOf(PolicyRejectedError);
    expect(error).toMatchObject({ cause: denied });
  });
});

describe("EcrAdapter.deleteRepositoryPolicy", () => {
  it("deletes the policy of the named repository", async () => {
    ecr.on(DeleteRepositoryPolicyCommand).resolves({});

    await expect(adapter.deleteRepositoryPolicy(ref)).resolves.toBe("deleted");
    expect(ecr).toHaveReceivedCommandWith(DeleteRepositoryPolicyCommand, {
      registryId: "111122223333",
      repositoryName: "team/app",
    });
  });

  it("tells a missing policy apart from a missing repository", async () => {
    ecr
      .on(DeleteRepositoryPolicyCommand)
      .rejectsOnce(new RepositoryPolicyNotFoundException({ message: "none", ...meta }))
      .rejectsOnce(new RepositoryNotFoundException({ message: "gone", ...meta }));

    await expect(adapter.deleteRepositoryPolicy(ref)).resolves.toBe("no-policy");
    await expect(adapter.deleteRepositoryPolicy(ref)).resolves.toBe("repository-not-found");
  });
});

describe("EcrAdapter.loadRegistry", () => {
  const rule = {
    destinations: [{ region: "us-east-1", registryId: "444455556666" }],
    repositoryFilters: [{ filter: "prod", filterType: "PREFIX_MATCH" as const }],
  };

  const scopeIs = (value: string) =>
    ecr.on(GetAccountSettingCommand).resolves({ name: "REGISTRY_POLICY_SCOPE", value });
  const emptyRegistry = () => {
    ecr.on(GetRegistryPolicyCommand).resolves({ policyText });
    ecr.on(DescribeRegistryCommand).resolves({ registryId: "111122223333" });
    ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({});
  };

  it("maps the registry policy, its scope, replication rules and every page of creation templates", async () => {
    ecr.on(GetRegistryPolicyCommand).resolves({ registryId: "111122223333", policyText });
    scopeIs("V1");
    ecr
      .on(DescribeRegistryCommand)
      .resolves({ registryId: "111122223333", replicationConfiguration: { rules: [rule] } });
    ecr
      .on(DescribeRepositoryCreationTemplatesCommand)
      .resolvesOnce({
        repositoryCreationTemplates: [{ prefix: "ROOT", appliedFor: ["REPLICATION"] }],
        nextToken: "page-2",
      })
      .resolvesOnce({
        repositoryCreationTemplates: [
          { prefix: "team", repositoryPolicy: policyText, appliedFor: ["CREATE_ON_PUSH"] },
        ],
      });

    await expect(adapter.loadRegistry("eu-west-1")).resolves.toEqual({
      region: "eu-west-1",
      registryId: "111122223333",
      policy: policyText,
      policyScope: "V1",
      replicationRules: [
        {
          destinations: [{ region: "us-east-1", registryId: "444455556666" }],
          repositoryPrefixes: ["prod"],
        },
      ],
      creationTemplates: [
        { prefix: "ROOT", repositoryPolicy: undefined, appliedFor: ["REPLICATION"] },
        { prefix: "team", repositoryPolicy: policyText, appliedFor: ["CREATE_ON_PUSH"] },
      ],
    });
    expect(ecr).toHaveReceivedCommandExactlyOnceWith(GetAccountSettingCommand, {
      name: "REGISTRY_POLICY_SCOPE",
    });
    expect(ecr).toHaveReceivedCommandTimes(DescribeRepositoryCreationTemplatesCommand, 2);
    expect(ecr).toHaveReceivedNthCommandWith(DescribeRepositoryCreationTemplatesCommand, 2, {
      nextToken: "page-2",
    });
  });

  it("reports no registry policy when ECR says there is none", async () => {
    ecr
      .on(GetRegistryPolicyCommand)
      .rejects(new RegistryPolicyNotFoundException({ message: "none", ...meta }));
    scopeIs("V2");
    ecr.on(DescribeRegistryCommand).resolves({ registryId: "111122223333" });
    ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({});

    await expect(adapter.loadRegistry("eu-west-1")).resolves.toEqual({
      region: "eu-west-1",
      registryId: "111122223333",
      policy: undefined,
      policyScope: "V2",
      replicationRules: [],
      creationTemplates: [],
    });
  });

  it("wraps a failed creation-template listing, keeping the cause", async () => {
    const failure = new ServerException({ message: "boom", ...meta });
    ecr.on(GetRegistryPolicyCommand).resolves({ policyText });
    scopeIs("V2");
    ecr.on(DescribeRegistryCommand).resolves({ registryId: "111122223333" });
    ecr.on(DescribeRepositoryCreationTemplatesCommand).rejects(failure);

    const error = await adapter.loadRegistry("eu-west-1").catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: "AdapterError",
      message:
        "ECR DescribeRepositoryCreationTemplates failed for the registry in eu-west-1: ServerException",
      cause: failure,
    });
  });

  it.each([
    ["a denied read", Object.assign(new Error("denied"), { name: "AccessDeniedException" })],
    ["a setting the Region rejects", new ValidationException({ message: "bad", ...meta })],
    ["an unknown setting name", new InvalidParameterException({ message: "bad", ...meta })],
  ])("leaves the scope unknown (judged as V2) after %s", async (_, failure) => {
    emptyRegistry();
    ecr.on(GetAccountSettingCommand).rejects(failure);

    await expect(adapter.loadRegistry("eu-west-1")).resolves.toMatchObject({
      policy: policyText,
      policyScope: undefined,
    });
  });

  it("leaves a scope value it does not know unknown", async () => {
    emptyRegistry();
    scopeIs("V3");

    const registry = await adapter.loadRegistry("eu-west-1");

    expect(registry.policyScope).toBeUndefined();
  });

  it("wraps any other GetAccountSetting failure, keeping the cause", async () => {
    const failure = new ServerException({ message: "boom", ...meta });
    emptyRegistry();
    ecr.on(GetAccountSettingCommand).rejects(failure);

    const error = await adapter.loadRegistry("eu-west-1").catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: "AdapterError",
      message: "ECR GetAccountSetting failed for the registry in eu-west-1: ServerException",
      cause: failure,
    });
  });

  it("sends every registry read, the scope included, before any answers", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held =
      <T>(value: T) =>
      async () => {
        await gate;
        return value;
      };
    ecr.on(GetRegistryPolicyCommand).callsFake(held({ policyText }));
    ecr.on(GetAccountSettingCommand).callsFake(held({ value: "V1" }));
    ecr.on(DescribeRegistryCommand).callsFake(held({ registryId: "111122223333" }));
    ecr.on(DescribeRepositoryCreationTemplatesCommand).callsFake(held({}));

    const loading = adapter.loadRegistry("eu-west-1");
    await vi.waitFor(() => {
      expect(ecr).toHaveReceivedCommandTimes(GetRegistryPolicyCommand, 1);
      expect(ecr).toHaveReceivedCommandTimes(GetAccountSettingCommand, 1);
      expect(ecr).toHaveReceivedCommandTimes(DescribeRegistryCommand, 1);
      expect(ecr).toHaveReceivedCommandTimes(DescribeRepositoryCreationTemplatesCommand, 1);
    });
    release();

    await expect(loading).resolves.toMatchObject({ policyScope: "V1" });
  });
});
