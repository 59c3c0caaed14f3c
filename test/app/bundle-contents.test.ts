import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const APP_DIR = fileURLToPath(new URL("../../app/", import.meta.url));
const LAMBDA_ONLY = /node_modules\/(@middy|@aws-lambda-powertools)\//;

/** The node_modules files esbuild puts in a bundle of `entry`. */
async function bundledPackageFiles(entry: string): Promise<string[]> {
  const built = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "node",
    target: "node22",
    format: "esm",
    logLevel: "silent",
    metafile: true,
  });
  const inputs = Object.values(built.metafile.outputs)[0]?.inputs ?? {};
  return Object.keys(inputs).filter((path) => path.includes("node_modules/"));
}

const appFiles = readdirSync(APP_DIR).filter((file) => file.endsWith(".ts"));

describe.each(appFiles)("app/%s, bundled", (file) => {
  it("carries no middy, Powertools or AWS SDK", async () => {
    const files = await bundledPackageFiles(`${APP_DIR}${file}`);
    expect(files.filter((path) => LAMBDA_ONLY.test(path) || path.includes("@aws-sdk/"))).toEqual(
      [],
    );
  });
});

describe("the ecr-guard CLI, bundled", () => {
  it("carries neither middy nor Powertools", async () => {
    const files = await bundledPackageFiles(
      fileURLToPath(new URL("../../cli/main.ts", import.meta.url)),
    );
    expect(files.filter((path) => LAMBDA_ONLY.test(path))).toEqual([]);
  });
});
