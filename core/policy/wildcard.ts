/**
 * IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.
 * Used for actions, resources, ARN conditions and `…Like` operators.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starPi = -1;
  let starVi = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === "?" || (pc !== undefined && pc !== "*" && pc === v[vi])) {
      pi++;
      vi++;
    } else if (pc === "*") {
      starPi = pi++;
      starVi = vi;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      vi = ++starVi;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

/** True when the text contains an IAM wildcard character. */
export function hasWildcard(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

/**
 * True when some string matches both patterns. Exact for patterns made of literals, `*` and `?`
 * (a small product-automaton search), so rules can ask "could a caller satisfy both?".
 */
export function wildcardsOverlap(a: string, b: string, ignoreCase = false): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const width = y.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === x.length && j === y.length) return true;
    const cx = x[i];
    const cy = y[j];
    if (cx === "*") stack.push([i + 1, j]);
    if (cy === "*") stack.push([i, j + 1]);
    if (cx === "*" && cy !== undefined) stack.push([i, j + 1]);
    if (cy === "*" && cx !== undefined) stack.push([i + 1, j]);
    if (cx !== undefined && cy !== undefined && cx !== "*" && cy !== "*") {
      if (cx === "?" || cy === "?" || cx === cy) stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
