import type { MemoryAccount } from "../../adapters/memory/index.ts";
import { type ChangeEvent, REGISTRY_POLICY_SCOPES, type Role } from "../../core/index.ts";

type Parameters = Readonly<Record<string, unknown>>;

/**
 * Applies a replayed event's change to the in-memory account, so the evaluation that follows
 * reads the state the call left behind, as the handlers re-read AWS. Only the changes the
 * request fully describes are modelled; any other event is re-evaluated against the account as
 * it stands.
 * @returns one sentence saying what was changed, or that nothing was.
 */
export function applyChange(account: MemoryAccount, event: ChangeEvent, record: unknown): string {
  const params = requestParameters(record);
  const target = event.target;
  if (event.eventName === "SetRepositoryPolicy" && target.kind === "repository") {
    const text = stringParam(params, "policyText");
    if (text === undefined) return "no policyText in the request: re-evaluated only";
    const ref = {
      region: target.region,
      registryId: target.registryId,
      name: target.repositoryName,
    };
    return account.applyRepositoryPolicy(ref, text)
      ? `set the policy of repository ${target.repositoryName} from the request`
      : `repository ${target.repositoryName} is not in the snapshot: nothing applied`;
  }
  if (event.eventName === "CreatePolicyVersion" && target.kind === "managed-policy") {
    return applyPolicyVersion(account, target.policyArn, params);
  }
  if (event.eventName === "PutRegistryPolicy" && target.kind === "registry") {
    const text = stringParam(params, "policyText");
    if (text === undefined) return "no policyText in the request: re-evaluated only";
    account.applyRegistryPolicy(target.region, text);
    return `set the registry policy of ${target.region} from the request`;
  }
  if (event.eventName === "PutAccountSetting" && target.kind === "registry") {
    return applyAccountSetting(account, target.region, params);
  }
  if (target.kind === "role")
    return applyRoleChange(account, event.eventName, target.roleName, params);
  return `replay does not model ${event.eventName}: re-evaluated only`;
}

/** A `REGISTRY_POLICY_SCOPE` setting changes which registry policy actions ECR enforces. */
function applyAccountSetting(account: MemoryAccount, region: string, params: Parameters): string {
  const name = stringParam(params, "name");
  if (name !== "REGISTRY_POLICY_SCOPE") return `account setting ${name}: re-evaluated only`;
  const value = stringParam(params, "value");
  const scope = REGISTRY_POLICY_SCOPES.find((candidate) => candidate === value);
  if (scope === undefined)
    return `registry policy scope ${value} is not V1 or V2: re-evaluated only`;
  account.applyRegistryPolicyScope(region, scope);
  return `set the registry policy scope of ${region} to ${scope} from the request`;
}

function applyRoleChange(
  account: MemoryAccount,
  eventName: string,
  roleName: string,
  params: Parameters,
): string {
  const role = account.inventory().roles.find((candidate) => candidate.name === roleName);
  if (role === undefined) return `role ${roleName} is not in the snapshot: nothing applied`;
  const changed = changedRole(role, eventName, params);
  if (changed === undefined) return `replay does not model ${eventName}: re-evaluated only`;
  account.applyRole(changed.role);
  return `${changed.description} role ${roleName}`;
}

function changedRole(
  role: Role,
  eventName: string,
  params: Parameters,
): { readonly role: Role; readonly description: string } | undefined {
  const policyArn = stringParam(params, "policyArn");
  const policyName = stringParam(params, "policyName");
  const attached = role.attachedPolicyArns.filter((arn) => arn !== policyArn);
  const inline = role.inlinePolicies.filter((policy) => policy.name !== policyName);
  switch (eventName) {
    case "AttachRolePolicy":
      if (policyArn === undefined) return undefined;
      return {
        role: { ...role, attachedPolicyArns: [...attached, policyArn] },
        description: `attached ${policyArn} to`,
      };
    case "DetachRolePolicy":
      return {
        role: { ...role, attachedPolicyArns: attached },
        description: `detached ${policyArn} from`,
      };
    case "PutRolePolicy": {
      const document = stringParam(params, "policyDocument");
      if (policyName === undefined || document === undefined) return undefined;
      const inlinePolicies = [...inline, { name: policyName, document }];
      return {
        role: { ...role, inlinePolicies },
        description: `put inline policy ${policyName} on`,
      };
    }
    case "DeleteRolePolicy":
      return {
        role: { ...role, inlinePolicies: inline },
        description: `deleted inline policy ${policyName} of`,
      };
    default:
      return undefined;
  }
}

function applyPolicyVersion(account: MemoryAccount, policyArn: string, params: Parameters): string {
  const document = stringParam(params, "policyDocument");
  if (document === undefined) return "no policyDocument in the request: re-evaluated only";
  const existing = account.inventory().managedPolicies.get(policyArn);
  const name = existing?.name ?? policyArn.slice(policyArn.lastIndexOf("/") + 1);
  account.applyManagedPolicy({ arn: policyArn, name, document });
  return `made the new version the default of ${policyArn}`;
}

function requestParameters(record: unknown): Parameters {
  if (typeof record !== "object" || record === null) return {};
  const params = (record as Parameters).requestParameters;
  return typeof params === "object" && params !== null ? (params as Parameters) : {};
}

function stringParam(params: Parameters, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" ? value : undefined;
}
