/** Triangles (a, b, c, ...) as a vtk.js cell array holds them: 3, a, b, c, 3, ... */
export function vtkPolys(triangles: Uint32Array): Uint32Array {
  const polys = new Uint32Array((triangles.length / 3) * 4);
  for (let t = 0, o = 0; t < triangles.length; t += 3, o += 4) {
    polys[o] = 3;
    polys[o + 1] = triangles[t]!;
    polys[o + 2] = triangles[t + 1]!;
    polys[o + 3] = triangles[t + 2]!;
  }
  return polys;
}
