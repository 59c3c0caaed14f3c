import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Aspects } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { type SynthesisMessage, SynthesisMessageLevel } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks, NagSuppressions } from "cdk-nag";
import { App, getStack, type Stack } from "sst/constructs";
import type { FunctionalStack } from "sst/constructs/FunctionalStack.js";
import { initProject, setProject, useProject } from "sst/project.js";
import { type DeploySettings, trustConfigAsJson } from "../../stacks/settings.ts";

/** How long a hook that synthesises may take: a cold import of aws-cdk-lib and sst is slow. */
export const SYNTH_TIMEOUT_MS = 60_000;

/** The region stacks are synthesised in unless a test names one (sst.config.ts requires one). */
export const DEFAULT_TEST_REGION = "us-east-1";

/** The account every synthesised test stack is placed in, so ARNs in assertions are concrete. */
export const TEST_ACCOUNT = "123456789012";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface SynthOptions {
  /** SST stage; "test" unless given. */
  readonly stage?: string;
  /** Region, as `--region` gives it; {@link DEFAULT_TEST_REGION} unless given. */
  readonly region?: string;
  /** Stacks the stack under test `use`s, initialised first in this order. */
  readonly uses?: readonly FunctionalStack<unknown>[];
  /**
   * Bundle the functions with esbuild as `sst deploy` does (the default). When false, the stacks
   * are synthesised as SST synthesises stacks a deploy filters out: functions get placeholder
   * inline code and no handler is built, which keeps tests fast and independent of the handlers.
   */
  readonly bundle?: boolean;
}

/** One unsuppressed cdk-nag AwsSolutions finding. */
export interface NagFinding {
  /** Rule id, e.g. "AwsSolutions-SQS3" or, for granular rules, "AwsSolutions-IAM5[Resource::*]". */
  readonly rule: string;
  /** Construct path of the offending resource. */
  readonly path: string;
  readonly message: string;
}

export interface SynthesizedStack {
  readonly template: Template;
  readonly nagErrors: readonly NagFinding[];
  readonly nagWarnings: readonly NagFinding[];
}

/**
 * Synthesises one SST stack offline the way `sst deploy` would (initProject on sst.config.ts, App
 * in deploy mode, functions bundled by `app.finish()`), with cdk-nag AwsSolutions checks applied
 * to the whole app, and returns its template and its unsuppressed nag findings.
 * Needs NODE_ENV=test (vitest sets it): it is what stops `app.finish()` looking up SST's bootstrap
 * stack in AWS, the only network call on this path.
 */
export async function synthStack(
  stackFn: FunctionalStack<unknown>,
  options: SynthOptions = {},
): Promise<SynthesizedStack> {
  if (process.env.NODE_ENV !== "test") {
    throw new Error("synthStack needs NODE_ENV=test, or SST's App.finish() calls AWS");
  }
  const stage = options.stage ?? "test";
  await initProject({ root: ROOT, stage, region: options.region ?? DEFAULT_TEST_REGION });
  const out = await isolateBuildOutput();
  try {
    const app = createApp(stage, out, options.bundle ?? true);
    for (const used of [...(options.uses ?? []), stackFn]) {
      await app.stack(used);
      suppressSstFrameworkFindings(getStack(used));
    }
    await app.finish();
    // Synthesise exactly once: SST's unique-construct-id aspect throws when it runs a second
    // time, as Template.fromStack and Annotations.fromStack would each make it.
    const artifact = app.synth().getStackArtifact(getStack(stackFn).artifactId);
    return {
      template: Template.fromJSON(artifact.template),
      nagErrors: nagFindings(artifact.messages, SynthesisMessageLevel.ERROR),
      nagWarnings: nagFindings(artifact.messages, SynthesisMessageLevel.WARNING),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function createApp(stage: string, out: string, bundle: boolean): App {
  const { config } = useProject();
  const app = new App(
    {
      mode: "deploy",
      name: config.name,
      stage,
      region: config.region,
      account: TEST_ACCOUNT,
      ...(bundle ? {} : { isActiveStack: () => false }),
    },
    { outdir: join(out, "cdk.out") },
  );
  Aspects.of(app).add(new AwsSolutionsChecks());
  return app;
}

/**
 * SST writes generated types and function bundles under the project's `.sst/`; a fresh
 * directory per synthesis keeps parallel test files from deleting each other's bundles.
 */
async function isolateBuildOutput(): Promise<string> {
  const project = useProject();
  const out = await mkdtemp(join(tmpdir(), "ecr-guard-synth-"));
  setProject({ ...project, paths: { ...project.paths, out, artifacts: join(out, "artifacts") } });
  return out;
}

const NAG_RULE = /^(AwsSolutions-[A-Za-z0-9]+(?:\[.*?\])?):/;

function nagFindings(
  messages: readonly SynthesisMessage[],
  level: SynthesisMessageLevel,
): NagFinding[] {
  return messages.flatMap((message) => {
    const text = String(message.entry.data).trim();
    const rule = NAG_RULE.exec(text)?.[1];
    return message.level === level && rule ? [{ rule, path: message.id, message: text }] : [];
  });
}

/**
 * Every SST stack carries SST's own custom-resource handler (`stack.customResourceHandler`); its
 * code, runtime and role come from the sst package, not from this repository.
 */
function suppressSstFrameworkFindings(stack: Stack): void {
  NagSuppressions.addResourceSuppressions(
    stack.customResourceHandler,
    [
      {
        id: "AwsSolutions-IAM4",
        reason:
          "SST's framework custom-resource handler logs through AWSLambdaBasicExecutionRole; " +
          "the sst package creates this role, ecr-guard code does not run under it.",
        appliesTo: [
          "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        ],
      },
      {
        id: "AwsSolutions-L1",
        reason:
          "The sst package pins its framework custom-resource handler's runtime (nodejs22.x in " +
          "2.49.8); it moves when sst is upgraded, not in this repository.",
      },
    ],
    true,
  );
}

/** Deploy settings for stack tests: the sample trust configuration, home us-east-1, alert mode. */
export function testSettings(overrides: Partial<DeploySettings> = {}): DeploySettings {
  const text = readFileSync(join(ROOT, "samples/ecr-guard.config.yaml"), "utf8");
  const trust = trustConfigAsJson(text, "yaml");
  if (!trust.ok) throw new Error(`sample trust config: ${trust.errors.join("; ")}`);
  return {
    homeRegion: "us-east-1",
    regions: ["us-east-1"],
    mode: "alert",
    trustConfig: trust.json,
    slack: undefined,
    sweepSchedule: "rate(1 day)",
    sweepOrganization: undefined,
    organization: undefined,
    ...overrides,
  };
}
