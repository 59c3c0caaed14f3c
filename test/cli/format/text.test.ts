import { describe, expect, it } from "vitest";
import { ACTIONS_SHOWN, describeActions, renderFinding } from "../../../cli/format/text.ts";
import { expandActions } from "../../../core/index.ts";
import { finding } from "../../support/alerts.ts";

describe("describeActions", () => {
  it("lists a few actions as they are", () => {
    const actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
    expect(describeActions(actions)).toBe("ecr:BatchGetImage, ecr:GetDownloadUrlForLayer");
  });

  it("shortens ecr:* to its count and its most powerful actions", () => {
    const all = expandActions({ mode: "Action", patterns: ["ecr:*"] }).map((action) => action.name);
    expect(all.length).toBeGreaterThan(ACTIONS_SHOWN);
    const text = describeActions(all);
    expect(text).toMatch(new RegExp(`^${all.length} actions, including `));
    const named = text.replace(/^.*including /, "").split(", ");
    expect(named).toHaveLength(4);
    // Permissions management comes first: these are the actions that open a repository.
    expect(named).toContain("ecr:SetRepositoryPolicy");
    expect(named).not.toContain("ecr:BatchGetImage");
  });

  it("keeps every action in the finding itself (JSON output)", () => {
    const actions = Array.from({ length: 20 }, (_, i) => `ecr:Action${i}`);
    const line = renderFinding(finding({ actions })).split("\n")[3];
    expect(line).toMatch(/^ {2}actions: 20 actions, including ecr:Action0, ecr:Action1, /);
  });
});
