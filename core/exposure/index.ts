export { analyseResourcePolicy, EXPOSED_AUDIENCES } from "./analyse.ts";
export { exposureOf } from "./cache.ts";
export { statementLabel, statementPath } from "./paths.ts";
export type {
  Audience,
  CallerKind,
  Grant,
  Indeterminate,
  IndeterminateCode,
  PolicyExposure,
} from "./types.ts";
