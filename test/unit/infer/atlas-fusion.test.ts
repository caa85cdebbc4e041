import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import type { Volume } from '../../../core/data/volume.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { fuseAtlases, type RegisteredAtlas } from '../../../core/infer/atlas-segmentation.js';
import { labelTable } from '../../../core/infer/load-atlases.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'batch');

describe('multi-atlas prior', () => {
  it('is the mean of the atlases, and an atlas labelled on a few slices votes only on them', async () => {
    const labels = await readLabelVolume(path.join(FIXTURES, 'colin27-3mm-labels.nii.gz'));
    const [nx, ny, nz] = labels.size;
    const plane = nx * ny;
    const image: Volume = { ...labels, data: new Float32Array(labels.data.length) };
    const full = (v: number) => Float32Array.from(labels.data, (x) => (x === v ? 1 : 0));
    // A second atlas that sees region 2 one slice higher, labelled only on every 4th slice.
    const region = full(2);
    const shifted = new Float32Array(labels.data.length);
    shifted.set(region.subarray(0, (nz - 1) * plane), plane);
    const known = new Float32Array(labels.data.length);
    for (let k = 0; k < nz; k += 4) known.fill(1, k * plane, (k + 1) * plane);
    const a: RegisteredAtlas = { image, probabilities: new Map([[2, region]]), milliseconds: 0 };
    const b: RegisteredAtlas = { image, probabilities: new Map([[2, shifted]]), known, milliseconds: 0 };
    const prior = fuseAtlases([a, b], [2]).get(2)!;
    let onKnown = 0;
    let elsewhere = 0;
    for (let n = 0; n < prior.length; n++) {
      const k = Math.floor(n / plane);
      const expected = k % 4 === 0 ? (region[n]! + shifted[n]!) / 2 : region[n]!;
      if (Math.abs(prior[n]! - expected) > 1e-6) assert.fail(`voxel ${n} (slice ${k}): ${prior[n]} instead of ${expected}`);
      if (k % 4 === 0 && prior[n] === 0.5) onKnown++;
      if (k % 4 !== 0 && prior[n] === 1) elsewhere++;
    }
    assert.ok(
      onKnown > 20 && elsewhere > 100,
      `the atlases disagree on ${onKnown} voxels of the labelled slices; ${elsewhere} voxels elsewhere follow the full atlas`,
    );
  });

  it('reads label names and colours back from a .seg.nrrd and from a text table beside a label map', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-table-'));
    const labels = await readLabelVolume(path.join(FIXTURES, 'colin27-3mm-labels.nii.gz'));
    const file = path.join(dir, 'atlas.seg.nrrd');
    await writeLabelVolume(
      file,
      { ...labels, source: '' },
      {
        segments: [
          { value: 2, name: 'Precentral R', color: [255, 0, 0] },
          { value: 8, name: 'Frontal_Mid_R', color: [0, 0, 255] },
        ],
      },
    );
    assert.deepEqual(await labelTable(file), [
      { value: 2, name: 'Precentral R', color: [255, 0, 0] },
      { value: 8, name: 'Frontal_Mid_R', color: [0, 0, 255] },
    ]);
    assert.deepEqual(
      (await labelTable(path.join(FIXTURES, 'colin27-3mm-labels.nii.gz'))).map((s) => [s.value, s.name]),
      [
        [2, 'Precentral_R'],
        [8, 'Frontal_Mid_R'],
      ],
    );
  });
});
