import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const EVENT_HANDLERS = ["cluster-change", "registry-change", "repository-change", "role-change"];

/** The node_modules files esbuild puts in a handler's bundle (as the bench bundles it). */
async function bundledPackageFiles(name: string): Promise<string[]> {
  const entry = fileURLToPath(new URL(`../../functions/${name}.ts`, import.meta.url));
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

describe.each([...EVENT_HANDLERS, "sweep"])("the %s bundle", (name) => {
  it("does not carry the YAML parser (handlers read the trust config as JSON)", async () => {
    const files = await bundledPackageFiles(name);
    expect(files.filter((path) => path.includes("node_modules/yaml/"))).toEqual([]);
  });
});

describe.each(EVENT_HANDLERS)("the %s bundle", (name) => {
  it("carries zod's English messages but none of its other locales", async () => {
    const files = await bundledPackageFiles(name);
    expect(files.filter((path) => /node_modules\/zod\/.*\/locales\//.test(path))).toEqual([
      "node_modules/zod/v4/locales/en.js",
    ]);
  });
});
