import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  paginateGetFindings,
  type SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { collect, request } from "./calls.ts";

/**
 * BatchImportFindings limits: 100 findings and 6 MB per request, 240 KB per finding. Sizes are
 * measured as UTF-8 JSON, with decimal units and room for the request's own envelope.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html
 */
export const IMPORT_LIMITS = {
  findings: 100,
  requestBytes: 6_000_000 - 1_000,
  findingBytes: 240_000,
} as const;

/** A finding Security Hub (or this adapter, before sending) refused. */
export interface FailedImport {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** What an import achieved: how many findings Security Hub accepted, and which it refused. */
export interface ImportOutcome {
  readonly imported: number;
  readonly requests: number;
  readonly failed: readonly FailedImport[];
}

/** Which findings of Security Hub are this tool's: one product, one generator prefix. */
export interface OwnFindingsFilter {
  readonly productArn: string;
  readonly accountId: string;
  readonly generatorIdPrefix: string;
}

/**
 * Security Hub as the destination of exported findings (ASFF). Failures of a call become
 * `AdapterError`s; findings Security Hub refuses inside a successful call are returned, never
 * dropped.
 */
export class SecurityHubExporter {
  constructor(
    private readonly client: SecurityHubClient,
    private readonly region: string,
  ) {}

  /**
   * Every ACTIVE finding of the filter's product, account and generator prefix, all pages.
   *
   * @see https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html
   */
  async activeFindings(filter: OwnFindingsFilter): Promise<AwsSecurityFinding[]> {
    const input = {
      Filters: {
        ProductArn: [{ Value: filter.productArn, Comparison: "EQUALS" as const }],
        AwsAccountId: [{ Value: filter.accountId, Comparison: "EQUALS" as const }],
        GeneratorId: [{ Value: filter.generatorIdPrefix, Comparison: "PREFIX" as const }],
        RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" as const }],
      },
      MaxResults: 100,
    };
    return request({ operation: "Security Hub GetFindings", resource: this.target() }, () =>
      collect(paginateGetFindings({ client: this.client }, input), (page) => page.Findings),
    );
  }

  /**
   * Imports findings in as few BatchImportFindings calls as the limits allow, one call after the
   * other (the API is throttled per account). A finding over the size limit is not sent and is
   * reported failed.
   *
   * @see https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
   */
  async importFindings(findings: readonly AwsSecurityFinding[]): Promise<ImportOutcome> {
    const { batches, oversized } = batchFindings(findings);
    const failed: FailedImport[] = oversized.map((finding) => ({
      id: finding.Id ?? "",
      code: "FindingTooLarge",
      message: `larger than ${IMPORT_LIMITS.findingBytes} bytes, not sent`,
    }));
    let imported = 0;
    for (const batch of batches) {
      const output = await request(
        { operation: "Security Hub BatchImportFindings", resource: this.target() },
        () => this.client.send(new BatchImportFindingsCommand({ Findings: batch })),
      );
      imported += output.SuccessCount ?? 0;
      for (const item of output.FailedFindings ?? []) {
        failed.push({
          id: item.Id ?? "",
          code: item.ErrorCode ?? "",
          message: item.ErrorMessage ?? "",
        });
      }
      const unexplained = (output.FailedCount ?? 0) - (output.FailedFindings?.length ?? 0);
      if (unexplained > 0) {
        const message = `${unexplained} finding(s) counted as failed without details`;
        failed.push({ id: "", code: "FailedCount", message });
      }
    }
    return { imported, requests: batches.length, failed };
  }

  private target(): string {
    return `region ${this.region}`;
  }
}

/**
 * Splits findings into batches within {@link IMPORT_LIMITS}, keeping their order; findings too
 * large to send at all are set apart.
 */
export function batchFindings(findings: readonly AwsSecurityFinding[]): {
  batches: AwsSecurityFinding[][];
  oversized: AwsSecurityFinding[];
} {
  const batches: AwsSecurityFinding[][] = [];
  const oversized: AwsSecurityFinding[] = [];
  let current: AwsSecurityFinding[] = [];
  let bytes = 0;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding), "utf8") + 1;
    if (size > IMPORT_LIMITS.findingBytes) {
      oversized.push(finding);
      continue;
    }
    if (current.length === IMPORT_LIMITS.findings || bytes + size > IMPORT_LIMITS.requestBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
