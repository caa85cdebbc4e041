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

/**
 * Calls `visit(m)` for each neighbour m of voxel n: the 26 around it (8 in a grid one voxel thick), or with
 * `faces` only the 6 sharing a face. Components of a mask use the 26; the background around them the 6, so that a
 * diagonal gap neither joins two islands nor opens a hole.
 */
export function forNeighbours(size: Grid3['size'], n: number, faces: boolean, visit: (m: number) => void): void {
  const [nx, ny, nz] = size;
  const i = n % nx;
  const j = Math.floor(n / nx) % ny;
  const k = Math.floor(n / (nx * ny));
  for (let dk = -1; dk <= 1; dk++) {
    const kk = k + dk;
    if (kk < 0 || kk >= nz) continue;
    for (let dj = -1; dj <= 1; dj++) {
      const jj = j + dj;
      if (jj < 0 || jj >= ny) continue;
      for (let di = -1; di <= 1; di++) {
        const ii = i + di;
        if (ii < 0 || ii >= nx || (di === 0 && dj === 0 && dk === 0)) continue;
        if (faces && Math.abs(di) + Math.abs(dj) + Math.abs(dk) !== 1) continue;
        visit((kk * ny + jj) * nx + ii);
      }
    }
  }
}

/** Connected components of the voxels where `member(n)` holds: a component id (1..) per voxel, 0 elsewhere, and each one's size. */
export function components(size: Grid3['size'], member: (n: number) => boolean, faces: boolean): { ids: Int32Array; sizes: number[] } {
  const total = size[0] * size[1] * size[2];
  const ids = new Int32Array(total);
  const sizes = [0];
  const stack: number[] = [];
  for (let seed = 0; seed < total; seed++) {
    if (ids[seed] !== 0 || !member(seed)) continue;
    const id = sizes.length;
    let count = 0;
    ids[seed] = id;
    stack.push(seed);
    while (stack.length > 0) {
      const n = stack.pop()!;
      count++;
      forNeighbours(size, n, faces, (m) => {
        if (ids[m] === 0 && member(m)) {
          ids[m] = id;
          stack.push(m);
        }
      });
    }
    sizes.push(count);
  }
  return { ids, sizes };
}

/** Whether voxel n lies on the grid's border along an axis that has more than one voxel (a slice has no top or bottom). */
export function onBorder(size: Grid3['size'], n: number): boolean {
  const [nx, ny] = size;
  const at = [n % nx, Math.floor(n / nx) % ny, Math.floor(n / (nx * ny))];
  return at.some((c, axis) => size[axis]! > 1 && (c === 0 || c === size[axis]! - 1));
}
