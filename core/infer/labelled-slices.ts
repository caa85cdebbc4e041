import { extractSlice } from '../data/extract-slice.js';
import type { Axis, LabelVolume } from '../data/volume.js';

/** Indices of the slices along `axis` that hold any label: the slices a user has painted. */
export function slicesWithLabels(labels: LabelVolume, axis: Axis): number[] {
  const found: number[] = [];
  for (let s = 0; s < labels.size[axis]; s++) {
    if (extractSlice(labels, axis, s).data.some((v) => v !== 0)) found.push(s);
  }
  return found;
}

/** Checks a user's list of slice indices against the map and returns it sorted, without repeats. */
export function checkSliceList(slices: readonly number[], labels: LabelVolume, axis: Axis): number[] {
  const n = labels.size[axis];
  for (const s of slices) {
    if (!Number.isInteger(s) || s < 0 || s >= n) throw new RangeError(`slice ${s} is outside 0..${n - 1} along axis ${axis}`);
  }
  return [...new Set(slices)].sort((a, b) => a - b);
}
