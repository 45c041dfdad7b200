/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates nearest `name`, for a "did you mean": those at the fewest edits, when that is within a third of its
 * length (at least 2), at most `most` of them; none when nothing is that close.
 */
export function closestNames(name: string, candidates: readonly string[], most = 3): string[] {
  const scored = candidates.map((candidate) => ({ candidate, d: distance(name.toLowerCase(), candidate.toLowerCase()) }));
  const best = Math.min(...scored.map(({ d }) => d));
  if (best > Math.max(2, Math.floor(name.length / 3))) return [];
  return scored
    .filter(({ d }) => d === best)
    .map(({ candidate }) => candidate)
    .sort((a, b) => a.localeCompare(b))
    .slice(0, most);
}
