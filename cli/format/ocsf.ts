import type { Finding, ScanReport, Severity } from "../../core/index.ts";
import { findingIds } from "./finding-id.ts";
import { type ResourceKind, resourcePartsOf } from "./resource-arn.ts";

/** The OCSF schema version the events follow. */
export const OCSF_VERSION = "1.3.0";

const CLASS_UID = 2003;
const ACTIVITY_CREATE = 1;

/** OCSF `severity_id` and its caption for each severity. */
const SEVERITY: Readonly<Record<Severity, readonly [number, string]>> = {
  critical: [5, "Critical"],
  high: [4, "High"],
  medium: [3, "Medium"],
  low: [2, "Low"],
};

/** OCSF resource `type`, named after the CloudFormation resource type where there is one. */
const RESOURCE_TYPE: Readonly<Record<ResourceKind, string>> = {
  repository: "AWS::ECR::Repository",
  role: "AWS::IAM::Role",
  registry: "AWS::ECR::Registry",
  "creation-template": "AWS::ECR::RepositoryCreationTemplate",
  other: "Other",
};

/**
 * A scan as OCSF Compliance Finding events (class 2003, category 2 Findings, activity Create),
 * one per finding: open findings with `status_id` 1 (New), findings an approved exception covers
 * with 3 (Suppressed). Compliance Finding rather than Detection Finding (2004) because every
 * finding is the result of evaluating a resource's configuration against a standard (the trust
 * zone and ecr-guard's rules), which is what 2003 describes; Detection Finding is for detections
 * of activity. `compliance.control` is the rule id, `compliance.status_id` 3 (Fail).
 * `finding_info.uid` is the stable id of {@link findingIds}; `time` is the scan's instant in
 * epoch milliseconds.
 *
 * @see https://schema.ocsf.io/1.3.0/classes/compliance_finding
 * @see https://schema.ocsf.io/1.3.0/objects/compliance
 */
export function toOcsfFindings(report: ScanReport): Record<string, unknown>[] {
  return [...ocsfFindings(report)];
}

/** {@link toOcsfFindings} one event at a time, so a large scan is never held whole. */
export function* ocsfFindings(report: ScanReport): Generator<Record<string, unknown>> {
  const all = [...report.findings, ...report.exempted];
  const ids = findingIds(all);
  for (const [index, finding] of all.entries())
    yield ocsfFinding(report, finding, ids[index] ?? "", index >= report.findings.length);
}

/**
 * Writes the events of {@link ocsfFindings} as one JSON array, byte for byte what
 * `JSON.stringify(toOcsfFindings(report), null, 2)` and a newline give, in pieces of about
 * `chunkSize` characters: a 100,000-repository scan streams instead of building a string of
 * hundreds of megabytes.
 */
export function writeOcsfFindings(
  report: ScanReport,
  write: (text: string) => void,
  chunkSize = 1 << 20,
): void {
  let pending = "[";
  let empty = true;
  for (const event of ocsfFindings(report)) {
    // JSON strings hold no raw line breaks, so indenting every line nests the event in the list.
    pending += `${empty ? "" : ","}\n  ${JSON.stringify(event, null, 2).replace(/\n/g, "\n  ")}`;
    empty = false;
    if (pending.length >= chunkSize) {
      write(pending);
      pending = "";
    }
  }
  write(empty ? "[]\n" : `${pending}\n]\n`);
}

/** The fields every event of this class and activity carries. */
const CLASS_FIELDS = {
  class_uid: CLASS_UID,
  class_name: "Compliance Finding",
  category_uid: 2,
  category_name: "Findings",
  activity_id: ACTIVITY_CREATE,
  activity_name: "Create",
  type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
  type_name: "Compliance Finding: Create",
  metadata: { version: OCSF_VERSION, product: { name: "ecr-guard", vendor_name: "ecr-guard" } },
} as const;

function ocsfFinding(
  report: ScanReport,
  finding: Finding,
  uid: string,
  suppressed: boolean,
): Record<string, unknown> {
  const [severityId, severity] = SEVERITY[finding.severity];
  const time = Date.parse(report.evaluatedAt);
  const parts = resourcePartsOf(finding.resource);
  const region = parts.region === undefined ? {} : { region: parts.region };
  return {
    ...CLASS_FIELDS,
    time,
    severity_id: severityId,
    severity,
    status_id: suppressed ? 3 : 1,
    status: suppressed ? "Suppressed" : "New",
    message: finding.message,
    finding_info: {
      uid,
      title: `${finding.rule}: ${finding.resource}`,
      desc: finding.message,
      types: [finding.rule],
      created_time: time,
    },
    compliance: {
      standards: ["ecr-guard trust zone"],
      control: finding.rule,
      status_id: 3,
      status: "Fail",
      status_detail: finding.message,
    },
    cloud: {
      provider: "AWS",
      account: { uid: report.accountId, type: "AWS Account", type_id: 10 },
      ...region,
    },
    resources: [
      {
        uid: finding.resource,
        type: RESOURCE_TYPE[parts.kind],
        ...region,
        ...(parts.partition === undefined ? {} : { cloud_partition: parts.partition }),
        data: evidenceOf(finding),
      },
    ],
  };
}

/** The finding's evidence, as the JSON output names it. */
function evidenceOf(finding: Finding): Record<string, unknown> {
  return {
    ...(finding.statement === undefined ? {} : { statement: finding.statement }),
    ...(finding.path === undefined ? {} : { path: finding.path }),
    principals: finding.principals,
    actions: finding.actions,
    accessLevels: finding.accessLevels,
    ...(finding.conditions === undefined ? {} : { conditions: finding.conditions }),
    ...(finding.details === undefined ? {} : { details: finding.details }),
  };
}
