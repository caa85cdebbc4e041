import { squaredDistanceTo } from '../util/distance-transform.js';
import { withData, type Mask } from './mask.js';

// Margins are balls in millimetres, measured between voxel centres with the grid's own spacing: on a 1 x 1 x 3 mm
// grid a 2 mm margin adds two voxels in-plane and none across slices. Slightly widened so that a margin of exactly
// one spacing reaches the next voxel whatever the rounding of the spacing.
const TOLERANCE = 1e-6;

/** Every voxel within `mm` of the mask joins it (a dilation by a ball). */
export function grow(mask: Mask, mm: number): Mask {
  const d2 = squaredDistanceTo(mask, (n) => mask.data[n] === 1);
  const limit = (mm + TOLERANCE) ** 2;
  const out = new Uint8Array(d2.length);
  for (let n = 0; n < out.length; n++) out[n] = d2[n]! <= limit ? 1 : 0;
  return withData(mask, out);
}

/** Every mask voxel within `mm` of a voxel outside it leaves it (an erosion by a ball); beyond the grid counts as neither. */
export function shrink(mask: Mask, mm: number): Mask {
  const d2 = squaredDistanceTo(mask, (n) => mask.data[n] === 0);
  const limit = (mm + TOLERANCE) ** 2;
  const out = new Uint8Array(d2.length);
  for (let n = 0; n < out.length; n++) out[n] = mask.data[n] === 1 && d2[n]! > limit ? 1 : 0;
  return withData(mask, out);
}

/** Closes gaps and dents narrower than 2 x `mm`. */
export function closing(mask: Mask, mm: number): Mask {
  return shrink(grow(mask, mm), mm);
}

/** Removes spurs and bridges narrower than 2 x `mm`. */
export function opening(mask: Mask, mm: number): Mask {
  return grow(shrink(mask, mm), mm);
}

/**
 * Binary median over a box of (2r + 1) voxels a side, clipped at the grid's edges (and flat within a slice): a
 * voxel is in when more than half the box is. Box sums come from a summed-volume table, so any radius costs the same.
 */
export function median(mask: Mask, radius: number): Mask {
  const [nx, ny, nz] = mask.size;
  const sx = nx + 1;
  const sxy = sx * (ny + 1);
  // sum[(k * (ny + 1) + j) * (nx + 1) + i] = voxels of the mask with index below (i, j, k) on every axis.
  const sum = new Int32Array(sxy * (nz + 1));
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const at = (k + 1) * sxy + (j + 1) * sx + i + 1;
        sum[at] =
          mask.data[(k * ny + j) * nx + i]! +
          sum[at - 1]! +
          sum[at - sx]! +
          sum[at - sxy]! -
          sum[at - sx - 1]! -
          sum[at - sxy - 1]! -
          sum[at - sxy - sx]! +
          sum[at - sxy - sx - 1]!;
      }
    }
  }
  const box = (a0: number, a1: number, b0: number, b1: number, c0: number, c1: number) =>
    sum[c1 * sxy + b1 * sx + a1]! -
    sum[c1 * sxy + b1 * sx + a0]! -
    sum[c1 * sxy + b0 * sx + a1]! -
    sum[c0 * sxy + b1 * sx + a1]! +
    sum[c1 * sxy + b0 * sx + a0]! +
    sum[c0 * sxy + b1 * sx + a0]! +
    sum[c0 * sxy + b0 * sx + a1]! -
    sum[c0 * sxy + b0 * sx + a0]!;
  const out = new Uint8Array(mask.data.length);
  for (let k = 0, p = 0; k < nz; k++) {
    const c0 = Math.max(0, k - radius);
    const c1 = Math.min(nz, k + radius + 1);
    for (let j = 0; j < ny; j++) {
      const b0 = Math.max(0, j - radius);
      const b1 = Math.min(ny, j + radius + 1);
      for (let i = 0; i < nx; i++, p++) {
        const a0 = Math.max(0, i - radius);
        const a1 = Math.min(nx, i + radius + 1);
        out[p] = 2 * box(a0, a1, b0, b1, c0, c1) > (a1 - a0) * (b1 - b0) * (c1 - c0) ? 1 : 0;
      }
    }
  }
  return withData(mask, out);
}
