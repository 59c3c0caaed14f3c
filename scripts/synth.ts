/**
 * Writes the CloudFormation templates of every stack in sst.config.ts to a folder, offline and
 * without AWS credentials, so reviewers can read what `sst deploy` would deploy.
 *
 *   tsx scripts/synth.ts [--stage prod] [--region us-east-1] [--out cdk.out]
 *
 * `sst build` cannot do this: it asks STS for the account first. This script builds the same
 * App itself, leaves the account as the `AWS::AccountId` pseudo-parameter, and sets
 * NODE_ENV=test, which is the switch SST's App.finish() reads to skip the SST bootstrap-stack
 * lookup (it only feeds source-map uploads, which these templates do not need).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Aws } from "aws-cdk-lib";
import { App } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";
import { load } from "sst/stacks/build.js";

process.env.NODE_ENV = "test";

const { values } = parseArgs({
  options: {
    stage: { type: "string" },
    region: { type: "string" },
    out: { type: "string" },
  },
});
const outdir = resolve(values.out ?? "cdk.out");

await initProject({ stage: values.stage ?? "prod", region: values.region });
const { config, paths } = useProject();
const [, sstConfig] = await load(paths.config);
const app = new App(
  {
    mode: "deploy",
    name: config.name,
    stage: config.stage,
    region: config.region,
    account: Aws.ACCOUNT_ID,
  },
  { outdir },
);
await sstConfig.stacks(app);
await app.finish();
const assembly = app.synth();
for (const stack of assembly.stacks) {
  console.log(resolve(assembly.directory, stack.templateFile));
}
