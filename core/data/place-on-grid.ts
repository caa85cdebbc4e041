import type { Volume } from './volume.js';

type Geometry = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>;

const fmt = (v: readonly number[]) => v.map((x) => +x.toFixed(3)).join(', ');

/**
 * Puts a label map lying on `from` onto the voxel grid `to`, for maps that hold only part of an image, as a DICOM SEG
 * does when it encodes some of the series' slices: same orientation and spacing, and an origin a whole number of
 * voxels away. Anything else (another series' grid, voxels in between the image's, labels outside the image) is
 * refused with a plain Error saying how the grids differ; the caller adds the file name.
 */
export function placeOnGrid(data: Uint8Array, from: Geometry, to: Geometry): Uint8Array {
  if (from.direction.some((d, n) => Math.abs(d - (to.direction[n] ?? 0)) > 1e-3)) throw new Error("its orientation is not the image's");
  const shift: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    // An axis one voxel long has no spacing of its own to compare (a single-slice SEG).
    if (from.size[a]! > 1 && Math.abs(from.spacing[a]! - to.spacing[a]!) > 1e-3 * Math.max(1, to.spacing[a]!)) {
      throw new Error(`its spacing is ${fmt(from.spacing)} mm, the image's ${fmt(to.spacing)} mm`);
    }
    // The origins' difference along index axis a (column a of the direction matrix), in the image's voxels.
    let along = 0;
    for (let r = 0; r < 3; r++) along += to.direction[r * 3 + a]! * (from.origin[r]! - to.origin[r]!);
    const voxels = along / to.spacing[a]!;
    if (Math.abs(voxels - Math.round(voxels)) > 0.1) {
      throw new Error(`its voxels lie between the image's (origin ${fmt(from.origin)} mm, the image's ${fmt(to.origin)} mm)`);
    }
    shift[a] = Math.round(voxels) + 0;
  }
  if (shift.every((s) => s === 0) && from.size.every((s, a) => s === to.size[a])) return data;
  const [fx, fy, fz] = from.size;
  const [tx, ty, tz] = to.size;
  const out = new Uint8Array(tx * ty * tz);
  for (let k = 0, n = 0; k < fz; k++) {
    for (let j = 0; j < fy; j++) {
      for (let i = 0; i < fx; i++, n++) {
        if (data[n] === 0) continue;
        const [x, y, z] = [i + shift[0], j + shift[1], k + shift[2]];
        if (x < 0 || y < 0 || z < 0 || x >= tx || y >= ty || z >= tz) {
          throw new Error(`it labels voxel (${x}, ${y}, ${z}), outside the image's ${to.size.join('x')} grid`);
        }
        out[(z * ty + y) * tx + x] = data[n]!;
      }
    }
  }
  return out;
}
