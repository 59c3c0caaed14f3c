import { describe, expect, it } from "vitest";
import { parseRoleArn, roleKey } from "../../../core/node-roles/role-arn.ts";

describe("parseRoleArn", () => {
  it.each([
    {
      arn: "arn:aws:iam::111122223333:role/eks-nodes",
      expected: { partition: "aws", accountId: "111122223333", name: "eks-nodes" },
    },
    {
      arn: "arn:aws:iam::111122223333:role/eks/workers/eks-nodes",
      expected: { partition: "aws", accountId: "111122223333", name: "eks-nodes" },
    },
    {
      arn: "arn:aws-cn:iam::111122223333:role/eks-nodes",
      expected: { partition: "aws-cn", accountId: "111122223333", name: "eks-nodes" },
    },
    { arn: "arn:aws:iam::111122223333:user/eks-nodes", expected: undefined },
    { arn: "arn:aws:sts::111122223333:assumed-role/eks-nodes/i-0abc", expected: undefined },
    { arn: "arn:aws:iam::111122223333:role/", expected: undefined },
    { arn: "eks-nodes", expected: undefined },
  ])("reads $arn", ({ arn, expected }) => {
    expect(parseRoleArn(arn)).toEqual(expected);
  });
});

describe("roleKey", () => {
  it("names a role the same with or without its path and whatever the case of its name", () => {
    const keys = [
      "arn:aws:iam::111122223333:role/eks/workers/EKS-Nodes",
      "arn:aws:iam::111122223333:role/eks-nodes",
    ].map(roleKey);
    expect(keys).toEqual(["aws:111122223333:eks-nodes", "aws:111122223333:eks-nodes"]);
  });

  it("keeps roles of other accounts and partitions apart", () => {
    expect(roleKey("arn:aws:iam::444455556666:role/eks-nodes")).toBe("aws:444455556666:eks-nodes");
    expect(roleKey("arn:aws-us-gov:iam::111122223333:role/eks-nodes")).toBe(
      "aws-us-gov:111122223333:eks-nodes",
    );
  });

  it("keys text that is not a role ARN by itself", () => {
    expect(roleKey("arn:aws:iam::111122223333:user/ops")).toBe(
      "arn:aws:iam::111122223333:user/ops",
    );
  });
});
