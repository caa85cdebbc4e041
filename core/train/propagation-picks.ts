import { nearestSlices } from '../infer/nearest-slices.js';
import type { Random } from '../util/random.js';

/** Spacings between labelled slices drawn for propagation-like sets: from dense painting to every 20th slice. */
const SPACING: [number, number] = [2, 20];

/**
 * A query slice and the support a user's propagation would give it: every d-th slice is labelled (d drawn from
 * SPACING, the grid never through the query), and the support is the n labelled slices nearest to the query that
 * show the structure, as propagateVolume picks them. Sets of random slices from the whole structure teach the
 * network to segment a structure from anywhere in it; propagation shows it near neighbours, whose anatomy and
 * position the query shares. Fewer than n grid slices repeat (as small tasks do); undefined when the grid misses
 * the structure.
 */
export function propagationPicks(rng: Random, slices: readonly number[], n: number): number[] | undefined {
  const query = slices[rng.int(slices.length)]!;
  const spacing = SPACING[0] + rng.int(SPACING[1] - SPACING[0] + 1);
  const phase = 1 + rng.int(spacing - 1);
  const labelled = slices.filter((s) => (((s - query - phase) % spacing) + spacing) % spacing === 0);
  if (labelled.length === 0) return undefined;
  const nearest = nearestSlices(query, labelled, n);
  return [query, ...Array.from({ length: n }, (_, i) => nearest[i % nearest.length]!)];
}
