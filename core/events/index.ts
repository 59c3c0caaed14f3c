/** CloudTrail change events: the watched-call catalogue and the event parser. */
export {
  findWatchedEvent,
  type TargetKind,
  WATCHED_EVENT_SOURCES,
  WATCHED_EVENTS,
  type WatchedEvent,
  type WatchedEventSource,
  watchedEventNames,
} from "./catalogue.ts";
export { CLOUDTRAIL_API_CALL_DETAIL_TYPE, parseChangeEvent, parseCloudTrailFile } from "./parse.ts";
export { eventInstant } from "./time.ts";
export type {
  Actor,
  ChangeEvent,
  ChangeEventResult,
  ChangeTarget,
  CloudTrailFileResult,
  EventRecord,
  IgnoreReason,
} from "./types.ts";
