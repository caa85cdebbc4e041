import { components, withData, type Mask } from './mask.js';

/** The mask's largest connected piece alone (26-connected; 8 within a slice). Ties keep the first found. */
export function keepLargestIsland(mask: Mask): Mask {
  const { ids, sizes } = components(mask.size, mask.data, false);
  let largest = 0;
  for (let id = 1; id < sizes.length; id++) if (sizes[id]! > (sizes[largest] ?? 0)) largest = id;
  return keepComponents(
    mask,
    ids,
    sizes.map((_, id) => id === largest),
  );
}

/** The mask without its connected pieces of fewer than `minVoxels` voxels. */
export function removeSmallIslands(mask: Mask, minVoxels: number): Mask {
  const { ids, sizes } = components(mask.size, mask.data, false);
  return keepComponents(
    mask,
    ids,
    sizes.map((size) => size >= minVoxels),
  );
}

/** The voxels of the components kept (keep[id]; id 0, the background, never is). */
function keepComponents(mask: Mask, ids: Int32Array, keep: boolean[]): Mask {
  const out = new Uint8Array(ids.length);
  for (let n = 0; n < ids.length; n++) out[n] = ids[n] !== 0 && keep[ids[n]!] ? 1 : 0;
  return withData(mask, out);
}
