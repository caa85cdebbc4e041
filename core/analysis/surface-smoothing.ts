/// <reference path="./vtk-modules.d.ts" />
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData.js';
import vtkWindowedSincPolyDataFilter from '@kitware/vtk.js/Filters/General/WindowedSincPolyDataFilter.js';
import type { TriangleMesh } from './marching-cubes.js';
import { vtkPolys } from './vtk-polys.js';

interface PolyDataInput {
  getPoints(): { setData(data: Float32Array, components: number): void };
  getPolys(): { setData(data: Uint32Array, components: number): void };
}

/**
 * Windowed sinc smoothing (Taubin's non-shrinking filter, vtk.js) of a closed surface, as 3D Slicer smooths
 * segment surfaces: `factor` 0..1 maps to a pass band of 10^(-4 factor) with 20 iterations and normalised
 * coordinates, Slicer's mapping, so 0.5 looks as Slicer's default does. Vertices move; triangles stay.
 */
export function smoothSurface(mesh: TriangleMesh, factor: number): TriangleMesh {
  if (factor <= 0 || mesh.triangles.length === 0) return mesh;
  // vtk.js's own declarations of vtkPolyData do not resolve under NodeNext: the two calls used, typed here.
  const input = vtkPolyData.newInstance() as unknown as PolyDataInput;
  input.getPoints().setData(mesh.points, 3);
  input.getPolys().setData(vtkPolys(mesh.triangles), 1);
  const filter = vtkWindowedSincPolyDataFilter.newInstance({
    numberOfIterations: 20,
    passBand: 10 ** (-4 * Math.min(1, factor)),
    normalizeCoordinates: 1,
    boundarySmoothing: 0,
    nonManifoldSmoothing: 1,
    featureEdgeSmoothing: 0,
  });
  filter.setInputData(input);
  const smoothed = filter.getOutputData().getPoints().getData();
  return { points: Float32Array.from(smoothed), triangles: mesh.triangles };
}
