import type { AwsSecurityFinding, Partition, SeverityLabel } from "@aws-sdk/client-securityhub";
import type { Finding, ScanReport, Severity } from "../../core/index.ts";
import { findingIds } from "./finding-id.ts";
import { type ResourceKind, resourcePartsOf } from "./resource-arn.ts";

/** Every ecr-guard finding's `GeneratorId` starts with this, so a re-scan can find its own. */
export const GENERATOR_PREFIX = "ecr-guard/";

/** ASFF limits on string lengths (characters). */
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;
const MAX_PRODUCT_FIELD = 2048;

const LABEL: Readonly<Record<Severity, SeverityLabel>> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
};

const RESOURCE_TYPE: Readonly<Record<ResourceKind, string>> = {
  repository: "AwsEcrRepository",
  role: "AwsIamRole",
  registry: "Other",
  "creation-template": "Other",
  other: "Other",
};

/** Where the findings go: the Security Hub region and the account they belong to. */
export interface AsffTarget {
  readonly region: string;
  readonly accountId: string;
  /** `CreatedAt` of findings Security Hub already holds, by `Id`, kept on update. */
  readonly createdAt: ReadonlyMap<string, string>;
}

/**
 * The default product ARN of an account's own findings in a region (custom integration).
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-providers.html
 */
export function productArnOf(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * A scan's open findings as ASFF, one per finding (findings an exception covers are left out, so
 * a finding that gains an exception is resolved like one that was fixed). `Id` is the stable id
 * of {@link findingIds}, so importing again updates the finding; `GeneratorId` is
 * `ecr-guard/<rule>`; `CreatedAt` is kept from `target.createdAt` when Security Hub already
 * holds the finding. Severity and Types are also given in `FindingProviderFields`, the only
 * place a provider may update them; `Workflow` NEW only counts when the finding is created.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html
 */
export function toAsffFindings(report: ScanReport, target: AsffTarget): AwsSecurityFinding[] {
  const ids = findingIds(report.findings);
  return report.findings.map((finding, index) => {
    const id = ids[index] ?? "";
    return asffFinding(finding, id, report, target);
  });
}

function asffFinding(
  finding: Finding,
  id: string,
  report: ScanReport,
  target: AsffTarget,
): AwsSecurityFinding {
  const severity = { Label: LABEL[finding.severity], Original: finding.severity };
  const types = [`Software and Configuration Checks/AWS Security Best Practices/${finding.rule}`];
  const parts = resourcePartsOf(finding.resource);
  return {
    SchemaVersion: "2018-10-08",
    Id: id,
    ProductArn: productArnOf(target.region, target.accountId),
    ProductName: "ecr-guard",
    CompanyName: "ecr-guard",
    GeneratorId: `${GENERATOR_PREFIX}${finding.rule}`,
    AwsAccountId: target.accountId,
    Types: types,
    CreatedAt: target.createdAt.get(id) ?? report.evaluatedAt,
    UpdatedAt: report.evaluatedAt,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types },
    Title: clip(`${finding.rule}: ${finding.resource}`, MAX_TITLE),
    Description: clip(finding.message, MAX_DESCRIPTION),
    Resources: [
      {
        Type: RESOURCE_TYPE[parts.kind],
        Id: finding.resource,
        Partition: partitionOf(parts.region ?? target.region),
        Region: parts.region ?? target.region,
      },
    ],
    ProductFields: productFieldsOf(finding),
    RecordState: "ACTIVE",
    Workflow: { Status: "NEW" },
  };
}

/**
 * The findings Security Hub holds as ACTIVE that the scan no longer reports, re-imported with
 * `RecordState` ARCHIVED: the way a provider resolves its own findings (`Workflow` cannot be
 * changed through BatchImportFindings once a finding exists). Only the provider's own fields are
 * sent back; Security Hub's `aws/…` product fields are its own.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html
 */
export function archivedFindings(
  previous: readonly AwsSecurityFinding[],
  current: readonly AwsSecurityFinding[],
  now: string,
): AwsSecurityFinding[] {
  const still = new Set(current.map((finding) => finding.Id));
  return previous
    .filter((finding) => !still.has(finding.Id))
    .map((finding) => ({
      SchemaVersion: finding.SchemaVersion,
      Id: finding.Id,
      ProductArn: finding.ProductArn,
      GeneratorId: finding.GeneratorId,
      AwsAccountId: finding.AwsAccountId,
      Types: finding.Types,
      CreatedAt: finding.CreatedAt,
      UpdatedAt: now,
      Severity: finding.Severity,
      Title: finding.Title,
      Description: finding.Description,
      Resources: finding.Resources,
      ProductFields: ownProductFields(finding.ProductFields),
      RecordState: "ARCHIVED",
    }));
}

function productFieldsOf(finding: Finding): Record<string, string> {
  return ownProductFields({
    "ecr-guard/rule": finding.rule,
    "ecr-guard/path": finding.path ?? "",
    "ecr-guard/principals": finding.principals.join(", "),
    "ecr-guard/actions": finding.actions.join(", "),
  });
}

function ownProductFields(fields: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields ?? {})
      .filter(([key, value]) => key.startsWith(GENERATOR_PREFIX) && value !== "")
      .map(([key, value]) => [key, clip(value, MAX_PRODUCT_FIELD)]),
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}
