/**
 * "Did you mean" candidates: names within a small edit distance of the input, best first.
 * Same idea as graphql-js's suggestionList (optimal string alignment distance, case-insensitive).
 */
export function suggestionList(input: string, options: readonly string[]): string[] {
  const scored: { option: string; distance: number }[] = [];
  const threshold = Math.floor(input.length * 0.4) + 1;
  const lowered = input.toLowerCase();
  for (const option of options) {
    const distance = lowered === option.toLowerCase() ? 0.5 : editDistance(lowered, option.toLowerCase(), threshold);
    if (distance <= threshold) scored.push({ option, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || (a.option < b.option ? -1 : 1));
  return scored.map((s) => s.option).slice(0, 5);
}

function editDistance(a: string, b: string, threshold: number): number {
  if (Math.abs(a.length - b.length) > threshold) return threshold + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > threshold) return threshold + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? threshold + 1;
}

/** `did you mean "a" or "b"?`, or undefined when there is nothing close. */
export function didYouMean(candidates: readonly string[], quote: (s: string) => string = (s) => `\`${s}\``): string | undefined {
  if (candidates.length === 0) return undefined;
  const quoted = candidates.map(quote);
  if (quoted.length === 1) return `did you mean ${quoted[0]}?`;
  return `did you mean ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}?`;
}
