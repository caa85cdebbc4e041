/**
 * Dice overlap 2|A∩B| / (|A| + |B|) of two masks on the same grid, in [0, 1]. With `label`, a voxel belongs to
 * a mask when it holds that value, otherwise when it is non-zero. Two empty masks agree perfectly: 1.
 */
export function dice(prediction: ArrayLike<number>, truth: ArrayLike<number>, label?: number): number {
  if (prediction.length !== truth.length) {
    throw new RangeError(`masks differ in size: ${prediction.length} vs ${truth.length} voxels`);
  }
  const inside = label === undefined ? (v: number) => v !== 0 : (v: number) => v === label;
  let both = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = inside(prediction[i]);
    const t = inside(truth[i]);
    if (p) total++;
    if (t) total++;
    if (p && t) both++;
  }
  return total === 0 ? 1 : (2 * both) / total;
}
