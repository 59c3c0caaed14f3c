import type { Random } from "../random.ts";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2021, 0, 1);

/** An IAM unique id such as `AROA…` (prefix plus 17 characters), deterministic per `rng`. */
export function awsId(rng: Random, prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 17; i += 1) id += ID_ALPHABET[rng.int(0, ID_ALPHABET.length - 1)];
  return id;
}

/** An ISO 8601 instant between 2021 and early 2026, as the AWS CLI prints creation dates. */
export function isoDate(rng: Random): string {
  return new Date(EPOCH + rng.int(0, 1900) * DAY_MS + rng.int(0, DAY_MS - 1)).toISOString();
}

/** A lower-case hexadecimal string of `length` characters (UUID parts, endpoint ids). */
export function hex(rng: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += rng.int(0, 15).toString(16);
  return out;
}
