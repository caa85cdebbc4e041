import { labelExtents } from '../data/label-extents.js';
import type { MeshFormat } from '../data/write-surface-mesh.js';
import { writeSurfaceMesh } from '../data/write-surface-mesh.js';
import { labelSurface, type LabelGrid } from './label-surface.js';

export interface SurfaceExport {
  path: string;
  format: MeshFormat;
  points: number;
  triangles: number;
}

/**
 * Writes label `value`'s surface (the 3D view's, with the same smoothing) as STL, OBJ or VTK by extension, in
 * physical LPS millimetres. `protect`: inputs never to overwrite.
 */
export async function exportLabelSurface(
  file: string,
  labels: LabelGrid,
  value: number,
  options: { smoothing?: number; protect?: readonly string[] } = {},
): Promise<SurfaceExport> {
  const box = labelExtents(labels).get(value);
  if (!box) throw new Error(`label ${value} has no voxels: there is no surface to export`);
  const surface = labelSurface(labels, value, box, { smoothing: options.smoothing ?? 0 });
  const format = await writeSurfaceMesh(file, surface, options.protect);
  return { path: file, format, points: surface.points.length / 3, triangles: surface.triangles.length / 3 };
}
