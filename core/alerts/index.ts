/** Alerts to owners: building, routing and de-duplicating them. */
export { type AlertInput, buildAlert, buildNoticeAlert, summariseRemediation } from "./build.ts";
export { findingKey, fingerprintFindings } from "./fingerprint.ts";
export {
  emptyRecord,
  isIntentWritten,
  type JournalEntry,
  type RemediationIntent,
  type RemediationWrite,
  recordIntent,
  wholeSecondsWindow,
} from "./journal.ts";
export {
  type AlertChannel,
  type AlertRecord,
  decideAlertLifecycle,
  type FindingLifecycle,
  isRemediationWritten,
  type LifecycleDecision,
  type LifecycleOptions,
  type PendingAlert,
  type Resolution,
} from "./lifecycle.ts";
export {
  MAX_SLACK_FAILURES,
  markDelivered,
  markSlackFailed,
  queueAlert,
  type SlackFailure,
} from "./outbox.ts";
export { type AlertResource, describeResource } from "./resource.ts";
export { type AlertRoute, type AlertRouting, routeAlert } from "./route.ts";
export {
  type AlertDecision,
  type AlertSend,
  type AlertState,
  type AlertTiming,
  nextAlertState,
} from "./state.ts";
export type {
  Alert,
  AlertChange,
  AlertNotice,
  AlertRemediation,
  AlertRemediationInput,
  RemediationAction,
  ResourceKind,
} from "./types.ts";
