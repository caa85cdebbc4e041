import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CleanupOp } from '../../../core/contract/index.js';
import { cleanUp } from '../../../core/analysis/cleanup.js';
import { squaredDistanceTo, type Grid3 } from '../../../core/util/distance-transform.js';

type Size = [number, number, number];
const at = (size: Size, i: number, j: number, k = 0) => (k * size[1] + j) * size[0] + i;

/** A label grid from rows of characters per slice: '.' is 0, a digit its label. */
function grid(slices: string[][], spacing: Size = [1, 1, 1]) {
  const size: Size = [slices[0]![0]!.length, slices[0]!.length, slices.length];
  const data = Uint8Array.from(slices.flatMap((rows) => rows.flatMap((r) => [...r].map((c) => (c === '.' ? 0 : Number(c))))));
  return { data, size, spacing };
}

function picture(data: Uint8Array, size: Size): string[][] {
  const slices: string[][] = [];
  for (let k = 0; k < size[2]; k++) {
    const rows: string[] = [];
    for (let j = 0; j < size[1]; j++) {
      let row = '';
      for (let i = 0; i < size[0]; i++) row += data[at(size, i, j, k)] ? String(data[at(size, i, j, k)]) : '.';
      rows.push(row);
    }
    slices.push(rows);
  }
  return slices;
}

const run = (g: ReturnType<typeof grid>, op: CleanupOp, label = 1) => picture(cleanUp(g, label, op, 2), g.size);

describe('clean-up operations', () => {
  it('measures distances in millimetres with the grid spacing, exactly (against brute force)', () => {
    const size: Size = [7, 5, 4];
    const spacing: Grid3['spacing'] = [0.7, 1.3, 2.9];
    const seeds = [at(size, 1, 1, 0), at(size, 5, 3, 3), at(size, 6, 0, 2)];
    const d2 = squaredDistanceTo({ size, spacing }, (n) => seeds.includes(n));
    for (let n = 0; n < d2.length; n++) {
      const c = [n % 7, Math.floor(n / 7) % 5, Math.floor(n / 35)];
      const brute = Math.min(
        ...seeds.map((s) =>
          [s % 7, Math.floor(s / 7) % 5, Math.floor(s / 35)].reduce((sum, x, a) => sum + ((x - c[a]!) * spacing[a]!) ** 2, 0),
        ),
      );
      assert.ok(Math.abs(d2[n]! - brute) < 1e-9, `voxel ${n}: ${d2[n]} vs ${brute}`);
    }
  });

  it('grows and shrinks by a margin in mm on an anisotropic grid (1 x 1 x 3 mm)', () => {
    // One voxel in the middle slice of a 5 x 5 x 3 grid.
    const empty = ['.....', '.....', '.....', '.....', '.....'];
    const g = grid([empty, ['.....', '.....', '..1..', '.....', '.....'], empty], [1, 1, 3]);
    // 2 mm: two voxels in-plane (a disc of radius 2), none across the 3 mm slices.
    assert.deepEqual(run(g, { op: 'grow', marginMm: 2 }), [empty, ['..1..', '.111.', '11111', '.111.', '..1..'], empty]);
    // 3 mm reaches the next slices, which get the centre voxel alone; in-plane it covers the 5 x 5 slice.
    const three = run(g, { op: 'grow', marginMm: 3 });
    assert.deepEqual(three[0], ['.....', '.....', '..1..', '.....', '.....']);
    assert.deepEqual(three[1], ['11111', '11111', '11111', '11111', '11111']);
    // Shrinking a 5 x 5 x 3 block by 1 mm peels its in-plane rim; the end slices stay, as beyond the grid is not outside.
    const rows = ['.......', '.11111.', '.11111.', '.11111.', '.11111.', '.11111.', '.......'];
    const shrunk = run(grid([rows, rows, rows], [1, 1, 3]), { op: 'shrink', marginMm: 1 });
    const core = ['.......', '.......', '..111..', '..111..', '..111..', '.......', '.......'];
    assert.deepEqual(shrunk, [core, core, core]);
  });

  it('never grows over another label', () => {
    const g = grid([['.....', '.12..', '.....']]);
    assert.deepEqual(run(g, { op: 'grow', marginMm: 1.5 }), [['111..', '112..', '111..']]);
  });

  it('keeps the largest island (26-connected: a diagonal joins) and removes islands under N voxels', () => {
    const g = grid([['11...1', '11....', '..1..1']]);
    assert.deepEqual(run(g, { op: 'keep-largest' }), [['11....', '11....', '..1...']]);
    assert.deepEqual(run(g, { op: 'remove-small', minVoxels: 2 }), [['11....', '11....', '..1...']]);
    assert.deepEqual(run(g, { op: 'remove-small', minVoxels: 1 }), [['11...1', '11....', '..1..1']]);
  });

  it('fills holes, not bays open to the border, and leaves another label inside a hole alone', () => {
    const g = grid([['111111.', '1..1.1.', '1.21.1.', '1111.1.', '.......']]);
    assert.deepEqual(run(g, { op: 'fill-holes' }), [['111111.', '1111.1.', '1121.1.', '1111.1.', '.......']]);
  });

  it('smooths: closing bridges a one-voxel gap, opening cuts a one-voxel bridge, median drops a lone voxel', () => {
    const gap = grid([['......', '......', '111.11', '111.11', '111.11', '......', '......']]);
    assert.deepEqual(run(gap, { op: 'closing', radiusMm: 1.5 }), [['......', '......', '111111', '111111', '111111', '......', '......']]);
    const bridge = grid([['...........', '.111...111.', '.111111111.', '.111...111.', '...........']]);
    // A 1 mm ball is the 6 face neighbours: the bridge goes, and so do the blocks' corners.
    assert.deepEqual(run(bridge, { op: 'opening', radiusMm: 1 }), [
      ['...........', '..11...11..', '.1111.1111.', '..11...11..', '...........'],
    ]);
    const lone = grid([['.....', '.....', '..1..', '.....', '.....']]);
    assert.deepEqual(run(lone, { op: 'median', radius: 1 }), [['.....', '.....', '.....', '.....', '.....']]);
    const dent = grid([['111', '1.1', '111']]);
    assert.deepEqual(run(dent, { op: 'median', radius: 1 }), [['111', '111', '111']]);
  });

  it('combines two labels: add and copy take its voxels, subtract and intersect use its outline', () => {
    // Label 2 is a ring; label 1 lies partly inside it, partly outside.
    const g = grid([['22222...', '2..12111', '2.112...', '22222...']]);
    assert.deepEqual(run(g, { op: 'logical', operation: 'add', other: 2 }), [['11111...', '1..11111', '1.111...', '11111...']]);
    assert.deepEqual(run(g, { op: 'logical', operation: 'copy', other: 2 }), [['11111...', '1...1...', '1...1...', '11111...']]);
    assert.deepEqual(run(g, { op: 'logical', operation: 'intersect', other: 2 }), [['22222...', '2..12...', '2.112...', '22222...']]);
    assert.deepEqual(run(g, { op: 'logical', operation: 'subtract', other: 2 }), [['22222...', '2...2111', '2...2...', '22222...']]);
  });
});
