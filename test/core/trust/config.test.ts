import { describe, expect, it } from "vitest";
import { parseTrustConfig } from "../../../core/config-file.ts";
import {
  buildTrustZone,
  parseAccountIdList,
  parseOrganizationIdList,
  type TrustConfig,
} from "../../../core/trust/index.ts";

const FULL_YAML = `
ownerAccountId: "111122223333"
trustedAccounts:
  - id: "123456789012"
    name: vendor-x
    owner: platform-team
    expires: 2026-12-31
  - id: 210987654321
organizations:
  ids: ["o-abc123def4"]
  paths: ["o-abc123def4/r-ab12/ou-ab12-11111111/", "o-abc123def4/r-ab12"]
exceptions:
  - resource: "arn:aws:ecr:eu-west-1:111122223333:repository/partner-*"
    principal: "444455556666"
    owner: security-team
    reason: "Partner pulls release images until the contract ends"
    expires: 2027-03-31T12:00:00+02:00
  - resource: "arn:aws:ecr:*:111122223333:repository/ci/*"
    role: "arn:aws:iam::111122223333:role/ci-builder"
    owner: build-team
    reason: Builders push from CI nodes
nodeRoles: ["arn:aws:iam::111122223333:role/karpenter-node"]
ownerTagKeys: ["owner", "team"]
`;

const FULL_CONFIG: TrustConfig = {
  ownerAccountId: "111122223333",
  trustedAccounts: [
    { id: "123456789012", name: "vendor-x", owner: "platform-team", expires: "2026-12-31" },
    { id: "210987654321" },
  ],
  organizations: {
    ids: ["o-abc123def4"],
    paths: ["o-abc123def4/r-ab12/ou-ab12-11111111/", "o-abc123def4/r-ab12/"],
  },
  exceptions: [
    {
      resource: "arn:aws:ecr:eu-west-1:111122223333:repository/partner-*",
      principal: "444455556666",
      owner: "security-team",
      reason: "Partner pulls release images until the contract ends",
      expires: "2027-03-31T12:00:00+02:00",
    },
    {
      resource: "arn:aws:ecr:*:111122223333:repository/ci/*",
      role: "arn:aws:iam::111122223333:role/ci-builder",
      owner: "build-team",
      reason: "Builders push from CI nodes",
    },
  ],
  nodeRoles: ["arn:aws:iam::111122223333:role/karpenter-node"],
  ownerTagKeys: ["owner", "team"],
};

const EMPTY_CONFIG: TrustConfig = {
  trustedAccounts: [],
  organizations: { ids: [], paths: [] },
  exceptions: [],
  nodeRoles: [],
  ownerTagKeys: ["owner"],
};

describe("parseTrustConfig accepts", () => {
  it("the documented YAML example, normalising organization paths to end in /", () => {
    expect(parseTrustConfig(FULL_YAML, "yaml")).toEqual({ ok: true, config: FULL_CONFIG });
  });

  it("the same configuration written as JSON", () => {
    const json = JSON.stringify({
      ...FULL_CONFIG,
      organizations: {
        ...FULL_CONFIG.organizations,
        paths: ["o-abc123def4/r-ab12/ou-ab12-11111111"],
      },
    });
    const expected = {
      ...FULL_CONFIG,
      organizations: {
        ...FULL_CONFIG.organizations,
        paths: ["o-abc123def4/r-ab12/ou-ab12-11111111/"],
      },
    };
    expect(parseTrustConfig(json, "json")).toEqual({ ok: true, config: expected });
  });

  it.each([
    ["an empty JSON object", "{}", "json"],
    ["an empty YAML mapping", "{}", "yaml"],
    [
      "YAML sections left empty or ~",
      "trustedAccounts:\nexceptions: ~\nownerAccountId: null\n",
      "yaml",
    ],
    ["JSON sections set to null", '{"organizations": {"ids": null}, "nodeRoles": null}', "json"],
  ] as const)("%s, applying the defaults", (_name, text, format) => {
    expect(parseTrustConfig(text, format)).toEqual({ ok: true, config: EMPTY_CONFIG });
  });

  it("an unquoted YAML account id exactly as written, leading zero included", () => {
    const result = parseTrustConfig("trustedAccounts:\n  - id: 012345678901\n", "yaml");
    expect(result).toEqual({
      ok: true,
      config: { ...EMPTY_CONFIG, trustedAccounts: [{ id: "012345678901" }] },
    });
  });
});

describe("parseTrustConfig rejects, naming the field", () => {
  it.each([
    {
      name: "an account id that is not 12 digits",
      yaml: 'trustedAccounts:\n  - id: "12345"\n',
      errors: [
        {
          path: "trustedAccounts[0].id",
          message: '"12345" is not an AWS account id (exactly 12 digits)',
        },
      ],
    },
    {
      name: "an impossible date",
      yaml: 'trustedAccounts:\n  - id: "123456789012"\n    expires: 2026-02-30\n',
      errors: [
        {
          path: "trustedAccounts[0].expires",
          message:
            '"2026-02-30" is not a valid date (YYYY-MM-DD) or date-time with offset (YYYY-MM-DDThh:mm:ssZ)',
        },
      ],
    },
    {
      name: "an empty expiry, rather than reading it as never",
      yaml: 'trustedAccounts:\n  - id: "123456789012"\n    expires:\n',
      errors: [
        {
          path: "trustedAccounts[0].expires",
          message: "expected an ISO 8601 date or date-time, got null",
        },
      ],
    },
    {
      name: "a date-time without an offset",
      yaml: 'trustedAccounts:\n  - id: "123456789012"\n    expires: 2026-12-31T10:00:00\n',
      errors: [
        {
          path: "trustedAccounts[0].expires",
          message:
            '"2026-12-31T10:00:00" is not a valid date (YYYY-MM-DD) or date-time with offset (YYYY-MM-DDThh:mm:ssZ)',
        },
      ],
    },
    {
      name: "a misspelt top-level key",
      yaml: 'trustedAcounts:\n  - id: "123456789012"\n',
      errors: [
        {
          path: "trustedAcounts",
          message:
            "unknown key; allowed keys: ownerAccountId, partition, trustedAccounts, organizations, exceptions, nodeRoles, ownerTagKeys, trustOrganization",
        },
      ],
    },
    {
      name: "a misspelt key inside an entry",
      yaml: 'trustedAccounts:\n  - id: "123456789012"\n    exipres: 2026-01-01\n',
      errors: [
        {
          path: "trustedAccounts[0].exipres",
          message: "unknown key; allowed keys: id, name, owner, expires",
        },
      ],
    },
    {
      name: "an account listed twice",
      yaml: 'trustedAccounts:\n  - id: "123456789012"\n  - id: "123456789012"\n    expires: 2030-01-01\n',
      errors: [
        {
          path: "trustedAccounts[1].id",
          message: "account 123456789012 is already listed at trustedAccounts[0]",
        },
      ],
    },
    {
      name: "an exception with neither principal nor role",
      yaml: 'exceptions:\n  - resource: "arn:aws:ecr:*:*:repository/x"\n    owner: me\n    reason: why\n',
      errors: [
        {
          path: "exceptions[0].principal",
          message: "set principal or role (at least one is required)",
        },
      ],
    },
    {
      name: "an exception without owner or reason, and a resource that is not an ARN",
      yaml: 'exceptions:\n  - resource: partner-*\n    principal: "444455556666"\n    reason: ""\n',
      errors: [
        {
          path: "exceptions[0].resource",
          message: '"partner-*" is not an ARN (wildcards are allowed)',
        },
        { path: "exceptions[0].owner", message: "required: an owner" },
        { path: "exceptions[0].reason", message: "expected a reason, got an empty string" },
      ],
    },
    {
      name: "an organization id in upper case",
      yaml: "organizations:\n  ids: [o-ABC123DEF4]\n",
      errors: [
        {
          path: "organizations.ids[0]",
          message:
            '"o-ABC123DEF4" is not an AWS Organizations id (o- and 10 to 32 lowercase letters or digits)',
        },
      ],
    },
    {
      name: "an organization path with a wildcard",
      yaml: 'organizations:\n  paths: ["o-abc123def4/*"]\n',
      errors: [
        {
          path: "organizations.paths[0]",
          message: '"o-abc123def4/*" is not an organization path (o-…/r-…/ou-…/, no wildcards)',
        },
      ],
    },
    {
      name: "a node role that is a pattern",
      yaml: 'nodeRoles: ["arn:aws:iam::111122223333:role/node-*"]\n',
      errors: [
        {
          path: "nodeRoles[0]",
          message:
            '"arn:aws:iam::111122223333:role/node-*" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME, no wildcards)',
        },
      ],
    },
    {
      name: "an empty list of owner tag keys and a section of the wrong type",
      yaml: "ownerTagKeys: []\ntrustedAccounts: vendor\n",
      errors: [
        { path: "trustedAccounts", message: 'expected a list of trusted accounts, got "vendor"' },
        { path: "ownerTagKeys", message: "list at least one tag key" },
      ],
    },
    {
      name: "values of the wrong shape, described by what they are",
      yaml: 'ownerTagKeys: [{team: x}]\nnodeRoles: [[]]\n"trusted accounts": []\n',
      errors: [
        { path: "nodeRoles[0]", message: "expected a role ARN, got a list" },
        { path: "ownerTagKeys[0]", message: "expected a tag key, got a mapping" },
        {
          path: '["trusted accounts"]',
          message:
            "unknown key; allowed keys: ownerAccountId, partition, trustedAccounts, organizations, exceptions, nodeRoles, ownerTagKeys, trustOrganization",
        },
      ],
    },
    {
      name: "an entry that is not a mapping",
      yaml: "trustedAccounts:\n  - 123456789012\n",
      errors: [
        {
          path: "trustedAccounts[0]",
          message: 'expected a trusted account (a mapping with id), got "123456789012"',
        },
      ],
    },
  ])("$name", ({ yaml, errors }) => {
    expect(parseTrustConfig(yaml, "yaml")).toEqual({ ok: false, errors });
  });

  it("a JSON boolean where text is expected", () => {
    expect(parseTrustConfig('{"ownerTagKeys": [true]}', "json")).toEqual({
      ok: false,
      errors: [{ path: "ownerTagKeys[0]", message: "expected a tag key, got boolean true" }],
    });
  });

  it("an account id written as a JSON number, asking for a string", () => {
    const result = parseTrustConfig('{"trustedAccounts": [{"id": 123456789012}]}', "json");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "trustedAccounts[0].id",
          message: "expected a 12-digit account id as a quoted string, got number 123456789012",
        },
      ],
    });
  });

  it.each([
    {
      name: "JSON with a syntax error, by line and column",
      text: '{\n  "ownerAccountId": "111122223333",\n}',
      format: "json" as const,
      // V8's wording varies between Node versions; the location must be there either way.
      message: expect.stringMatching(/^invalid JSON: .*\(line 3,? column 1\)$/),
    },
    {
      name: "truncated JSON",
      text: '{"nodeRoles": [',
      format: "json" as const,
      message: "invalid JSON: Unexpected end of JSON input",
    },
    {
      name: "YAML with an alias to nothing",
      text: "nodeRoles: *roles\n",
      format: "yaml" as const,
      message: expect.stringMatching(/^invalid YAML: .*roles/),
    },
    {
      name: "YAML with a syntax error, by line and column",
      text: "nodeRoles: [a\nownerTagKeys: b",
      format: "yaml" as const,
      message:
        "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1",
    },
    {
      name: "YAML with a duplicate key",
      text: "nodeRoles: []\nnodeRoles: []\n",
      format: "yaml" as const,
      message: "invalid YAML: Map keys must be unique at line 2, column 1",
    },
    { name: "an empty file", text: "", format: "yaml" as const, message: "the config is empty" },
    {
      name: "a document that is not a mapping",
      text: "[]",
      format: "json" as const,
      message: "expected a mapping at the top level, got a list",
    },
  ])("$name", ({ text, format, message }) => {
    expect(parseTrustConfig(text, format)).toEqual({ ok: false, errors: [{ path: "$", message }] });
  });
});

describe("buildTrustZone", () => {
  const config: TrustConfig = {
    ...EMPTY_CONFIG,
    ownerAccountId: "111122223333",
    trustedAccounts: [{ id: "123456789012", expires: "2026-12-31" }],
    organizations: { ids: ["o-abc123def4"], paths: ["o-abc123def4/r-ab12/"] },
    nodeRoles: ["arn:aws:iam::111122223333:role/node"],
    ownerTagKeys: ["team"],
  };

  it("builds the zone from the config alone", () => {
    expect(buildTrustZone(config, {})).toEqual({
      ok: true,
      zone: {
        ownerAccountId: "111122223333",
        accounts: [{ id: "123456789012", expires: "2026-12-31" }],
        organizationIds: ["o-abc123def4"],
        organizationPaths: ["o-abc123def4/r-ab12/"],
        exceptions: [],
        nodeRoleArns: ["arn:aws:iam::111122223333:role/node"],
        ownerTagKeys: ["team"],
      },
    });
  });

  it("lets the caller's owner win and adds the caller's accounts and organizations", () => {
    const result = buildTrustZone(config, {
      ownerAccountId: "999988887777",
      trustedAccountIds: ["123456789012", "555566667777", "555566667777"],
      organizationIds: ["o-abc123def4", "o-zzz999yyy8"],
    });
    expect(result).toEqual({
      ok: true,
      zone: {
        ownerAccountId: "999988887777",
        accounts: [
          { id: "123456789012", expires: "2026-12-31" },
          { id: "123456789012" },
          { id: "555566667777" },
        ],
        organizationIds: ["o-abc123def4", "o-zzz999yyy8"],
        organizationPaths: ["o-abc123def4/r-ab12/"],
        exceptions: [],
        nodeRoleArns: ["arn:aws:iam::111122223333:role/node"],
        ownerTagKeys: ["team"],
      },
    });
  });

  it("builds a zone without a config file from the caller's values and the defaults", () => {
    expect(buildTrustZone(undefined, { ownerAccountId: "111122223333" })).toEqual({
      ok: true,
      zone: {
        ownerAccountId: "111122223333",
        accounts: [],
        organizationIds: [],
        organizationPaths: [],
        exceptions: [],
        nodeRoleArns: [],
        ownerTagKeys: ["owner"],
      },
    });
  });

  it("reports a missing owner account instead of throwing", () => {
    expect(buildTrustZone(EMPTY_CONFIG, {})).toEqual({
      ok: false,
      errors: [
        {
          path: "ownerAccountId",
          message:
            "no owner account: set ownerAccountId in the trust config or give the account to evaluate",
        },
      ],
    });
  });

  it("names every invalid override", () => {
    const result = buildTrustZone(config, {
      ownerAccountId: "1111",
      trustedAccountIds: ["123456789012", "abc"],
      organizationIds: ["o-short"],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "overrides.ownerAccountId",
          message: '"1111" is not an AWS account id (exactly 12 digits)',
        },
        {
          path: "overrides.trustedAccountIds[1]",
          message: '"abc" is not an AWS account id (exactly 12 digits)',
        },
        {
          path: "overrides.organizationIds[0]",
          message:
            '"o-short" is not an AWS Organizations id (o- and 10 to 32 lowercase letters or digits)',
        },
      ],
    });
  });
});

describe("id lists from the command line", () => {
  it.each([
    ["111122223333,123456789012", ["111122223333", "123456789012"]],
    [" 111122223333 , ,111122223333,", ["111122223333"]],
    ["", []],
  ])("parseAccountIdList(%j) gives %j", (text, ids) => {
    expect(parseAccountIdList(text)).toEqual({ ok: true, ids });
  });

  it("names each bad account id under the given label", () => {
    expect(parseAccountIdList("111122223333,12,x1", "--trusted")).toEqual({
      ok: false,
      errors: [
        { path: "--trusted[1]", message: '"12" is not an AWS account id (exactly 12 digits)' },
        { path: "--trusted[2]", message: '"x1" is not an AWS account id (exactly 12 digits)' },
      ],
    });
  });

  it("parses organization ids and names a bad one", () => {
    expect(parseOrganizationIdList("o-abc123def4")).toEqual({ ok: true, ids: ["o-abc123def4"] });
    expect(parseOrganizationIdList("o-abc123def4,O-ABC123DEF4")).toEqual({
      ok: false,
      errors: [
        {
          path: "organizationIds[1]",
          message:
            '"O-ABC123DEF4" is not an AWS Organizations id (o- and 10 to 32 lowercase letters or digits)',
        },
      ],
    });
  });
});

describe("trustOrganization", () => {
  const OU = "ou-ab12-11111111";
  const withOwner = (section: string) => `ownerAccountId: "111122223333"\n${section}`;

  it.each([
    {
      name: "enabled for the whole organisation",
      yaml: "trustOrganization:\n  enabled: true",
      ous: [],
    },
    {
      name: "enabled under OUs and the root, repeats dropped",
      yaml: `trustOrganization:\n  enabled: true\n  ous: [${OU}, r-ab12, ${OU}]`,
      ous: [OU, "r-ab12"],
    },
  ])("asks the live scan to trust the organisation when $name", ({ yaml, ous }) => {
    const result = parseTrustConfig(withOwner(yaml), "yaml");
    expect(result).toMatchObject({ ok: true, config: { trustOrganization: { ous } } });
    if (!result.ok) return;
    const built = buildTrustZone(result.config);
    expect(built.ok && built.zone.organizationTrust).toEqual({ ous });
  });

  it.each([
    ["YAML, disabled", withOwner("trustOrganization:\n  enabled: false"), "yaml"],
    ["YAML, null", withOwner("trustOrganization: ~"), "yaml"],
    [
      "JSON, disabled",
      '{"ownerAccountId":"111122223333","trustOrganization":{"enabled":false}}',
      "json",
    ],
  ] as const)("leaves the organisation out when %s", (_, text, format) => {
    const result = parseTrustConfig(text, format);
    expect(result.ok && result.config).not.toHaveProperty("trustOrganization");
    const built = result.ok ? buildTrustZone(result.config) : undefined;
    expect(built?.ok && built.zone).not.toHaveProperty("organizationTrust");
  });

  it("accepts a JSON boolean", () => {
    const json = '{"trustOrganization":{"enabled":true,"ous":["r-ab12"]}}';
    expect(parseTrustConfig(json, "json")).toMatchObject({
      ok: true,
      config: { trustOrganization: { ous: ["r-ab12"] } },
    });
  });

  it.each([
    {
      name: "a missing enabled",
      yaml: `trustOrganization:\n  ous: [${OU}]`,
      errors: [{ path: "trustOrganization.enabled", message: "required: true or false" }],
    },
    {
      name: "an enabled that is not true or false",
      yaml: "trustOrganization:\n  enabled: yes",
      errors: [{ path: "trustOrganization.enabled", message: 'expected true or false, got "yes"' }],
    },
    {
      name: "an id that is not an OU or root",
      yaml: "trustOrganization:\n  enabled: true\n  ous: [o-abc123def4]",
      errors: [
        {
          path: "trustOrganization.ous[0]",
          message: '"o-abc123def4" is not an OU id (ou-…) or root id (r-…)',
        },
      ],
    },
    {
      name: "OUs with enabled false",
      yaml: `trustOrganization:\n  enabled: false\n  ous: [${OU}]`,
      errors: [{ path: "trustOrganization.ous", message: "ous applies only with enabled: true" }],
    },
    {
      name: "an unknown key",
      yaml: "trustOrganization:\n  enabled: true\n  units: [r-ab12]",
      errors: [
        { path: "trustOrganization.units", message: "unknown key; allowed keys: enabled, ous" },
      ],
    },
    {
      name: "a list instead of a mapping",
      yaml: "trustOrganization: [true]",
      errors: [
        {
          path: "trustOrganization",
          message: "expected a mapping with enabled and ous, got a list",
        },
      ],
    },
  ])("rejects $name", ({ yaml, errors }) => {
    expect(parseTrustConfig(withOwner(yaml), "yaml")).toEqual({ ok: false, errors });
  });
});
