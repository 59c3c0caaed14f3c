import type { Grant, PolicyExposure } from "../../../core/exposure/types.ts";

/** A grant without its statement object: everything a verdict consists of, for table tests. */
export interface GrantSummary {
  path: string;
  principal: string;
  audience: Grant["audience"];
  accounts: readonly string[];
  organizations: readonly string[];
  actions: string[];
  notes: readonly string[];
  narrowedBy?: string;
  unresolved: readonly string[];
}

export function summarise(exposure: PolicyExposure): GrantSummary[] {
  return exposure.grants.map((grant) => ({
    path: grant.path,
    principal: grant.principal,
    audience: grant.audience,
    accounts: grant.accounts,
    organizations: grant.organizations,
    actions: grant.actions.map((action) => action.name),
    notes: grant.conditionNotes,
    ...(grant.narrowedBy === undefined ? {} : { narrowedBy: grant.narrowedBy }),
    unresolved: grant.unresolved,
  }));
}

/** A summary with defaults for the fields most cases leave empty. */
export function grant(
  fields: Partial<GrantSummary> & Pick<GrantSummary, "principal" | "audience">,
): GrantSummary {
  return {
    path: "$.Statement[0]",
    accounts: [],
    organizations: [],
    actions: PULL,
    notes: [],
    unresolved: [],
    ...fields,
  };
}

/** The two actions AWS's Lambda and cross-account pull examples grant. */
export const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
