import { readFileSync } from "node:fs";
import { parseSnapshot } from "../../adapters/memory/index.ts";
import { parseTrustConfig } from "../../core/config-file.ts";
import type { AccountInventory } from "../../core/inventory/types.ts";
import { buildTrustZone, type TrustZone } from "../../core/trust/index.ts";

/** An instant inside the window the sample's expected results hold for (samples/README.md). */
export const SAMPLE_NOW = new Date("2026-11-23T12:00:00Z");

/** The bundled sample account as an inventory. */
export function sampleInventory(): AccountInventory {
  const result = parseSnapshot(JSON.parse(readFileSync("samples/sample-account.json", "utf8")));
  if (!result.ok)
    throw new Error(`the sample snapshot does not load: ${JSON.stringify(result.errors)}`);
  return result.inventory;
}

/** The sample's trust zone (samples/ecr-guard.config.yaml). */
export function sampleTrust(): TrustZone {
  const config = parseTrustConfig(readFileSync("samples/ecr-guard.config.yaml", "utf8"), "yaml");
  if (!config.ok)
    throw new Error(`the sample config does not load: ${JSON.stringify(config.errors)}`);
  const zone = buildTrustZone(config.config);
  if (!zone.ok)
    throw new Error(`the sample trust zone does not build: ${JSON.stringify(zone.errors)}`);
  return zone.zone;
}
