/** A key that appears twice in one JSON object. */
export interface DuplicateKey {
  /** JSON path of the object holding it, e.g. `$.Statement[0]`. */
  readonly path: string;
  readonly key: string;
}

interface Frame {
  readonly path: string;
  /** The keys seen so far; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** Array: index of the current element. Object: the last key read. */
  index: number;
  key: string;
  expectingKey: boolean;
}

/**
 * Every key that appears more than once in the same object of a JSON text, in document order.
 * `JSON.parse` silently keeps the last value of a repeated key, while another parser (AWS's) may
 * keep the first: a known way to show an analyser one policy and IAM another. Keys are compared
 * after unescaping (`"a"` and `"\u0061"` are the same key), as RFC 8259 compares names.
 *
 * @param text a text `JSON.parse` accepts (the scan relies on it being well-formed)
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    const top = stack[stack.length - 1];
    if (char === '"') {
      const end = stringEnd(text, at);
      if (top?.keys !== undefined && top.expectingKey) {
        const key = readKey(text.slice(at, end + 1));
        if (top.keys.has(key)) found.push({ path: top.path, key });
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      at = end;
    } else if (char === "{" || char === "[") {
      const path = top === undefined ? "$" : childPath(top);
      const keys = char === "{" ? new Set<string>() : undefined;
      stack.push({ path, keys, index: 0, key: "", expectingKey: char === "{" });
    } else if (char === "}" || char === "]") {
      stack.pop();
    } else if (char === "," && top !== undefined) {
      if (top.keys === undefined) top.index++;
      else top.expectingKey = true;
    }
  }
  return found;
}

/** Index of the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
  return at;
}

function readKey(token: string): string {
  return token.includes("\\") ? (JSON.parse(token) as string) : token.slice(1, -1);
}

function childPath(frame: Frame): string {
  return frame.keys === undefined ? `${frame.path}[${frame.index}]` : `${frame.path}.${frame.key}`;
}
