import type { SurfacePiece } from './surface-protocol.js';

/**
 * Most triangles in one piece of a label surface, and so handed to WebGL in one animation frame (SurfaceHandOver).
 * A hand-over frame costs packing and uploading the piece (vtk.js, ~1/3 of the frame) and drawing it over the
 * picture, which the page's compositor waits for (software WebGL: GLES2::ReadPixels of the canvas in the frame's
 * commit, in proportion to the triangles drawn). Measured with surface-view.perf.spec.ts (256³ map, 410k
 * triangles, headless Chromium, a 2-core machine at load ~10): 32,768 gave frames of 65-180 ms and a longest
 * task of 176-447 ms; 16,384 frames of 50-120 ms, longest 135-216 ms, the whole hand-over no slower (1.3-2.6 s,
 * the frame rate being what it is there); 8,192 no shorter tasks (115-183 ms) and a hand-over of 2.4-3.4 s.
 * Handing ~400k triangles over at once was one task of 300-1,200 ms on the same machine (174 ms quiet).
 */
export const PIECE_TRIANGLES = 16_384;

/**
 * A surface cut into consecutive runs of at most `maxTriangles` triangles, each with its own compact points and
 * normals (a point shared by two pieces is in both), its triangles as a vtk.js cell array (3, a, b, c, ...).
 * Marching cubes emits triangles slab by slab, so consecutive triangles share most of their points.
 */
export function splitSurface(points: Float32Array, normals: Float32Array, triangles: Uint32Array, maxTriangles: number): SurfacePiece[] {
  const count = triangles.length / 3;
  const local = new Int32Array(points.length / 3).fill(-1);
  const pieces: SurfacePiece[] = [];
  const used = new Uint32Array(Math.min(count, maxTriangles) * 3);
  for (let first = 0; first < count; first += maxTriangles) {
    const last = Math.min(count, first + maxTriangles);
    const polys = new Uint32Array((last - first) * 4);
    let n = 0;
    for (let t = first, o = 0; t < last; t++) {
      polys[o++] = 3;
      for (let c = 0; c < 3; c++) {
        const g = triangles[t * 3 + c]!;
        let l = local[g]!;
        if (l < 0) {
          l = local[g] = n;
          used[n++] = g;
        }
        polys[o++] = l;
      }
    }
    const piecePoints = new Float32Array(n * 3);
    const pieceNormals = new Float32Array(n * 3);
    for (let l = 0; l < n; l++) {
      const g = used[l]!;
      local[g] = -1;
      for (let a = 0; a < 3; a++) {
        piecePoints[l * 3 + a] = points[g * 3 + a]!;
        pieceNormals[l * 3 + a] = normals[g * 3 + a]!;
      }
    }
    pieces.push({ points: piecePoints, normals: pieceNormals, polys });
  }
  return pieces;
}

/** [xmin, xmax, ymin, ymax, zmin, zmax] of points (x, y, z, ...), as vtk.js writes bounds. */
export function pointBounds(points: Float32Array): number[] {
  const b = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
  for (let p = 0; p < points.length; p += 3)
    for (let a = 0; a < 3; a++) {
      const v = points[p + a]!;
      if (v < b[a * 2]!) b[a * 2] = v;
      if (v > b[a * 2 + 1]!) b[a * 2 + 1] = v;
    }
  return b;
}
