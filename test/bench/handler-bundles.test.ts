import { describe, expect, it } from "vitest";
import { bytesByPackage } from "../../bench/handler-bundles.ts";

describe("bytesByPackage", () => {
  const cases: {
    name: string;
    inputs: Record<string, { bytesInOutput: number }>;
    expected: [string, number][];
  }[] = [
    { name: "nothing bundled: no package", inputs: {}, expected: [] },
    {
      name: "sums a package's files and sorts the largest first",
      inputs: {
        "node_modules/zod/v4/core.js": { bytesInOutput: 30 },
        "node_modules/zod/v4/schemas.js": { bytesInOutput: 40 },
        "node_modules/yaml/dist/index.js": { bytesInOutput: 50 },
      },
      expected: [
        ["zod", 70],
        ["yaml", 50],
      ],
    },
    {
      name: "keeps a scoped package's scope",
      inputs: { "node_modules/@smithy/core/dist-es/index.js": { bytesInOutput: 9 } },
      expected: [["@smithy/core", 9]],
    },
    {
      name: "credits a nested dependency to itself, not to the package that nests it",
      inputs: {
        "node_modules/@aws-sdk/client-ecr/node_modules/tslib/tslib.es6.mjs": { bytesInOutput: 5 },
      },
      expected: [["tslib", 5]],
    },
    {
      name: "counts files outside node_modules as ours",
      inputs: {
        "core/policy/parse.ts": { bytesInOutput: 7 },
        "functions/repository-change.ts": { bytesInOutput: 3 },
      },
      expected: [["(ours)", 10]],
    },
  ];
  for (const { name, inputs, expected } of cases)
    it(name, () => expect(bytesByPackage(inputs)).toEqual(expected));
});
