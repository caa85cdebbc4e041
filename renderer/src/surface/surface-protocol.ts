import type { LabelGrid } from '../../../core/analysis/label-surface.js';

/** Build the surfaces of `values` (labels to show) on this label map; a newer request makes an older one stale. */
export interface SurfaceRequest {
  id: number;
  grid: LabelGrid;
  values: number[];
  /** Windowed sinc smoothing, 0 (none) to 1. */
  smoothing: number;
}

/** Part of a label's surface with its own compact arrays, small enough to hand to WebGL within one frame. */
export interface SurfacePiece {
  points: Float32Array;
  normals: Float32Array;
  /** Triangles as vtk.js cell arrays hold them: 3, a, b, c, 3, ... (so the main thread only hands them over). */
  polys: Uint32Array;
}

/** One label's surface in physical (LPS) millimetres, in pieces (surface-pieces.ts), as transferable arrays. */
export interface SurfaceMeshMessage {
  value: number;
  /** Which build of the worker made it: a surface the 3D view already shows under this version is not handed over again. */
  version: number;
  /** Triangles in all its pieces. */
  triangles: number;
  /** [xmin, xmax, ymin, ymax, zmin, zmax] of its points. */
  bounds: number[];
  pieces: SurfacePiece[];
}

export type SurfaceReply =
  | { id: number; type: 'done'; surfaces: SurfaceMeshMessage[]; /** Time the worker spent on this request. */ ms: number; rebuilt: number }
  | { id: number; type: 'error'; message: string };
