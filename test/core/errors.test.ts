import { describe, expect, it } from "vitest";
import { AdapterError, EcrGuardError } from "../../core/index.ts";

describe("EcrGuardError", () => {
  it("carries its name and no cause when none is given", () => {
    const error = new EcrGuardError("bad state");

    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, message: error.message, hasCause: "cause" in error }).toEqual({
      name: "EcrGuardError",
      message: "bad state",
      hasCause: false,
    });
  });
});

describe("AdapterError", () => {
  it("names the operation, the resource and the cause's error name, keeping the cause", () => {
    const cause = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

    const error = new AdapterError(
      { operation: "ECR GetRepositoryPolicy", resource: "repo" },
      cause,
    );

    expect(error).toBeInstanceOf(EcrGuardError);
    expect(error).toMatchObject({
      name: "AdapterError",
      operation: "ECR GetRepositoryPolicy",
      resource: "repo",
      message: "ECR GetRepositoryPolicy failed for repo: ThrottlingException",
      cause,
    });
  });

  it("describes a thrown non-error by its type", () => {
    const error = new AdapterError({ operation: "IAM GetRole", resource: "role r" }, "oops");

    expect(error.message).toBe("IAM GetRole failed for role r: string");
  });
});
