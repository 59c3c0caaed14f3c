export { identifyNodeRoles } from "./identify.ts";
export type { RolePolicies } from "./policy-sources.ts";
export { rolePolicies } from "./policy-sources.ts";
export type { RoleIdentity } from "./role-arn.ts";
export { parseRoleArn, roleKey } from "./role-arn.ts";
export type { NodeAccessEntryType, NodeRoleEvidence, NodeRoleSubject } from "./types.ts";
