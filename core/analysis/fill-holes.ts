import { components, onBorder, withData, type Mask } from './mask.js';

/**
 * The mask with its holes filled: every piece of background (6-connected; 4 within a slice) that does not reach
 * the grid's border. Run on one slice, a hole is what the outline encloses in that slice; callers fill a volume
 * slice by slice (fillHolesBySlice), which also fills every enclosed 3D cavity, since each slice through a cavity
 * shows it enclosed.
 */
export function fillHoles(mask: Mask): Mask {
  const { ids, sizes } = components(mask.size, (n) => mask.data[n] === 0, true);
  const open = new Uint8Array(sizes.length);
  for (let n = 0; n < ids.length; n++) if (ids[n] !== 0 && onBorder(mask.size, n)) open[ids[n]!] = 1;
  return withData(mask, Uint8Array.from(ids, (id, n) => (mask.data[n] === 1 || !open[id] ? 1 : 0)));
}
