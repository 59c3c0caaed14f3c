/**
 * Writes the CloudFormation templates of every region's deployment of sst.config.ts to a folder,
 * offline and without AWS credentials, so reviewers can read what each `sst deploy` would deploy:
 * the home region (Alerts + Guardrail, and in organisation mode Organization) and every
 * forwarding region (Alerts + Forwarder), one subfolder per region; in organisation mode also
 * `member/member.template.json`, the template the member StackSet deploys (and the one to deploy
 * by hand in the management account, see README "Organisation deploy").
 *
 *   tsx scripts/synth.ts [--stage prod] [--out cdk.out]
 *
 * The deploy settings come from the same ECR_GUARD_* variables as `sst deploy` (see
 * stacks/settings.ts); ECR_GUARD_CONFIG defaults to the sample trust configuration here.
 *
 * `sst build` cannot do this: it asks STS for the account first. This script builds the same
 * App itself, leaves the account as the `AWS::AccountId` pseudo-parameter, and sets
 * NODE_ENV=test, which is the switch SST's App.finish() reads to skip the SST bootstrap-stack
 * lookup (it only feeds source-map uploads, which these templates do not need).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Aws } from "aws-cdk-lib";
import { App } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";
import { load } from "sst/stacks/build.js";
import { synthesizeMemberTemplate } from "../stacks/Member.ts";
import { forwardingRegions, readDeploySettings } from "../stacks/settings.ts";

process.env.NODE_ENV = "test";
process.env.ECR_GUARD_CONFIG ??= "samples/ecr-guard.config.yaml";

const { values } = parseArgs({
  options: {
    stage: { type: "string" },
    out: { type: "string" },
  },
});
const outdir = resolve(values.out ?? "cdk.out");
const settings = readDeploySettings(process.env);
console.error(`trust configuration: ${process.env.ECR_GUARD_CONFIG}`);

for (const region of [settings.homeRegion, ...forwardingRegions(settings)]) {
  await initProject({ stage: values.stage ?? "prod", region });
  const { config, paths } = useProject();
  const [, sstConfig] = await load(paths.config);
  const app = new App(
    {
      mode: "deploy",
      name: config.name,
      stage: config.stage,
      region,
      account: Aws.ACCOUNT_ID,
    },
    { outdir: join(outdir, region) },
  );
  await sstConfig.stacks(app);
  await app.finish();
  const assembly = app.synth();
  for (const stack of assembly.stacks) {
    console.log(resolve(assembly.directory, stack.templateFile));
  }
}

if (settings.organization !== undefined) {
  const { config } = useProject();
  const prefix = `${config.stage}-${config.name}-`;
  const { template } = synthesizeMemberTemplate({ settings, prefix });
  const file = join(outdir, "member", "member.template.json");
  mkdirSync(join(outdir, "member"), { recursive: true });
  writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
  console.log(file);
}
