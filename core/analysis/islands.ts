import { components, withData, type Mask } from './mask.js';

/** The mask's largest connected piece alone (26-connected; 8 within a slice). Ties keep the first found. */
export function keepLargestIsland(mask: Mask): Mask {
  const { ids, sizes } = components(mask.size, (n) => mask.data[n] === 1, false);
  let largest = 0;
  for (let id = 1; id < sizes.length; id++) if (sizes[id]! > (sizes[largest] ?? 0)) largest = id;
  return withData(mask, Uint8Array.from(ids, (id) => (id !== 0 && id === largest ? 1 : 0)));
}

/** The mask without its connected pieces of fewer than `minVoxels` voxels. */
export function removeSmallIslands(mask: Mask, minVoxels: number): Mask {
  const { ids, sizes } = components(mask.size, (n) => mask.data[n] === 1, false);
  return withData(mask, Uint8Array.from(ids, (id) => (id !== 0 && sizes[id]! >= minVoxels ? 1 : 0)));
}
