import "aws-sdk-client-mock-vitest/extend";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  ServiceFailureException,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IamAdapter } from "../../../adapters/aws/iam.ts";
import { AdapterError } from "../../../core/index.ts";

const iam = mockClient(IAMClient);
const adapter = new IamAdapter(new IAMClient({ region: "us-east-1" }));
const roleArn = "arn:aws:iam::111122223333:role/eks-nodes";
const policyArn = "arn:aws:iam::111122223333:policy/ecr-push";
const trust = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
const inlineDocument = "%7B%22Statement%22%3A%5B%5D%7D";
const meta = { $metadata: {} };
const noSuchEntity = () => new NoSuchEntityException({ message: "not found", ...meta });

afterEach(() => iam.reset());

function givenRole(): void {
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: roleArn,
      RoleName: "eks-nodes",
      Path: "/",
      RoleId: "AROAEXAMPLE",
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: trust,
      PermissionsBoundary: {
        PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/boundary",
        PermissionsBoundaryType: "PermissionsBoundaryPolicy",
      },
      Tags: [
        { Key: "owner", Value: "team-nodes" },
        { Key: "slack-channel", Value: "#nodes-alerts" },
      ],
    },
  });
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolvesOnce({
      AttachedPolicies: [{ PolicyArn: policyArn, PolicyName: "ecr-push" }],
      IsTruncated: true,
      Marker: "m1",
    })
    .resolvesOnce({
      AttachedPolicies: [
        { PolicyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", PolicyName: "w" },
      ],
      IsTruncated: false,
    });
  iam
    .on(ListRolePoliciesCommand)
    .resolvesOnce({ PolicyNames: ["inline-a"], IsTruncated: true, Marker: "m2" })
    .resolvesOnce({ PolicyNames: ["inline-b"], IsTruncated: false });
  iam
    .on(GetRolePolicyCommand, { RoleName: "eks-nodes", PolicyName: "inline-a" })
    .resolves({ RoleName: "eks-nodes", PolicyName: "inline-a", PolicyDocument: inlineDocument });
}

describe("IamAdapter.loadRole", () => {
  it("hands over the attached and boundary policy ARNs before the inline policies are read", async () => {
    givenRole();
    let release: () => void = () => undefined;
    const inlineHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[][] = [];
    iam.on(GetRolePolicyCommand).callsFake(async (input: { PolicyName: string }) => {
      await inlineHeld;
      return {
        RoleName: "eks-nodes",
        PolicyName: input.PolicyName,
        PolicyDocument: inlineDocument,
      };
    });

    const loading = adapter.loadRole("eks-nodes", (arns) => seen.push([...arns]));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual([
      policyArn,
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::111122223333:policy/boundary",
    ]);
    release();
    await expect(loading).resolves.toMatchObject({ name: "eks-nodes" });
    expect(seen).toHaveLength(1);
  });

  it("never hands over policy ARNs for a role that does not exist", async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity());
    iam.on(ListAttachedRolePoliciesCommand).rejects(noSuchEntity());
    iam.on(ListRolePoliciesCommand).rejects(noSuchEntity());
    const seen: unknown[] = [];
    await expect(adapter.loadRole("gone", (arns) => seen.push(arns))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });

  it("maps the role with every page of attached and inline policies, documents still encoded", async () => {
    givenRole();
    iam.on(GetRolePolicyCommand, { PolicyName: "inline-b" }).resolves({
      RoleName: "eks-nodes",
      PolicyName: "inline-b",
      PolicyDocument: inlineDocument,
    });

    await expect(adapter.loadRole("eks-nodes")).resolves.toEqual({
      arn: roleArn,
      name: "eks-nodes",
      trustPolicy: trust,
      attachedPolicyArns: [policyArn, "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"],
      inlinePolicies: [
        { name: "inline-a", document: inlineDocument },
        { name: "inline-b", document: inlineDocument },
      ],
      permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/boundary",
      tags: { owner: "team-nodes", "slack-channel": "#nodes-alerts" },
    });
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: "eks-nodes" });
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, {
      RoleName: "eks-nodes",
      Marker: "m1",
    });
    expect(iam).toHaveReceivedNthCommandWith(ListRolePoliciesCommand, 2, {
      RoleName: "eks-nodes",
      Marker: "m2",
    });
    expect(iam).toHaveReceivedCommandWith(GetRolePolicyCommand, {
      RoleName: "eks-nodes",
      PolicyName: "inline-b",
    });
  });

  it("maps a role GetRole returns without Tags to no tags", async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        Arn: roleArn,
        RoleName: "eks-nodes",
        Path: "/",
        RoleId: "AROA1",
        CreateDate: new Date(0),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });

    await expect(adapter.loadRole("eks-nodes")).resolves.toMatchObject({ arn: roleArn, tags: {} });
  });

  it("leaves out an inline policy deleted between listing and reading", async () => {
    givenRole();
    iam.on(GetRolePolicyCommand, { PolicyName: "inline-b" }).rejects(noSuchEntity());

    const role = await adapter.loadRole("eks-nodes");

    expect(role?.inlinePolicies).toEqual([{ name: "inline-a", document: inlineDocument }]);
  });

  it("returns undefined when the role no longer exists", async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity());
    iam.on(ListAttachedRolePoliciesCommand).rejects(noSuchEntity());
    iam.on(ListRolePoliciesCommand).rejects(noSuchEntity());

    await expect(adapter.loadRole("eks-nodes")).resolves.toBeUndefined();
    expect(iam).not.toHaveReceivedCommand(GetRolePolicyCommand);
  });

  it("wraps a failed listing in an AdapterError naming the call and role", async () => {
    const failure = new ServiceFailureException({ message: "boom", ...meta });
    givenRole();
    iam.on(ListRolePoliciesCommand).rejects(failure);

    const error = await adapter.loadRole("eks-nodes").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      operation: "IAM ListRolePolicies",
      resource: "role eks-nodes",
      message: "IAM ListRolePolicies failed for role eks-nodes: ServiceFailureException",
      cause: failure,
    });
  });

  it("sends GetRole and both listings before any of them answers", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held =
      <T>(output: T) =>
      async () => {
        await gate;
        return output;
      };
    iam.on(GetRoleCommand).callsFake(held({ Role: { Arn: roleArn, RoleName: "eks-nodes" } }));
    iam.on(ListAttachedRolePoliciesCommand).callsFake(held({ AttachedPolicies: [] }));
    iam.on(ListRolePoliciesCommand).callsFake(held({ PolicyNames: [] }));

    const loading = adapter.loadRole("eks-nodes");
    await vi.waitFor(() => {
      expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
      expect(iam).toHaveReceivedCommandTimes(ListAttachedRolePoliciesCommand, 1);
      expect(iam).toHaveReceivedCommandTimes(ListRolePoliciesCommand, 1);
    });
    release();

    await expect(loading).resolves.toMatchObject({ arn: roleArn, inlinePolicies: [] });
  });
});

describe("IamAdapter.loadManagedPolicy", () => {
  it("reads the document of the policy's default version", async () => {
    iam.on(GetPolicyCommand).resolves({
      Policy: { Arn: policyArn, PolicyName: "ecr-push", DefaultVersionId: "v3" },
    });
    iam.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: { Document: inlineDocument, VersionId: "v3", IsDefaultVersion: true },
    });

    await expect(adapter.loadManagedPolicy(policyArn)).resolves.toEqual({
      arn: policyArn,
      name: "ecr-push",
      document: inlineDocument,
    });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: policyArn });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, {
      PolicyArn: policyArn,
      VersionId: "v3",
    });
  });

  it("returns undefined when the policy no longer exists", async () => {
    iam.on(GetPolicyCommand).rejects(noSuchEntity());

    await expect(adapter.loadManagedPolicy(policyArn)).resolves.toBeUndefined();
    expect(iam).not.toHaveReceivedCommand(GetPolicyVersionCommand);
  });

  it("wraps a failed version read, naming the version", async () => {
    const failure = new ServiceFailureException({ message: "boom", ...meta });
    iam
      .on(GetPolicyCommand)
      .resolves({ Policy: { PolicyName: "ecr-push", DefaultVersionId: "v3" } });
    iam.on(GetPolicyVersionCommand).rejects(failure);

    const error = await adapter.loadManagedPolicy(policyArn).catch((e: unknown) => e);

    expect(error).toMatchObject({
      message: `IAM GetPolicyVersion failed for ${policyArn} version v3: ServiceFailureException`,
      cause: failure,
    });
  });
});

describe("IamAdapter.rolesAttachedTo", () => {
  it("lists the roles of every page, asking only for roles", async () => {
    iam
      .on(ListEntitiesForPolicyCommand)
      .resolvesOnce({ PolicyRoles: [{ RoleName: "eks-nodes" }], IsTruncated: true, Marker: "m" })
      .resolvesOnce({ PolicyRoles: [{ RoleName: "builder" }], IsTruncated: false });

    await expect(adapter.rolesAttachedTo(policyArn)).resolves.toEqual(["eks-nodes", "builder"]);
    expect(iam).toHaveReceivedNthCommandWith(ListEntitiesForPolicyCommand, 1, {
      PolicyArn: policyArn,
      EntityFilter: "Role",
    });
    expect(iam).toHaveReceivedNthCommandWith(ListEntitiesForPolicyCommand, 2, {
      PolicyArn: policyArn,
      EntityFilter: "Role",
      Marker: "m",
    });
  });

  it("returns undefined when the policy no longer exists", async () => {
    iam.on(ListEntitiesForPolicyCommand).rejects(noSuchEntity());

    await expect(adapter.rolesAttachedTo(policyArn)).resolves.toBeUndefined();
  });
});
