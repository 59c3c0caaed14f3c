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

/** The account every synthesised test stack is placed in, so ARNs in assertions are concrete. */
export const TEST_ACCOUNT = "123456789012";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface SynthOptions {
  /** SST stage; "test" unless given. */
  readonly stage?: string;
  /** Region; the default of sst.config.ts unless given. */
  readonly region?: string;
  /** Stacks the stack under test `use`s, initialised first in this order. */
  readonly uses?: readonly FunctionalStack<unknown>[];
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
  await initProject({ root: ROOT, stage, region: options.region });
  const out = await isolateBuildOutput();
  try {
    const app = createApp(stage, out);
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

function createApp(stage: string, out: string): App {
  const { config } = useProject();
  const app = new App(
    { mode: "deploy", name: config.name, stage, region: config.region, account: TEST_ACCOUNT },
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
