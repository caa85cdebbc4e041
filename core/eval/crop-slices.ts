import { sliceLayout } from '../data/slice-layout.js';
import type { Axis, LabelVolume, Volume } from '../data/volume.js';

/** Slices first..last (inclusive) along `axis` of an image or label map, as a grid of its own, placed where they were. */
export function cropSlices<T extends Volume | LabelVolume>(grid: T, axis: Axis, first: number, last: number): T {
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first || last >= grid.size[axis]) {
    throw new RangeError(`slices ${first}..${last} are not a range within 0..${grid.size[axis] - 1} along axis ${axis}`);
  }
  const size = [...grid.size] as [number, number, number];
  size[axis] = last - first + 1;
  const data = new (grid.data.constructor as new (n: number) => T['data'])(size[0] * size[1] * size[2]);
  for (let s = first; s <= last; s++) {
    const from = sliceLayout(grid.size, axis, s);
    const to = sliceLayout(size, axis, s - first);
    for (let y = 0; y < from.height; y++) {
      for (let x = 0; x < from.width; x++) {
        data[to.offset + y * to.rowStride + x * to.columnStride] = grid.data[from.offset + y * from.rowStride + x * from.columnStride]!;
      }
    }
  }
  const origin = grid.origin.map((o, r) => o + grid.direction[r * 3 + axis]! * grid.spacing[axis] * first) as [number, number, number];
  return { ...grid, data, size, origin };
}
