import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelSurface, type LabelGrid } from '../../../core/analysis/label-surface.js';
import { labelExtents } from '../../../core/data/label-extents.js';

type Vec3 = [number, number, number];
const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** A ball of label `value` (radius in voxels) centred in a cube of n voxels a side. */
function ball(n: number, radius: number, value = 1, geometry: Partial<LabelGrid> = {}): LabelGrid {
  const data = new Uint8Array(n ** 3);
  const c = (n - 1) / 2;
  for (let k = 0, p = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++, p++) if ((i - c) ** 2 + (j - c) ** 2 + (k - c) ** 2 <= radius ** 2) data[p] = value;
  return { data, size: [n, n, n], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY, ...geometry };
}

function surfaceOf(grid: LabelGrid, value = 1, smoothing = 0) {
  return labelSurface(grid, value, labelExtents(grid).get(value)!, { smoothing });
}

function bounds(points: Float32Array): [Vec3, Vec3] {
  const lo: Vec3 = [Infinity, Infinity, Infinity],
    hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < points.length; p += 3)
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], points[p + a]!);
      hi[a] = Math.max(hi[a], points[p + a]!);
    }
  return [lo, hi];
}

/** Volume enclosed by a closed mesh (divergence theorem); positive when the triangles face outwards. */
function enclosedVolume(points: Float32Array, triangles: Uint32Array): number {
  let v = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((n) => Array.from(points.subarray(3 * triangles[t + n]!, 3 * triangles[t + n]! + 3)));
    v +=
      a![0]! * (b![1]! * c![2]! - b![2]! * c![1]!) -
      a![1]! * (b![0]! * c![2]! - b![2]! * c![0]!) +
      a![2]! * (b![0]! * c![1]! - b![1]! * c![0]!);
  }
  return v / 6;
}

describe('labelSurface', () => {
  it('closes a single voxel into an octahedron around its centre', () => {
    const data = new Uint8Array(27);
    data[13] = 1;
    const s = surfaceOf({ data, size: [3, 3, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY });
    assert.equal(s.points.length / 3, 6);
    assert.equal(s.triangles.length / 3, 8);
    assert.deepEqual(bounds(s.points), [
      [0.5, 0.5, 0.5],
      [1.5, 1.5, 1.5],
    ]);
    assert.ok(Math.abs(enclosedVolume(s.points, s.triangles) - 1 / 6) < 1e-6, 'faces point outwards');
  });

  it('is watertight: every edge is shared by exactly two triangles', () => {
    const s = surfaceOf(ball(24, 8));
    const edges = new Map<string, number>();
    for (let t = 0; t < s.triangles.length; t += 3)
      for (let e = 0; e < 3; e++) {
        const a = s.triangles[t + e]!,
          b = s.triangles[t + ((e + 1) % 3)]!;
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        edges.set(key, (edges.get(key) ?? 0) + 1);
      }
    assert.ok([...edges.values()].every((n) => n === 2));
  });

  it("encloses about the label's volume, with normals pointing away from its centre", () => {
    const s = surfaceOf(ball(40, 12));
    const voxels = ball(40, 12).data.reduce((n, v) => n + v, 0);
    const volume = enclosedVolume(s.points, s.triangles);
    assert.ok(Math.abs(volume - voxels) / voxels < 0.05, `${volume} vs ${voxels} voxels`);
    const c = 19.5;
    for (let p = 0; p < s.points.length; p += 3) {
      const dot =
        (s.points[p]! - c) * s.normals[p]! + (s.points[p + 1]! - c) * s.normals[p + 1]! + (s.points[p + 2]! - c) * s.normals[p + 2]!;
      assert.ok(dot > 0, `normal ${p / 3} points inwards`);
    }
  });

  it('places the surface in physical space by origin, spacing and direction', () => {
    // Axis i runs along -x (a mirror: the winding must be turned for faces to stay outward).
    const geometry = { spacing: [2, 1, 3] as Vec3, origin: [100, -50, 10] as Vec3, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const g = ball(20, 5, 3, geometry);
    const s = surfaceOf(g, 3);
    const box = labelExtents(g).get(3)!;
    const [lo, hi] = bounds(s.points);
    // The surface lies half a voxel outside the outermost voxel centres.
    assert.deepEqual(
      lo.map((v) => +v.toFixed(4)),
      [100 - 2 * (box[1]! + 0.5), -50 + box[2]! - 0.5, 10 + 3 * (box[4]! - 0.5)],
    );
    assert.deepEqual(
      hi.map((v) => +v.toFixed(4)),
      [100 - 2 * (box[0]! - 0.5), -50 + box[3]! + 0.5, 10 + 3 * (box[5]! + 0.5)],
    );
    assert.ok(enclosedVolume(s.points, s.triangles) > 0);
  });

  it('leaves other labels out', () => {
    const g = ball(20, 6, 2);
    g.data[0] = 1;
    const s = surfaceOf(g, 1);
    assert.equal(s.points.length / 3, 6);
  });

  it('smooths the staircase without shrinking the volume much', () => {
    const raw = surfaceOf(ball(40, 12));
    const smooth = surfaceOf(ball(40, 12), 1, 0.5);
    assert.equal(smooth.triangles.length, raw.triangles.length);
    const r = (m: typeof raw) => {
      let sum = 0,
        sq = 0;
      const n = m.points.length / 3;
      for (let p = 0; p < m.points.length; p += 3) {
        const d = Math.hypot(m.points[p]! - 19.5, m.points[p + 1]! - 19.5, m.points[p + 2]! - 19.5);
        sum += d;
        sq += d * d;
      }
      return { mean: sum / n, sd: Math.sqrt(sq / n - (sum / n) ** 2) };
    };
    assert.ok(r(smooth).sd < r(raw).sd / 2, `radius spread ${r(smooth).sd} vs ${r(raw).sd}`);
    assert.ok(Math.abs(r(smooth).mean - r(raw).mean) < 0.5);
  });
});
