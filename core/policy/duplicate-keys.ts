/** A key that appears twice in one JSON object. */
export interface DuplicateKey {
  /** JSON path of the object holding it, e.g. `$.Statement[0]`. */
  readonly path: string;
  readonly key: string;
}

interface Frame {
  /** The enclosing object or array; undefined for the document itself. */
  readonly parent: Frame | undefined;
  /** Where the parent holds this value: a key, or an array index. */
  readonly slot: string | number;
  /** The keys seen so far; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** Array: index of the current element. Object: the last key read. */
  index: number;
  key: string;
  expectingKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * Every key that appears more than once in the same object of a JSON text, in document order.
 * `JSON.parse` silently keeps the last value of a repeated key, while another parser (AWS's) may
 * keep the first: a known way to show an analyser one policy and IAM another. Keys are compared
 * after unescaping (`"a"` and `"\u0061"` are the same key), as RFC 8259 compares names. Paths are
 * only spelled out for the objects holding a repeated key, so a clean document costs one pass.
 *
 * @param text a text `JSON.parse` accepts (the scan relies on it being well-formed)
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  let top: Frame | undefined;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === QUOTE) {
      const end = stringEnd(text, at);
      if (top?.keys !== undefined && top.expectingKey) {
        const key = readKey(text, at, end);
        if (top.keys.has(key)) found.push({ path: pathOf(top), key });
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      at = end;
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      const slot = top === undefined ? "" : top.keys === undefined ? top.index : top.key;
      const keys = char === OPEN_OBJECT ? new Set<string>() : undefined;
      top = { parent: top, slot, keys, index: 0, key: "", expectingKey: char === OPEN_OBJECT };
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      top = top?.parent;
    } else if (char === COMMA && top !== undefined) {
      if (top.keys === undefined) top.index++;
      else top.expectingKey = true;
    }
  }
  return found;
}

/** Index of the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let at = text.indexOf('"', start + 1);
  while (at > 0 && isEscaped(text, at)) at = text.indexOf('"', at + 1);
  return at < 0 ? text.length : at;
}

/** True when an odd number of backslashes precedes the character at `at`. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let before = at - 1; text.charCodeAt(before) === BACKSLASH; before--) backslashes++;
  return backslashes % 2 === 1;
}

/** The key whose quotes are at `start` and `end`, unescaped. */
function readKey(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end);
  return inner.includes("\\") ? (JSON.parse(`"${inner}"`) as string) : inner;
}

/** `$`, `$.Statement`, `$.Statement[0].Condition`: the path of a frame, from its ancestry. */
function pathOf(frame: Frame): string {
  const parent = frame.parent;
  if (parent === undefined) return "$";
  return parent.keys === undefined
    ? `${pathOf(parent)}[${frame.slot}]`
    : `${pathOf(parent)}.${frame.slot}`;
}
