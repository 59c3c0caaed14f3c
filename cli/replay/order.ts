import type { ChangeEvent } from "../../core/index.ts";

/**
 * The `eventTime` of the last change replay applied to each resource, so an older event arriving
 * after a newer one is not applied over it (CloudTrail delivers events out of order, and a
 * directory of event files has no order of its own).
 */
export interface ChangeOrder {
  /** Why `event` must not be applied (not newer than the last change applied), else undefined. */
  staleness(event: ChangeEvent, record: unknown): string | undefined;
  /** Remembers `event` as the last change applied to its resource. */
  record(event: ChangeEvent, record: unknown): void;
}

/** A fresh {@link ChangeOrder}: no change applied yet. */
export function changeOrderOf(): ChangeOrder {
  const applied = new Map<string, { readonly at: number; readonly eventTime: string }>();
  return {
    staleness(event, record) {
      const last = applied.get(resourceKey(event, record));
      const at = eventMillis(event.eventTime);
      if (last === undefined) return undefined;
      if (at !== undefined && at > last.at) return undefined;
      const when =
        at === undefined
          ? `its eventTime "${event.eventTime}" cannot be read`
          : `${event.eventTime} is not newer than ${last.eventTime}`;
      return `stale, not applied: ${when}, the last change applied to this resource; the current state is judged`;
    },
    record(event, record) {
      const at = eventMillis(event.eventTime);
      if (at !== undefined)
        applied.set(resourceKey(event, record), { at, eventTime: event.eventTime });
    },
  };
}

/**
 * The part of a resource a change sets, as replay models it: changes to different parts (two
 * inline policies of one role, a registry's policy and its policy scope) do not order each other.
 */
function resourceKey({ target, eventName }: ChangeEvent, record: unknown): string {
  switch (target.kind) {
    case "repository":
      return `repository ${target.region}/${target.registryId}/${target.repositoryName}`;
    case "registry":
      return `registry ${target.region} ${eventName === "PutAccountSetting" ? "scope" : "policy"}`;
    case "template":
      return `template ${target.region}/${target.prefix}`;
    case "role": {
      const params = requestParameters(record);
      const part = params.policyArn ?? params.policyName ?? eventName;
      return `role ${target.roleName} ${String(part)}`;
    }
    case "managed-policy":
      return `policy ${target.policyArn}`;
    case "cluster":
      return `cluster ${target.region}/${target.clusterName}`;
  }
}

/**
 * CloudTrail's `eventTime` in milliseconds. CloudTrail writes ISO 8601 in UTC with a `Z`; some
 * exports write `2026-11-23 09:14:05.000` without a zone, which is UTC too (never local time).
 */
export function eventMillis(eventTime: string): number | undefined {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(eventTime);
  const millis = Date.parse(zoned ? eventTime : `${eventTime.replace(" ", "T")}Z`);
  return Number.isNaN(millis) ? undefined : millis;
}

function requestParameters(record: unknown): Readonly<Record<string, unknown>> {
  if (typeof record !== "object" || record === null) return {};
  const params = (record as Record<string, unknown>).requestParameters;
  return typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {};
}
