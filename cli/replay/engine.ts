import type { MemoryAccount } from "../../adapters/memory/index.ts";
import {
  type ChangeEvent,
  type EvaluationContext,
  evaluateClusterChange,
  evaluateManagedPolicyChange,
  evaluateRegistryChange,
  evaluateRepositoryChange,
  evaluateRoleChange,
  type Finding,
  parseRoleArn,
  type RegistryChangeTarget,
  type RemediationAction,
  type RoleChangeSummary,
} from "../../core/index.ts";
import { type ReplayAlert, ReplayAlerts } from "./alerts.ts";
import { applyChange } from "./apply.ts";
import type { ReplayEvent } from "./read-events.ts";

/** What replay did with one event. */
export interface ReplayResult {
  readonly eventId: string | undefined;
  readonly eventName: string | undefined;
  /** ARNs of the resources evaluated. */
  readonly resources: readonly string[];
  readonly findings: readonly Finding[];
  readonly alerts: readonly ReplayAlert[];
  readonly remediation: {
    readonly action: RemediationAction;
    readonly dryRun: boolean;
    /** JSON text written, or that would be written. */
    readonly policy?: string;
    readonly reason?: string;
    readonly outcome?: string;
  };
  /** What was applied to the account before evaluating. */
  readonly applied: string | undefined;
  /** Why the event was not evaluated. */
  readonly ignored: { readonly reason: string; readonly message: string } | undefined;
}

/** The settings of one replay. */
export interface ReplaySettings {
  readonly mode: "alert" | "remediate";
  readonly regions: readonly string[];
  readonly ctx: EvaluationContext;
}

type Evaluation = Pick<ReplayResult, "resources" | "findings" | "alerts" | "remediation">;

/**
 * Feeds events one by one through the use cases the handlers call, bound to an in-memory
 * account that each event changes first. An event ID seen before is skipped, as the handlers'
 * idempotency does; alerts are de-duplicated across events.
 */
export class ReplayEngine {
  private readonly alerts: ReplayAlerts;
  private readonly seen = new Set<string>();

  constructor(
    private readonly account: MemoryAccount,
    private readonly settings: ReplaySettings,
  ) {
    this.alerts = new ReplayAlerts(settings.ctx.now);
  }

  async replay(input: ReplayEvent): Promise<ReplayResult> {
    const { parsed } = input;
    if (parsed.outcome === "malformed") {
      const message = `${parsed.field}: ${parsed.message}`;
      return this.skipped(undefined, undefined, { reason: "malformed", message });
    }
    if (parsed.outcome === "ignored") {
      const { reason, message } = parsed;
      return this.skipped(parsed.record?.eventId, parsed.eventName, { reason, message });
    }
    const event = parsed.event;
    if (this.seen.has(event.eventId)) {
      const message = "this event ID was already processed (delivered twice): no second effect";
      return this.skipped(event.eventId, event.eventName, { reason: "duplicate", message });
    }
    this.seen.add(event.eventId);
    const applied = applyChange(this.account, event, input.record);
    const evaluation = await this.evaluate(event);
    return {
      eventId: event.eventId,
      eventName: event.eventName,
      ...evaluation,
      applied,
      ignored: undefined,
    };
  }

  private skipped(
    eventId: string | undefined,
    eventName: string | undefined,
    ignored: NonNullable<ReplayResult["ignored"]>,
  ): ReplayResult {
    const remediation = { action: "none" as const, dryRun: this.settings.mode === "alert" };
    const empty = { resources: [], findings: [], alerts: [], remediation };
    return { eventId, eventName, ...empty, applied: undefined, ignored };
  }

  private async evaluate(event: ChangeEvent): Promise<Evaluation> {
    const target = event.target;
    switch (target.kind) {
      case "repository":
        return this.repository(event, {
          region: target.region,
          registryId: target.registryId,
          name: target.repositoryName,
        });
      case "role":
        return this.roles(event, [
          await evaluateRoleChange(this.ports(), target.roleName, this.settings),
        ]);
      case "managed-policy": {
        const summary = await evaluateManagedPolicyChange(
          this.ports(),
          target.policyArn,
          this.settings,
        );
        return this.roles(event, summary.roles);
      }
      case "cluster": {
        const { region, clusterName } = target;
        const summary = await evaluateClusterChange(
          this.ports(),
          { region, clusterName },
          this.settings,
        );
        return this.roles(event, summary.found ? summary.roles : []);
      }
      case "registry":
      case "template":
        return this.registry(event, target);
    }
  }

  private async repository(
    event: ChangeEvent,
    ref: { region: string; registryId: string; name: string },
  ): Promise<Evaluation> {
    const ports = { repositories: this.account, snapshots: this.account, writer: this.account };
    const summary = await evaluateRepositoryChange(ports, ref, this.settings);
    const { action, dryRun, policy, reason, outcome } = summary.remediation;
    const remediation = { action, dryRun, ...(policy === undefined ? {} : { policy }) };
    const alert = this.alerts.decide({
      findings: summary.findings,
      event,
      resource: summary.resource,
      region: ref.region,
      accountId: ref.registryId,
      remediation,
    });
    return {
      resources: [summary.resource],
      findings: summary.findings,
      alerts: alert === undefined ? [] : [alert],
      remediation: { ...remediation, reason, ...(outcome === undefined ? {} : { outcome }) },
    };
  }

  /** A registry-level change: each resource it covers alerted on like a repository, never remediated. */
  private async registry(event: ChangeEvent, target: RegistryChangeTarget): Promise<Evaluation> {
    const ports = { registries: this.account };
    const summary = await evaluateRegistryChange(ports, target, this.settings);
    const remediation = { action: "none" as const, dryRun: this.settings.mode === "alert" };
    const alerts = summary.resources.flatMap(({ resource, findings }) => {
      const alert = this.alerts.decide({
        findings,
        event,
        resource,
        region: summary.region,
        accountId: summary.registryId,
        remediation,
      });
      return alert === undefined ? [] : [alert];
    });
    return {
      resources: summary.resources.map(({ resource }) => resource),
      findings: summary.resources.flatMap(({ findings }) => findings),
      alerts,
      remediation,
    };
  }

  private roles(event: ChangeEvent, summaries: readonly RoleChangeSummary[]): Evaluation {
    const remediation = { action: "none" as const, dryRun: this.settings.mode === "alert" };
    const judged = summaries.flatMap((summary) => (summary.found ? [summary] : []));
    const alerts = judged.flatMap((summary) => {
      const alert = this.alerts.decide({
        findings: summary.findings,
        event,
        resource: summary.resource,
        region: "global",
        accountId: parseRoleArn(summary.resource)?.accountId ?? event.accountId,
        remediation,
      });
      return alert === undefined ? [] : [alert];
    });
    return {
      resources: judged.map((summary) => summary.resource),
      findings: judged.flatMap((summary) => summary.findings),
      alerts,
      remediation,
    };
  }

  private ports() {
    const account = this.account;
    return { roles: account, managedPolicies: account, clusters: account, attachments: account };
  }
}
