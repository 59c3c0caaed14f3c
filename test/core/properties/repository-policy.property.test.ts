import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../core/policy/parse.ts";
import {
  check,
  fixViolations,
  orderViolations,
  precisionExemption,
  precisionViolations,
  soundnessViolations,
} from "../../support/agreement.ts";
import { repositoryPolicyArb } from "../../support/arbitraries.ts";

type Document = Record<string, unknown>;

// Run counts keep the file near 10 s on a 2-core machine: each policy costs up to a few hundred
// simulations (about 0.3 ms each); the pure properties are cheap.
describe("repository-policy checks agree with iam-simulate on concrete requests", () => {
  it("draw compliant policies and policies with findings held to precision", () => {
    const sample = fc.sample(repositoryPolicyArb, { numRuns: 300, seed: 1 });
    const findings = sample.map((document) => check(document).findings);
    const held = findings.flat().filter((finding) => precisionExemption(finding) === undefined);
    expect(findings.filter((list) => list.length === 0).length).toBeGreaterThan(30);
    expect(
      held.filter((finding) => finding.rule === "ecr-repository-public").length,
    ).toBeGreaterThan(30);
    expect(
      held.filter((finding) => finding.rule === "ecr-repository-untrusted-principal").length,
    ).toBeGreaterThan(30);
  });

  it("report every request the simulator allows outside the trust zone, and only callers it allows", async () => {
    await fc.assert(
      fc.asyncProperty(repositoryPolicyArb, async (document) => {
        expect(await soundnessViolations(document)).toEqual([]);
        expect(await precisionViolations(document)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it("plan fixes that never allow what the original denied nor anything outside the zone", async () => {
    await fc.assert(
      fc.asyncProperty(repositoryPolicyArb, async (document) => {
        expect(await fixViolations(document)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

/** Replaces one element of one statement of a policy with arbitrary JSON. */
function corrupt(document: Document, junk: unknown, at: number): Document {
  const statements = [document.Statement].flat() as Document[];
  const target = statements[at % statements.length] as Document;
  const keys = Object.keys(target);
  const key = keys[at % keys.length] as string;
  const replaced = statements.map((item) => (item === target ? { ...item, [key]: junk } : item));
  return { ...document, Statement: replaced };
}

describe("repository-policy checks are total and stable", () => {
  it("never throw on any JSON value, JSON text, string or corrupted policy", () => {
    const corrupted = fc
      .tuple(repositoryPolicyArb, fc.jsonValue(), fc.nat())
      .map(([document, junk, at]) => corrupt(document, junk, at));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.json(), fc.string(), corrupted), (document) => {
        const result = check(document, true);
        expect(result.compliant).toBe(result.findings.length === 0);
      }),
      { numRuns: 400 },
    );
  });

  it("report the same findings whatever the order of the statements", () => {
    const reorderings = repositoryPolicyArb.chain((document) => {
      const statements = [document.Statement].flat();
      return fc
        .shuffledSubarray(statements, { minLength: statements.length })
        .map((shuffled) => [document, { ...document, Statement: shuffled }] as const);
    });
    fc.assert(
      fc.property(reorderings, ([document, reordered]) => {
        expect(orderViolations(document, reordered)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("parse a document, its JSON text, URL-encoded text and copy alike, and fix a fix to nothing", () => {
    fc.assert(
      fc.property(repositoryPolicyArb, (document) => {
        const parsed = parsePolicy(document);
        const text = JSON.stringify(document);
        expect(parsePolicy(JSON.parse(text))).toEqual(parsed);
        expect(parsePolicy(text)).toEqual(parsed);
        expect(parsePolicy(encodeURIComponent(text))).toEqual(parsed);
        expect(parsePolicy(parsed.policy?.raw)).toEqual(parsed);
        const plan = check(document, true).fix;
        if (plan?.action === "fix") expect(check(plan.document, true).fix?.action).toBe("none");
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A shrunk counterexample kept as a fixture (see the folder's README.md), replayed strictly.
 * `open`: the engine defect is reported but not fixed, so the violation must still reproduce —
 * once it no longer does, mark the fixture `fixed` and delete its predicate in known-gaps.ts.
 */
interface Counterexample {
  readonly name: string;
  readonly note: string;
  readonly status: "open" | "fixed";
  readonly property: "soundness" | "precision" | "fix" | "order";
  readonly document: Document;
  /** For `order`: the same statements in another order. */
  readonly reordered?: Document;
}

const FIXTURES = new URL("../../fixtures/property-counterexamples/", import.meta.url);
const counterexamples: Counterexample[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => ({ name, ...JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) }));

async function replay(example: Counterexample) {
  switch (example.property) {
    case "soundness":
      return soundnessViolations(example.document, true);
    case "precision":
      return precisionViolations(example.document, true);
    case "fix":
      return fixViolations(example.document, true);
    case "order":
      return orderViolations(example.document, example.reordered ?? example.document, true);
  }
}

describe("kept property counterexamples", () => {
  it.each(counterexamples)("$name ($status): $note", async (example) => {
    const violations = await replay(example);
    if (example.status === "fixed") expect(violations).toEqual([]);
    else expect(violations, "fixed? mark the fixture fixed").not.toEqual([]);
  });
});
