import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SegmentDef } from '../../../core/contract/index.js';
import { readLabelVolume } from '../../../core/data/read-label-volume.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { exportLabels } from '../../../core/engine/export-labels.js';

const segment = (value: number, color: [number, number, number]): SegmentDef => ({
  value,
  name: `L${value}`,
  color,
  visible: true,
  locked: false,
});

describe('exporting a 2D image labels as PNG', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-export-png-'));
  const item = { id: 'a.png', kind: 'image2d' as const, paths: [path.join(dir, 'a.png')], name: 'a.png' };
  const labels: LabelVolume = {
    data: Uint8Array.from([0, 2, 2, 0, 0, 2]),
    size: [3, 2, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 2,
  };

  it('is a 0/255 mask for a one-label set and an indexed PNG of the values and colours for a folder with several', async () => {
    const own = [segment(2, [9, 8, 7])];
    const single = path.join(dir, 'single.png');
    await exportLabels(single, labels, item, own);
    assert.deepEqual([...(await readLabelVolume(single)).data], [0, 255, 255, 0, 0, 255]);

    const folder = path.join(dir, 'of-folder.png');
    await exportLabels(folder, labels, item, own, [...own, segment(1, [1, 2, 3])]);
    const bytes = fs.readFileSync(folder);
    const plte = bytes.indexOf('PLTE');
    assert.deepEqual([...bytes.subarray(plte + 4, plte + 13)], [0, 0, 0, 1, 2, 3, 9, 8, 7], "the segments' colours");
    assert.deepEqual((await readLabelVolume(folder)).data, labels.data, 'values kept');
  });
});
