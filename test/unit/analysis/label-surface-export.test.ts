import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readMeshNode } from '@itk-wasm/mesh-io';
import { exportLabelSurface } from '../../../core/analysis/label-surface-export.js';
import type { LabelGrid } from '../../../core/analysis/label-surface.js';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'surface-export-'));
after(() => fs.rm(dir, { recursive: true, force: true }));

/**
 * A 6x5x4 box of label 2 at voxels i 2..7, j 3..7, k 1..4 of a 12x10x8 grid, on a grid stored as a DICOM axial
 * series often is: i along +x, j along +y, k along -z (a mirror), anisotropic spacing, an origin off zero.
 */
const grid: LabelGrid = (() => {
  const size: [number, number, number] = [12, 10, 8];
  const data = new Uint8Array(size[0] * size[1] * size[2]);
  for (let k = 1; k <= 4; k++) for (let j = 3; j <= 7; j++) for (let i = 2; i <= 7; i++) data[(k * size[1] + j) * size[0] + i] = 2;
  data[0] = 1;
  return { data, size, spacing: [0.5, 0.8, 2], origin: [-20, 30, 40], direction: [1, 0, 0, 0, 1, 0, 0, 0, -1] };
})();

/** The box's surface lies half a voxel outside its outermost voxel centres, in LPS millimetres. */
const expected = {
  min: [-20 + 0.5 * 1.5, 30 + 0.8 * 2.5, 40 - 2 * 4.5],
  max: [-20 + 0.5 * 7.5, 30 + 0.8 * 7.5, 40 - 2 * 0.5],
};

function bounds(points: ArrayLike<number>) {
  const min = [Infinity, Infinity, Infinity],
    max = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < points.length; p += 3)
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, points[p + a]!);
      max[a] = Math.max(max[a]!, points[p + a]!);
    }
  return { min, max };
}

const close = (a: number[], b: number[]) => a.every((v, n) => Math.abs(v - b[n]!) < 1e-4);

describe('exportLabelSurface', () => {
  for (const format of ['stl', 'obj', 'vtk'] as const) {
    it(`writes ${format.toUpperCase()} that mesh-io reads back with the same vertices, in LPS millimetres`, async () => {
      const file = path.join(dir, `box.${format}`);
      const written = await exportLabelSurface(file, grid, 2);
      assert.equal(written.format, format);
      const mesh = await readMeshNode(file);
      assert.equal(mesh.numberOfCells, written.triangles);
      assert.equal(mesh.numberOfPoints, written.points);
      const b = bounds(mesh.points!);
      assert.ok(close(b.min, expected.min) && close(b.max, expected.max), `bounds ${JSON.stringify(b)} vs ${JSON.stringify(expected)}`);
    });
  }

  it('exports only the label asked for, and refuses an absent one', async () => {
    const one = await exportLabelSurface(path.join(dir, 'one.stl'), grid, 1);
    assert.equal(one.points, 6, 'a single voxel is an octahedron');
    await assert.rejects(exportLabelSurface(path.join(dir, 'none.stl'), grid, 9), /label 9 has no voxels/);
    await assert.rejects(exportLabelSurface(path.join(dir, 'box.ply'), grid, 2), /\.stl, \.obj, \.vtk/);
  });
});
