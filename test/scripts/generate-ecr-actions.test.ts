import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildEcrActionRows,
  GENERATED_TABLE_URL,
  generateEcrActionTable,
  grantedPatterns,
  renderEcrActionTable,
  toAccessLevel,
} from "../../scripts/generate-ecr-actions.ts";

describe("generate-ecr-actions", () => {
  it("renders exactly the committed table, so it cannot go stale (run `npm run generate`)", async () => {
    expect(await generateEcrActionTable()).toBe(readFileSync(GENERATED_TABLE_URL, "utf8"));
  });

  it("keeps iam-data out of the run-time bundle: the table imports only a type", () => {
    const imports = readFileSync(GENERATED_TABLE_URL, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("import"));
    expect(imports).toEqual(['import type { AccessLevel } from "./access-level.ts";']);
  });

  it.each([
    { published: "Read", expected: "Read" },
    { published: "List", expected: "List" },
    { published: "Write", expected: "Write" },
    { published: "Permissions management, Write", expected: "Permissions management" },
    { published: "Write, Permissions management", expected: "Permissions management" },
    { published: "Tagging, Write", expected: "Tagging" },
    { published: "Tagging", expected: "Tagging" },
  ])("maps the published level '$published' to $expected", ({ published, expected }) => {
    expect(toAccessLevel(published)).toBe(expected);
  });

  it.each(["Read, Write", "Admin", ""])("refuses the unknown level '%s'", (published) => {
    expect(() => toAccessLevel(published)).toThrow(`Unknown ECR access level "${published}"`);
  });

  it("derives repository scope and pull path, sorted by name", () => {
    const rows = buildEcrActionRows(
      [
        { name: "PutImage", accessLevel: "Write", resourceTypes: ["repository"] },
        { name: "BatchImportUpstreamImage", accessLevel: "Write", resourceTypes: ["repository"] },
        { name: "GetAuthorizationToken", accessLevel: "Read", resourceTypes: [] },
      ],
      ["ECR:batchImportUpstreamImage", "ecr:Get*"],
    );
    expect(rows).toEqual([
      {
        name: "BatchImportUpstreamImage",
        accessLevel: "Write",
        repositoryScoped: true,
        pullPath: true,
      },
      {
        name: "GetAuthorizationToken",
        accessLevel: "Read",
        repositoryScoped: false,
        pullPath: true,
      },
      { name: "PutImage", accessLevel: "Write", repositoryScoped: true, pullPath: false },
    ]);
  });

  it("fails when a pull-policy pattern matches no ECR action", () => {
    const actions = [{ name: "PutImage", accessLevel: "Write", resourceTypes: ["repository"] }];
    expect(() => buildEcrActionRows(actions, ["ecr:BatchGetImage"])).toThrow(
      'Pull policy pattern "ecr:BatchGetImage" matches no ECR action',
    );
  });

  it("reads the Action patterns of the pull policy's Allow statements", () => {
    const policy = {
      Statement: [
        { Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" },
        { Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "ecr:Get*"], Resource: "*" },
      ],
    };
    expect(grantedPatterns(policy)).toEqual([
      "ecr:BatchGetImage",
      "ecr:GetAuthorizationToken",
      "ecr:Get*",
    ]);
  });

  it.each([
    { name: "a Deny", statement: { Effect: "Deny", Action: "ecr:*" } },
    { name: "a NotAction", statement: { Effect: "Allow", NotAction: "ecr:*" } },
    { name: "a condition", statement: { Effect: "Allow", Action: "ecr:*", Condition: {} } },
    { name: "a non-object", statement: "ecr:*" },
  ])("refuses a pull policy with $name, whose pull path would be unclear", ({ statement }) => {
    expect(() => grantedPatterns({ Statement: [statement] })).toThrow(
      "Pull policy statement 0 is not an unconditional Allow of Action",
    );
  });

  it("refuses a pull policy without a Statement array", () => {
    expect(() => grantedPatterns({ Statement: {} })).toThrow(
      "The pull policy has no Statement array",
    );
  });

  it("names the iam-data version in the header and in IAM_DATA_VERSION", () => {
    const source = renderEcrActionTable([], "1.2.3");
    expect(source).toContain(
      "// 1.2.3 and scripts/data/AmazonEC2ContainerRegistryPullOnly.json.\n",
    );
    expect(source).toContain('export const IAM_DATA_VERSION = "1.2.3";\n');
  });
});
