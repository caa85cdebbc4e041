export interface SlabSplitOptions {
  /** Slices per slab; default 8. */
  width?: number;
  /** Slices left out between a support slab and a query slab; default 2. */
  gap?: number;
}

export const DEFAULT_SLAB = { width: 8, gap: 2 } as const;

/**
 * Splits the slices of one structure along an axis into support and query sets for 2D in-context evaluation:
 * slabs of `width` consecutive slice indices, counted from the first slice, alternate support / query, with
 * `gap` slices dropped between them. Neighbouring slices look almost alike; the gap keeps every query at least
 * gap + 1 slices away from every support slice, so a query is not answered by its own near-copy.
 */
export function slabSplit(slices: readonly number[], options: SlabSplitOptions = {}): { support: number[]; query: number[] } {
  const width = options.width ?? DEFAULT_SLAB.width;
  const gap = options.gap ?? DEFAULT_SLAB.gap;
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`slab width must be an integer >= 1, got ${width}`);
  if (!Number.isInteger(gap) || gap < 0) throw new RangeError(`slab gap must be an integer >= 0, got ${gap}`);
  const sorted = [...new Set(slices)].sort((a, b) => a - b);
  const support: number[] = [];
  const query: number[] = [];
  if (sorted.length === 0) return { support, query };
  const period = 2 * (width + gap);
  for (const s of sorted) {
    const p = (s - sorted[0]!) % period;
    if (p < width) support.push(s);
    else if (p >= width + gap && p < 2 * width + gap) query.push(s);
  }
  return { support, query };
}
