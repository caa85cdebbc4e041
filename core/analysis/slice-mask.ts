import { extractSlice } from '../data/extract-slice.js';
import { insertSlice } from '../data/insert-slice.js';
import type { Axis } from '../data/volume.js';
import type { Grid3 } from '../util/distance-transform.js';

/** The grid of one slice normal to `axis`, one voxel thick, laid out as extractSlice lays it out. */
export function sliceGrid(grid: Grid3, axis: Axis): Grid3 {
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis) as [Axis, Axis];
  return { size: [grid.size[u], grid.size[v], 1], spacing: [grid.spacing[u], grid.spacing[v], grid.spacing[axis]] };
}

/** Runs a 2D operation on every slice of a volume's data normal to `axis`, in a copy. */
export function bySlice<T extends Grid3 & { data: Uint8Array }>(
  volume: T,
  axis: Axis,
  op: (slice: Grid3 & { data: Uint8Array }) => Uint8Array,
): Uint8Array {
  const out = { data: volume.data.slice(), size: volume.size as [number, number, number] };
  const grid = sliceGrid(volume, axis);
  for (let index = 0; index < volume.size[axis]; index++) {
    const slice = extractSlice(out, axis, index);
    insertSlice(out, axis, index, { ...slice, data: op({ ...grid, data: slice.data }) });
  }
  return out.data;
}
