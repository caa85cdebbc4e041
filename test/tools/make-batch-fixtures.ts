/**
 * Makes test/fixtures/batch/ from Colin27 (../shared/data/train/colin27): the T1 averaged over 3x3x3 blocks
 * (61x73x61, 3 mm) as 8-bit grey, and two trained AAL regions (2 Precentral_R, 8 Frontal_Mid_R; never a held-out
 * one) taken at each block's centre voxel, with their names. Tests make pseudo-subjects from it. From the root:
 *   node --import tsx test/tools/make-batch-fixtures.ts
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { writeLabelVolume } from '../../core/data/write-label-volume.js';
import { reduceVolume } from '../../core/infer/volume-grid.js';

const FACTOR = 3;
const REGIONS = new Map([
  [2, 'Precentral_R'],
  [8, 'Frontal_Mid_R'],
]);
const source = '../shared/data/train/colin27';
const out = 'test/fixtures/batch';
const image = reduceVolume(await readVolume(path.join(source, 'ch2.nii.gz')), FACTOR);
const labels = await readLabelVolume(path.join(source, 'aal_cortical.nii.gz'));
const max = image.data.reduce((m, v) => Math.max(m, v), 0);
// 8-bit grey written through the label writer: a quarter of float32's size, and 256 levels are plenty for a test.
const grey = Uint8Array.from(image.data, (v) => Math.round((255 * v) / max));
const reduced = new Uint8Array(grey.length);
const [nx, ny] = labels.size;
for (let z = 0, n = 0; z < image.size[2]; z++)
  for (let y = 0; y < image.size[1]; y++)
    for (let x = 0; x < image.size[0]; x++, n++) {
      const [cx, cy, cz] = [x, y, z].map((c, a) => Math.min(labels.size[a]! - 1, c * FACTOR + 1));
      const v = labels.data[(cz! * ny + cy!) * nx + cx!]!;
      reduced[n] = REGIONS.has(v) ? v : 0;
    }
await fs.mkdir(out, { recursive: true });
const geometry = {
  size: image.size,
  spacing: image.spacing,
  origin: image.origin,
  direction: image.direction,
  dimension: 3 as const,
  source: '',
};
await writeLabelVolume(path.join(out, 'colin27-3mm.nii.gz'), { ...geometry, data: grey });
await writeLabelVolume(path.join(out, 'colin27-3mm-labels.nii.gz'), { ...geometry, data: reduced });
await fs.writeFile(path.join(out, 'colin27-3mm-labels.txt'), [...REGIONS].map(([v, name]) => `${v} ${name}`).join('\n') + '\n');
