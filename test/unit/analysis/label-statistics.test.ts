import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { labelStatistics } from '../../../core/analysis/label-statistics.js';
import { statisticsCsv } from '../../../core/contract/statistics-csv.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import { readVolume } from '../../../core/data/read-volume.js';

const SAMPLE = path.resolve(import.meta.dirname, '../../../assets/sample/volume');

describe('label statistics', () => {
  it('counts, measures and ranges each label on an anisotropic grid (hand-checked)', () => {
    // 3 x 2 x 2 voxels of 0.5 x 2 x 4 mm = 4 mm³ each.
    const labels = {
      data: Uint8Array.from([1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0]),
      size: [3, 2, 2] as [number, number, number],
      spacing: [0.5, 2, 4] as [number, number, number],
    };
    const image = { data: Float32Array.from([10, 20, 0, 0, 7, 0, 0, 0, 0, 30, 0, 0]) };
    const [one, two] = labelStatistics(image, labels, [{ value: 1, name: 'Liver, left', color: [1, 2, 3] }]);
    assert.deepEqual(one, {
      value: 1,
      name: 'Liver, left',
      color: [1, 2, 3],
      voxels: 3,
      volumeMm3: 12,
      volumeMl: 0.012,
      mean: 20,
      sd: Math.sqrt(200 / 3),
      extent: [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    });
    assert.equal(two!.name, 'Segment 2', 'a label without a segment gets the default name');
    assert.deepEqual(
      [two!.voxels, two!.mean, two!.sd, two!.extent],
      [
        1,
        7,
        0,
        [
          [1, 1],
          [1, 1],
          [0, 0],
        ],
      ],
    );
    assert.equal(
      statisticsCsv([one!]),
      'value,name,voxels,volume_mm3,volume_ml,mean,sd,i_first,i_last,j_first,j_last,k_first,k_last\n1,"Liver, left",3,12,0.012,20,8.165,0,1,0,1,0,1\n',
    );
  });

  it('agrees with a direct count over the sample volume', async () => {
    const [image, labels] = await Promise.all([
      readVolume(path.join(SAMPLE, 't1.nii.gz')),
      readLabelVolume(path.join(SAMPLE, 'labels-full.nii.gz')),
    ]);
    const stats = labelStatistics(image, labels);
    assert.deepEqual(
      stats.map((s) => s.value),
      [17, 29],
    );
    const mm3 = labels.spacing[0] * labels.spacing[1] * labels.spacing[2];
    for (const s of stats) {
      const inside = [...labels.data.keys()].filter((n) => labels.data[n] === s.value);
      const values = inside.map((n) => image.data[n]!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      const ks = inside.map((n) => Math.floor(n / (labels.size[0] * labels.size[1])));
      assert.equal(s.voxels, inside.length);
      assert.ok(Math.abs(s.volumeMl - (inside.length * mm3) / 1000) < 1e-9);
      assert.ok(Math.abs(s.mean - mean) < 1e-6 && Math.abs(s.sd - sd) < 1e-6, `label ${s.value}`);
      assert.deepEqual(s.extent[2], [Math.min(...ks), Math.max(...ks)]);
    }
  });
});
