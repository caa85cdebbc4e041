import type { Grid3 } from '../util/distance-transform.js';

/** A binary mask (0/1 per voxel) on a grid, in ITK's index order; a slice is a grid one voxel thick. */
export interface Mask extends Grid3 {
  data: Uint8Array;
}

export function maskOf(grid: Grid3 & { data: Uint8Array }, value: number): Mask {
  const data = new Uint8Array(grid.data.length);
  for (let n = 0; n < data.length; n++) data[n] = grid.data[n] === value ? 1 : 0;
  return { data, size: grid.size, spacing: grid.spacing };
}

export function withData(mask: Mask, data: Uint8Array): Mask {
  return { data, size: mask.size, spacing: mask.spacing };
}

/** Voxel n's neighbours as (di, dj, dk) steps: the 26 around it, or with `faces` the 6 sharing a face. */
function neighbourSteps(faces: boolean): number[][] {
  const steps: number[][] = [];
  for (let dk = -1; dk <= 1; dk++) {
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const taxicab = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
        if (taxicab !== 0 && (!faces || taxicab === 1)) steps.push([di, dj, dk]);
      }
    }
  }
  return steps;
}

/**
 * Connected components of the voxels where `member` is 1: a component id (1..) per voxel, 0 elsewhere, and each
 * one's size. Components of a mask join across edges and corners (26 neighbours; 8 in a slice one voxel thick),
 * the background around them only across faces (`faces`), so that a diagonal gap neither joins two islands nor
 * opens a hole.
 */
export function components(size: Grid3['size'], member: Uint8Array, faces: boolean): { ids: Int32Array; sizes: number[] } {
  const [nx, ny, nz] = size;
  const steps = neighbourSteps(faces);
  const ids = new Int32Array(member.length);
  const queue = new Int32Array(member.length);
  const sizes = [0];
  for (let seed = 0; seed < member.length; seed++) {
    if (ids[seed] !== 0 || member[seed] === 0) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    ids[seed] = id;
    queue[tail++] = seed;
    while (head < tail) {
      const n = queue[head++]!;
      const i = n % nx;
      const j = Math.floor(n / nx) % ny;
      const k = Math.floor(n / (nx * ny));
      for (const [di, dj, dk] of steps) {
        const ii = i + di!;
        const jj = j + dj!;
        const kk = k + dk!;
        if (ii < 0 || ii >= nx || jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
        const m = (kk * ny + jj) * nx + ii;
        if (ids[m] === 0 && member[m] === 1) {
          ids[m] = id;
          queue[tail++] = m;
        }
      }
    }
    sizes.push(tail);
  }
  return { ids, sizes };
}

/** Calls `visit(n)` for every voxel on the grid's border along an axis with more than one voxel (a slice has no top or bottom). */
export function forBorder(size: Grid3['size'], visit: (n: number) => void): void {
  const [nx, ny, nz] = size;
  for (let k = 0; k < nz; k++) {
    const kEdge = nz > 1 && (k === 0 || k === nz - 1);
    for (let j = 0; j < ny; j++) {
      const jEdge = kEdge || (ny > 1 && (j === 0 || j === ny - 1));
      for (let i = 0; i < nx; i++) {
        if (jEdge || (nx > 1 && (i === 0 || i === nx - 1))) visit((k * ny + j) * nx + i);
      }
    }
  }
}
