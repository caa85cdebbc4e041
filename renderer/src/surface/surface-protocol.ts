import type { LabelGrid } from '../../../core/analysis/label-surface.js';

/** Build the surfaces of `values` (labels to show) on this label map; a newer request makes an older one stale. */
export interface SurfaceRequest {
  id: number;
  grid: LabelGrid;
  values: number[];
  /** Windowed sinc smoothing, 0 (none) to 1. */
  smoothing: number;
}

/** One label's surface in physical (LPS) millimetres, as transferable arrays. */
export interface SurfaceMeshMessage {
  value: number;
  /** Equal keys, equal meshes: what the surface was built from (the label's voxels, the grid, the smoothing). */
  key: string;
  points: Float32Array;
  normals: Float32Array;
  /** Triangles as vtk.js cell arrays hold them: 3, a, b, c, 3, ... (so the main thread only hands them over). */
  polys: Uint32Array;
}

export type SurfaceReply =
  | { id: number; type: 'done'; surfaces: SurfaceMeshMessage[]; /** Time the worker spent on this request. */ ms: number; rebuilt: number }
  | { id: number; type: 'error'; message: string };
