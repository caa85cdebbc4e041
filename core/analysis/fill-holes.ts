import { components, forBorder, withData, type Mask } from './mask.js';

/**
 * The mask with its holes filled: every piece of background (6-connected; 4 within a slice) that does not reach
 * the grid's border. Run on one slice, a hole is what the outline encloses in that slice; a volume is filled
 * slice by slice (see cleanUp), which also fills every enclosed 3D cavity, since each slice through a cavity
 * shows it enclosed.
 */
export function fillHoles(mask: Mask): Mask {
  const background = new Uint8Array(mask.data.length);
  for (let n = 0; n < background.length; n++) background[n] = mask.data[n] === 0 ? 1 : 0;
  const { ids, sizes } = components(mask.size, background, true);
  const open = new Uint8Array(sizes.length);
  forBorder(mask.size, (n) => (open[ids[n]!] = 1));
  const out = new Uint8Array(ids.length);
  for (let n = 0; n < out.length; n++) out[n] = mask.data[n] === 1 || !open[ids[n]!] ? 1 : 0;
  return withData(mask, out);
}
