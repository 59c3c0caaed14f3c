/**
 * Installs ecr-guard the way a user would: `npm pack` (whose prepack builds dist/), then
 * `npm install` of the tarball into an empty directory, from the npm cache where it can, and
 * runs the installed `ecr-guard` there, away from this clone's node_modules and sources.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SETUP_MS = 600_000;
const PUBLIC_PULL = {
  Version: "2012-10-17",
  Statement: [{ Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
};

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let dir = "";
let app = "";
let packed: PackResult;

function ecrGuard(...args: string[]) {
  return spawnSync(join(app, "node_modules", ".bin", "ecr-guard"), args, {
    cwd: app,
    encoding: "utf8",
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ecr-guard-install-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  [packed] = JSON.parse(out) as [PackResult];
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "try-ecr-guard", private: true }),
  );
  writeFileSync(join(app, "public.json"), JSON.stringify(PUBLIC_PULL));
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, packed.filename)],
    { cwd: app, stdio: ["ignore", "pipe", "pipe"] },
  );
}, SETUP_MS);

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("the published package", () => {
  it("holds only what runs, the README, the licence and the changelog", () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain("dist/ecr-guard.js");
    expect(paths.filter((path) => !path.startsWith("dist/")).sort()).toEqual([
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "package.json",
    ]);
    expect(paths.filter((path) => path.startsWith("dist/") && !path.endsWith(".js"))).toEqual([]);
  });

  it("installs without the deploy toolchain or tsx", () => {
    const modules = join(app, "node_modules");
    expect(existsSync(join(modules, "ecr-guard", "dist", "ecr-guard.js"))).toBe(true);
    for (const name of ["tsx", "sst", "aws-cdk-lib", "cdk-nag", "constructs", "esbuild"])
      expect(existsSync(join(modules, name)), name).toBe(false);
  });

  it("prints its version", () => {
    const result = ecrGuard("--version");
    expect([result.status, result.stdout]).toEqual([0, `${packageJson.version}\n`]);
  });

  it("checks a repository policy and exits 1 on the public grant", () => {
    const result = ecrGuard(
      "check",
      "repository-policy",
      "public.json",
      "--account",
      "111122223333",
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("[CRITICAL] ecr-repository-public");
  });

  it("loads a command that needs the AWS SDK from the installed dependencies", () => {
    const result = ecrGuard("export", "security-hub", "--snapshot", "missing.json");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read snapshot "missing.json": no such file');
  });
});
