import type { LabelVolume } from './volume.js';

/** Index bounding box [i0 i1 j0 j1 k0 k1] of every label value present, in one pass. */
export function labelExtents(labels: Pick<LabelVolume, 'data' | 'size'>): Map<number, number[]> {
  const [nx, ny, nz] = labels.size;
  const boxes = new Map<number, number[]>();
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, p++) {
        const v = labels.data[p];
        if (v === 0) continue;
        const b = boxes.get(v);
        if (!b) {
          boxes.set(v, [i, i, j, j, k, k]);
        } else {
          if (i < b[0]) b[0] = i;
          if (i > b[1]) b[1] = i;
          if (j < b[2]) b[2] = j;
          if (j > b[3]) b[3] = j;
          b[5] = k;
        }
      }
    }
  }
  return boxes;
}
