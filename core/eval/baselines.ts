import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import type { Axis, LabelVolume } from '../data/volume.js';
import { interpolateContours } from '../infer/contour-interpolation.js';
import { checkSliceList } from '../infer/labelled-slices.js';

/**
 * What a user would get without the network, from the same labelled slices, to measure propagation against.
 * Both keep the labelled slices exactly as given and fill every other slice along `axis`.
 */

/** Every unlabelled slice copies the nearest labelled slice (the lower one when two are equally near). */
export function nearestSliceCopy(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): LabelVolume {
  const labelled = checkSlices(partial, axis, labelledSlices);
  const out = { ...partial, data: new Uint8Array(partial.data.length) };
  const copies = new Map(labelled.map((s) => [s, extractSlice(partial, axis, s)]));
  for (let s = 0; s < partial.size[axis]; s++) {
    let best = labelled[0];
    for (const l of labelled) if (Math.abs(l - s) < Math.abs(best - s)) best = l;
    insertSlice(out, axis, s, copies.get(best)!);
  }
  return out;
}

/**
 * Morphological contour interpolation (interpolateContours) of each label on its own, across the whole axis, from
 * the given slices. Where interpolated labels overlap, the lower value wins.
 */
export async function contourInterpolation(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): Promise<LabelVolume> {
  const labelled = checkSlices(partial, axis, labelledSlices);
  const given = new Map(labelled.map((s) => [s, extractSlice(partial, axis, s)]));
  const values = new Set<number>();
  for (const slice of given.values()) for (const v of slice.data) if (v) values.add(v);
  const { width, height } = given.get(labelled[0]!)!;
  const n = partial.size[axis];
  const merged = Array.from({ length: n }, () => new Uint8Array(width * height));
  for (const value of [...values].sort((a, b) => a - b)) {
    const masks = await interpolateContours((s) => given.get(s), value, 0, n - 1, { width, height });
    masks.forEach((mask, s) => mask.forEach((m, i) => m && !merged[s]![i] && (merged[s]![i] = value)));
  }
  const out = { ...partial, data: new Uint8Array(partial.data.length) };
  for (let s = 0; s < n; s++) insertSlice(out, axis, s, given.get(s) ?? { data: merged[s]!, width, height });
  return out;
}

function checkSlices(partial: LabelVolume, axis: Axis, labelledSlices: readonly number[]): number[] {
  const labelled = checkSliceList(labelledSlices, partial, axis);
  if (labelled.length === 0) throw new Error('at least one labelled slice is needed');
  return labelled;
}
