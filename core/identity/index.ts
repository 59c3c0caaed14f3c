export { ecrWriteActionsOfPolicy, ecrWriteGrants } from "./ecr-write-grants.ts";
export type { ResourceSpace } from "./resources.ts";
export { resourceSpace } from "./resources.ts";
export type {
  DenyNote,
  EcrWriteGrant,
  GrantScope,
  IdentityPolicySource,
  StatementOrigin,
} from "./types.ts";
