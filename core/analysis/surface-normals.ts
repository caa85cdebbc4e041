/**
 * Per-vertex normals of a triangle mesh: the sum of the faces around each vertex, weighted by their area (the
 * cross product's length), normalised. Faces wind counter-clockwise seen from outside, so normals point out.
 */
export function vertexNormals(points: Float32Array, triangles: Uint32Array): Float32Array {
  const normals = new Float32Array(points.length);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = 3 * triangles[t]!,
      b = 3 * triangles[t + 1]!,
      c = 3 * triangles[t + 2]!;
    const ux = points[b]! - points[a]!,
      uy = points[b + 1]! - points[a + 1]!,
      uz = points[b + 2]! - points[a + 2]!;
    const vx = points[c]! - points[a]!,
      vy = points[c + 1]! - points[a + 1]!,
      vz = points[c + 2]! - points[a + 2]!;
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      normals[v] += nx;
      normals[v + 1] += ny;
      normals[v + 2] += nz;
    }
  }
  for (let v = 0; v < normals.length; v += 3) {
    const length = Math.hypot(normals[v]!, normals[v + 1]!, normals[v + 2]!) || 1;
    normals[v] /= length;
    normals[v + 1] /= length;
    normals[v + 2] /= length;
  }
  return normals;
}
