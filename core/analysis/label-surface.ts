import type { LabelVolume } from '../data/volume.js';
import { marchingCubes, type TriangleMesh } from './marching-cubes.js';
import { vertexNormals } from './surface-normals.js';
import { smoothSurface } from './surface-smoothing.js';

/** A label's surface in physical (LPS, millimetre) coordinates, with outward vertex normals. */
export interface LabelSurface extends TriangleMesh {
  value: number;
  normals: Float32Array;
}

export interface LabelSurfaceOptions {
  /** Windowed sinc smoothing, 0 (none, the voxel staircase) to 1; see smoothSurface. */
  smoothing?: number;
}

/** The grid a surface is placed on: the label map's geometry (LPS, as ITK and the engine keep it). */
export type LabelGrid = Pick<LabelVolume, 'data' | 'size' | 'spacing' | 'origin' | 'direction'>;

/**
 * The surface around the voxels of label `value`, between voxel centres inside and outside (iso-value 0.5 of
 * its mask), closed where the label touches the image's edge. Only the label's bounding box `box`
 * ([i0 i1 j0 j1 k0 k1], from labelExtents) is visited. Shared by the workstation's 3D view (in a Web Worker)
 * and mesh export, so what is exported is what was shown.
 */
export function labelSurface(labels: LabelGrid, value: number, box: readonly number[], options: LabelSurfaceOptions = {}): LabelSurface {
  const [i0, i1, j0, j1, k0, k1] = box as [number, number, number, number, number, number];
  // One empty voxel layer all round, so the surface closes.
  const nx = i1 - i0 + 3,
    ny = j1 - j0 + 3,
    nz = k1 - k0 + 3;
  const mask = new Uint8Array(nx * ny * nz);
  const [sx, sy] = labels.size;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const from = (k * sy + j) * sx;
      const to = ((k - k0 + 1) * ny + (j - j0 + 1)) * nx + 1 - i0;
      for (let i = i0; i <= i1; i++) if (labels.data[from + i] === value) mask[to + i] = 1;
    }
  }
  const indexed = marchingCubes(mask, nx, ny, nz);
  const placed = toPhysical(indexed, labels, [i0 - 1, j0 - 1, k0 - 1]);
  const mesh = smoothSurface(placed, options.smoothing ?? 0);
  return { value, ...mesh, normals: vertexNormals(mesh.points, mesh.triangles) };
}

/**
 * Index coordinates (offset by `shift`) to physical ones: origin + direction x (spacing * index). A direction
 * matrix that mirrors (determinant < 0) turns the triangles inside out, so their winding is reversed.
 */
function toPhysical(mesh: TriangleMesh, grid: LabelGrid, shift: [number, number, number]): TriangleMesh {
  const d = grid.direction,
    s = grid.spacing,
    o = grid.origin;
  const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => d[r * 3 + c]! * s[c]!));
  const points = new Float32Array(mesh.points.length);
  for (let p = 0; p < points.length; p += 3) {
    const i = mesh.points[p]! + shift[0],
      j = mesh.points[p + 1]! + shift[1],
      k = mesh.points[p + 2]! + shift[2];
    for (let r = 0; r < 3; r++) points[p + r] = o[r]! + m[r]![0]! * i + m[r]![1]! * j + m[r]![2]! * k;
  }
  const det = d[0]! * (d[4]! * d[8]! - d[5]! * d[7]!) - d[1]! * (d[3]! * d[8]! - d[5]! * d[6]!) + d[2]! * (d[3]! * d[7]! - d[4]! * d[6]!);
  if (det >= 0) return { points, triangles: mesh.triangles };
  const triangles = mesh.triangles.slice();
  for (let t = 0; t < triangles.length; t += 3) [triangles[t + 1], triangles[t + 2]] = [triangles[t + 2]!, triangles[t + 1]!];
  return { points, triangles };
}
