/**
 * The `count` labelled slices nearest to `slice` (by index distance; of two equally near, the lower first),
 * returned in ascending order so that equal choices compare equal.
 */
export function nearestSlices(slice: number, labelled: readonly number[], count: number): number[] {
  return [...labelled]
    .sort((a, b) => Math.abs(a - slice) - Math.abs(b - slice) || a - b)
    .slice(0, Math.max(0, count))
    .sort((a, b) => a - b);
}
