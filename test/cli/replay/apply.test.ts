import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import { applyChange } from "../../../cli/replay/apply.ts";
import type { ChangeEvent, ChangeTarget, Role } from "../../../core/index.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  customerPolicy,
  policyMap,
  role,
} from "../../support/iam.ts";
import { OWNER } from "../../support/trust-context.ts";

const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
const extras = customerPolicy("extras", { Version: "2012-10-17", Statement: [] });
const node = role("node", {
  attachedPolicyArns: [POWER_USER],
  inlinePolicies: [{ name: "old", document: "{}" }],
});

function accountOf(): MemoryAccount {
  return new MemoryAccount({
    accountId: OWNER,
    roles: [node],
    managedPolicies: policyMap(awsManagedPolicy("AmazonEC2ContainerRegistryPowerUser"), extras),
    repositories: [],
    registries: [],
    clusters: [],
  });
}

function event(eventName: string, target: ChangeTarget): ChangeEvent {
  const actor = { type: undefined, arn: undefined, principalId: undefined, accountId: undefined };
  return {
    eventId: "e",
    eventName,
    eventSource: "iam.amazonaws.com",
    eventTime: "2026-11-23T00:00:00Z",
    region: "us-east-1",
    accountId: OWNER,
    actor,
    sourceIp: undefined,
    userAgent: undefined,
    succeeded: true,
    target,
  };
}

const onRole = (eventName: string, requestParameters: Record<string, unknown>) => {
  const account = accountOf();
  const record = { requestParameters: { roleName: "node", ...requestParameters } };
  const note = applyChange(account, event(eventName, { kind: "role", roleName: "node" }), record);
  const changed = account.inventory().roles.find((r) => r.name === "node") as Role;
  return { note, changed };
};

describe("applyChange", () => {
  it("detaches a managed policy from the role", () => {
    const { note, changed } = onRole("DetachRolePolicy", { policyArn: POWER_USER });
    expect([note, changed.attachedPolicyArns]).toEqual([
      { status: "applied", message: `detached ${POWER_USER} from role node` },
      [],
    ]);
  });

  it("puts and deletes inline policies", () => {
    const put = onRole("PutRolePolicy", { policyName: "new", policyDocument: '{"Statement":[]}' });
    expect(put.changed.inlinePolicies).toEqual([
      { name: "old", document: "{}" },
      { name: "new", document: '{"Statement":[]}' },
    ]);
    const deleted = onRole("DeleteRolePolicy", { policyName: "old" });
    expect([deleted.note, deleted.changed.inlinePolicies]).toEqual([
      { status: "applied", message: "deleted inline policy old of role node" },
      [],
    ]);
  });

  it("changes nothing it does not model, and says so", () => {
    const { note, changed } = onRole("PutRolePermissionsBoundary", { permissionsBoundary: "x" });
    expect([note, changed]).toEqual([
      {
        status: "not-modelled",
        message:
          "replay does not model PutRolePermissionsBoundary: the account judged as it stands",
      },
      node,
    ]);
    const account = accountOf();
    const missing = event("AttachRolePolicy", { kind: "role", roleName: "gone" });
    expect(applyChange(account, missing, {})).toEqual({
      status: "not-modelled",
      message: "role gone is not in the snapshot",
    });
    const replication = event("PutReplicationConfiguration", {
      kind: "registry",
      region: "eu-west-1",
    });
    expect(applyChange(account, replication, {}).status).toBe("not-modelled");
  });

  it("says when the event carries no policy to apply, and applies one given as a JSON object", () => {
    const put = onRole("PutRolePolicy", { policyName: "new", policyDocument: 42 });
    expect([put.note.status, put.changed]).toEqual(["not-carried", node]);
    const asObject = onRole("PutRolePolicy", {
      policyName: "new",
      policyDocument: { Statement: [] },
    });
    expect(asObject.changed.inlinePolicies.at(-1)).toEqual({
      name: "new",
      document: '{"Statement":[]}',
    });
  });

  it("sets the registry policy a PutRegistryPolicy request carries", () => {
    const account = accountOf();
    const registry = event("PutRegistryPolicy", { kind: "registry", region: "eu-west-1" });
    const policyText = '{"Version":"2012-10-17","Statement":[]}';
    expect(applyChange(account, registry, { requestParameters: { policyText } })).toEqual({
      status: "applied",
      message: "set the registry policy of eu-west-1 from the event",
    });
    expect(
      account.inventory().registries.find((candidate) => candidate.region === "eu-west-1")?.policy,
    ).toBe(policyText);
    expect(applyChange(account, registry, { requestParameters: null })).toEqual({
      status: "not-carried",
      message: "the event carries no policyText (neither text nor a JSON object): nothing to judge",
    });
    const answered = { requestParameters: null, responseElements: { policyText: "{}" } };
    expect(applyChange(account, registry, answered).status).toBe("applied");
  });

  it("sets the registry policy scope a PutAccountSetting request carries", () => {
    const account = accountOf();
    const setting = event("PutAccountSetting", { kind: "registry", region: "eu-west-1" });
    const apply = (requestParameters: Record<string, unknown>) =>
      applyChange(account, setting, { requestParameters }).message;
    const scope = () =>
      account.inventory().registries.find((candidate) => candidate.region === "eu-west-1")
        ?.policyScope;
    expect(apply({ name: "BASIC_SCAN_TYPE_VERSION", value: "AWS_NATIVE" })).toBe(
      "account setting BASIC_SCAN_TYPE_VERSION does not change what is judged",
    );
    expect(scope()).toBeUndefined();
    expect(apply({ name: "REGISTRY_POLICY_SCOPE", value: "V1" })).toBe(
      "set the registry policy scope of eu-west-1 to V1 from the event",
    );
    expect(scope()).toBe("V1");
    expect(apply({ name: "REGISTRY_POLICY_SCOPE", value: "v9" })).toBe(
      "registry policy scope v9 is not V1 or V2: nothing applied",
    );
    expect(scope()).toBe("V1");
  });

  it("makes a new policy version the default", () => {
    const account = accountOf();
    const document = '{"Version":"2012-10-17","Statement":[]}';
    const target: ChangeTarget = { kind: "managed-policy", policyArn: extras.arn };
    const record = {
      requestParameters: { policyArn: extras.arn, policyDocument: document, setAsDefault: true },
    };
    expect(applyChange(account, event("CreatePolicyVersion", target), record)).toEqual({
      status: "applied",
      message: `made the new version the default of ${extras.arn}`,
    });
    expect(account.inventory().managedPolicies.get(extras.arn)).toEqual({ ...extras, document });
  });
});
