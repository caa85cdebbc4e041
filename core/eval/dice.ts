/** Voxels in both masks, and the sum of the two mask sizes: Dice is 2·intersection / sizeSum. */
export interface Overlap {
  intersection: number;
  sizeSum: number;
}

/**
 * The overlap counts of two masks on the same grid. With `label`, a voxel belongs to a mask when it holds that
 * value, otherwise when it is non-zero. Counts, unlike Dice values, add up over slices: a volume's Dice is
 * the ratio of its slices' summed counts.
 */
export function overlap(prediction: ArrayLike<number>, truth: ArrayLike<number>, label?: number): Overlap {
  if (prediction.length !== truth.length) {
    throw new RangeError(`masks differ in size: ${prediction.length} vs ${truth.length} voxels`);
  }
  const inside = label === undefined ? (v: number) => v !== 0 : (v: number) => v === label;
  let intersection = 0;
  let sizeSum = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = inside(prediction[i]);
    const t = inside(truth[i]);
    if (p) sizeSum++;
    if (t) sizeSum++;
    if (p && t) intersection++;
  }
  return { intersection, sizeSum };
}

/** Dice of summed overlap counts, in [0, 1]. Two empty masks agree perfectly: 1. */
export function diceOf(counts: Overlap): number {
  return counts.sizeSum === 0 ? 1 : (2 * counts.intersection) / counts.sizeSum;
}

/**
 * Dice overlap 2|A∩B| / (|A| + |B|) of two masks on the same grid, in [0, 1]. With `label`, a voxel belongs to
 * a mask when it holds that value, otherwise when it is non-zero. Two empty masks agree perfectly: 1.
 */
export function dice(prediction: ArrayLike<number>, truth: ArrayLike<number>, label?: number): number {
  return diceOf(overlap(prediction, truth, label));
}
