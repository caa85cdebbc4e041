/// <reference path="./vtk-modules.d.ts" />
import caseTable from '@kitware/vtk.js/Filters/General/ImageMarchingCubes/caseTable.js';

/** A triangle mesh: xyz per vertex, three vertex numbers per triangle. */
export interface TriangleMesh {
  points: Float32Array;
  triangles: Uint32Array;
}

/**
 * Marching cubes over a binary mask (1 inside, 0 outside) on a grid of nx x ny x nz points, in index coordinates.
 *
 * vtk.js's vtkImageMarchingCubes does the same, but it places points by origin and spacing only (no direction
 * cosines), keeps its output in JS arrays, looks merged points up in a hash map and prints its timing to stdout
 * (which would corrupt `universeg mesh --json`). This is its case table (Lorensen's, as vtk.js numbers it) with a
 * loop that fits a mask: at the 0.5 iso-value of a 0/1 mask every vertex sits at the middle of its edge, so
 * nothing is interpolated, and a vertex shared by neighbouring cubes is found by its edge in two slabs of edge
 * numbers instead of a hash map. The mask must be 0 on its outer layer for the surface to close.
 */
export function marchingCubes(mask: Uint8Array, nx: number, ny: number, nz: number): TriangleMesh {
  const plane = nx * ny;
  const out = new MeshBuilder();
  // Vertex number of each edge met so far, -1 when none: in-plane edges (along i, then along j) of the cube
  // layer's lower and upper planes, and the edges along k between them.
  let lower = new Int32Array(2 * plane).fill(-1);
  let upper = new Int32Array(2 * plane).fill(-1);
  const across = new Int32Array(plane);

  const vertexOn = (e: number, i: number, j: number, k: number): number => {
    const dir = EDGE_AXIS[e]!,
      di = EDGE_I[e]!,
      dj = EDGE_J[e]!;
    const at = (j + dj) * nx + (i + di);
    if (dir === 2) {
      if (across[at]! < 0) across[at] = out.point(i + di, j + dj, k + 0.5);
      return across[at]!;
    }
    const dk = EDGE_K[e]!;
    const slab = dk ? upper : lower;
    const slot = dir * plane + at;
    if (slab[slot]! < 0) slab[slot] = out.point(i + di + (dir === 0 ? 0.5 : 0), j + dj + (dir === 1 ? 0.5 : 0), k + dk);
    return slab[slot]!;
  };

  for (let k = 0; k + 1 < nz; k++) {
    across.fill(-1);
    for (let j = 0; j + 1 < ny; j++) {
      let p = k * plane + j * nx;
      // Corners at +i of one cube are the corners at -i of the next: each mask value is read once per row.
      let c0 = mask[p]!,
        c2 = mask[p + nx]!,
        c4 = mask[p + plane]!,
        c6 = mask[p + nx + plane]!;
      for (let i = 0; i + 1 < nx; i++, p++) {
        const c1 = mask[p + 1]!,
          c3 = mask[p + 1 + nx]!,
          c5 = mask[p + 1 + plane]!,
          c7 = mask[p + 1 + nx + plane]!;
        // Bits in the table's corner order (vtk.js's VERT_MAP: corners 0, 1, 3, 2, 4, 5, 7, 6).
        const index = c0 | (c1 << 1) | (c3 << 2) | (c2 << 3) | (c4 << 4) | (c5 << 5) | (c7 << 6) | (c6 << 7);
        c0 = c1;
        c2 = c3;
        c4 = c5;
        c6 = c7;
        if (index === 0 || index === 255) continue;
        const base = index * 16;
        for (let t = base; CASES[t]! >= 0; t += 3) {
          out.triangle(vertexOn(CASES[t]!, i, j, k), vertexOn(CASES[t + 1]!, i, j, k), vertexOn(CASES[t + 2]!, i, j, k));
        }
      }
    }
    // The upper plane of this layer is the lower plane of the next.
    [lower, upper] = [upper, lower];
    upper.fill(-1);
  }
  return out.mesh();
}

/** The table flattened: 16 entries per case, -1 after its last triangle. */
const CASES = Int8Array.from({ length: 256 * 16 }, (_, n) => caseTable.getCase(n >> 4)[n & 15] ?? -1);

/** Per edge: the axis it runs along, and the offset (i, j, k) of its lower corner in the cube. */
const EDGE_AXIS = new Int8Array(12),
  EDGE_I = new Int8Array(12),
  EDGE_J = new Int8Array(12),
  EDGE_K = new Int8Array(12);
for (let e = 0; e < 12; e++) {
  const [a, b] = caseTable.getEdge(e);
  const low = Math.min(a, b);
  EDGE_AXIS[e] = Math.log2(a ^ b);
  EDGE_I[e] = low & 1;
  EDGE_J[e] = (low >> 1) & 1;
  EDGE_K[e] = low >> 2;
}

/** Points and triangles in typed arrays that double when full. */
class MeshBuilder {
  private points = new Float32Array(3 * 4096);
  private triangles = new Uint32Array(3 * 8192);
  private pointCount = 0;
  private triangleCount = 0;

  point(x: number, y: number, z: number): number {
    if (3 * this.pointCount + 3 > this.points.length) this.points = grow(this.points);
    const at = 3 * this.pointCount;
    this.points[at] = x;
    this.points[at + 1] = y;
    this.points[at + 2] = z;
    return this.pointCount++;
  }

  triangle(a: number, b: number, c: number): void {
    if (3 * this.triangleCount + 3 > this.triangles.length) this.triangles = grow(this.triangles);
    const at = 3 * this.triangleCount++;
    this.triangles[at] = a;
    this.triangles[at + 1] = b;
    this.triangles[at + 2] = c;
  }

  mesh(): TriangleMesh {
    return { points: this.points.slice(0, 3 * this.pointCount), triangles: this.triangles.slice(0, 3 * this.triangleCount) };
  }
}

function grow<T extends Float32Array | Uint32Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
