import type { MemoryAccount } from "../../adapters/memory/index.ts";
import { type ChangeEvent, REGISTRY_POLICY_SCOPES, type Role } from "../../core/index.ts";

type Parameters = Readonly<Record<string, unknown>>;

/**
 * What replay did to the in-memory account for one event: `applied` (the account now holds what
 * the call left behind), `not-modelled` (nothing changed; the handler judges the account as it
 * stands, and the message says so), or `not-carried` (the call changes a policy but the event
 * holds no policy to apply: nothing can be judged, the event is reported as not evaluated).
 */
export interface AppliedChange {
  readonly status: "applied" | "not-modelled" | "not-carried";
  /** One sentence saying what was changed, or why nothing was. */
  readonly message: string;
}

const applied = (message: string): AppliedChange => ({ status: "applied", message });
const notModelled = (message: string): AppliedChange => ({ status: "not-modelled", message });

/**
 * Applies a replayed event's change to the in-memory account, so the evaluation that follows
 * reads the state the call left behind, as the handlers re-read AWS. Only the changes the event
 * fully describes are modelled. A policy is taken from `requestParameters`, else from
 * `responseElements` (CloudTrail records both for SetRepositoryPolicy and PutRegistryPolicy); a
 * policy given as a JSON object rather than text is applied as that object's JSON.
 */
export function applyChange(
  account: MemoryAccount,
  event: ChangeEvent,
  record: unknown,
): AppliedChange {
  const params = requestParameters(record);
  const target = event.target;
  if (event.eventName === "SetRepositoryPolicy" && target.kind === "repository") {
    const text = policyParam(record, "policyText");
    if (text === undefined) return notCarried("policyText");
    const ref = {
      region: target.region,
      registryId: target.registryId,
      name: target.repositoryName,
    };
    account.applyRepositoryPolicy(ref, text);
    return applied(`set the policy of repository ${target.repositoryName} from the event`);
  }
  if (event.eventName === "CreatePolicyVersion" && target.kind === "managed-policy") {
    return applyPolicyVersion(account, target.policyArn, record);
  }
  if (event.eventName === "PutRegistryPolicy" && target.kind === "registry") {
    const text = policyParam(record, "policyText");
    if (text === undefined) return notCarried("policyText");
    account.applyRegistryPolicy(target.region, text);
    return applied(`set the registry policy of ${target.region} from the event`);
  }
  if (event.eventName === "PutAccountSetting" && target.kind === "registry") {
    return applyAccountSetting(account, target.region, params);
  }
  if (target.kind === "role")
    return applyRoleChange(account, event.eventName, target.roleName, record);
  return notModelled(`replay does not model ${event.eventName}: the account judged as it stands`);
}

function notCarried(field: string): AppliedChange {
  return {
    status: "not-carried",
    message: `the event carries no ${field} (neither text nor a JSON object): nothing to judge`,
  };
}

/** A `REGISTRY_POLICY_SCOPE` setting changes which registry policy actions ECR enforces. */
function applyAccountSetting(
  account: MemoryAccount,
  region: string,
  params: Parameters,
): AppliedChange {
  const name = stringParam(params, "name");
  if (name !== "REGISTRY_POLICY_SCOPE")
    return notModelled(`account setting ${name} does not change what is judged`);
  const value = stringParam(params, "value");
  const scope = REGISTRY_POLICY_SCOPES.find((candidate) => candidate === value);
  if (scope === undefined)
    return notModelled(`registry policy scope ${value} is not V1 or V2: nothing applied`);
  account.applyRegistryPolicyScope(region, scope);
  return applied(`set the registry policy scope of ${region} to ${scope} from the event`);
}

function applyRoleChange(
  account: MemoryAccount,
  eventName: string,
  roleName: string,
  record: unknown,
): AppliedChange {
  const role = account.inventory().roles.find((candidate) => candidate.name === roleName);
  if (role === undefined) return notModelled(`role ${roleName} is not in the snapshot`);
  if (eventName === "PutRolePolicy" && policyParam(record, "policyDocument") === undefined)
    return notCarried("policyDocument");
  const changed = changedRole(role, eventName, requestParameters(record), record);
  if (changed === undefined)
    return notModelled(`replay does not model ${eventName}: the account judged as it stands`);
  account.applyRole(changed.role);
  return applied(`${changed.description} role ${roleName}`);
}

function changedRole(
  role: Role,
  eventName: string,
  params: Parameters,
  record: unknown,
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
      const document = policyParam(record, "policyDocument");
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

function applyPolicyVersion(
  account: MemoryAccount,
  policyArn: string,
  record: unknown,
): AppliedChange {
  const document = policyParam(record, "policyDocument");
  if (document === undefined) return notCarried("policyDocument");
  const existing = account.inventory().managedPolicies.get(policyArn);
  const name = existing?.name ?? policyArn.slice(policyArn.lastIndexOf("/") + 1);
  account.applyManagedPolicy({ arn: policyArn, name, document });
  return applied(`made the new version the default of ${policyArn}`);
}

function requestParameters(record: unknown): Parameters {
  return objectAt(record, "requestParameters");
}

function objectAt(record: unknown, key: string): Parameters {
  if (typeof record !== "object" || record === null) return {};
  const value = (record as Parameters)[key];
  return typeof value === "object" && value !== null ? (value as Parameters) : {};
}

/**
 * A policy the event carries under `key`: in `requestParameters`, else in `responseElements`; as
 * text, or as a JSON object (serialised). Undefined when neither holds one.
 */
function policyParam(record: unknown, key: string): string | undefined {
  for (const part of ["requestParameters", "responseElements"]) {
    const value = objectAt(record, part)[key];
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return JSON.stringify(value);
  }
  return undefined;
}

function stringParam(params: Parameters, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" ? value : undefined;
}
