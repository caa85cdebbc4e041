/**
 * Regenerates assets/sample/ from Colin27 in ../shared/data/train/colin27 (mricron-data, BSD-3; AAL atlas,
 * Tzourio-Mazoyer et al. 2002). Run from the repository root:
 *   node --import tsx test/tools/make-sample.ts [../shared/data/train/colin27]
 * Only training regions are used: the held-out AAL ids (multiples of 5) never appear in a sample.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { extractSlice } from '../../core/data/extract-slice.js';
import { itkImageFromLabels } from '../../core/data/itk-image.js';
import { encodeItkImage } from '../../core/data/itk-io.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import type { LabelVolume, Volume } from '../../core/data/volume.js';
import { writeLabelVolume } from '../../core/data/write-label-volume.js';
import { writePngMask } from '../../core/data/write-png-mask.js';

const SOURCE = process.argv[2] ?? '../shared/data/train/colin27';
const OUT = 'assets/sample';

/** AAL ids and names used; both are training regions (not multiples of 5, cortical). */
const INSULA_L = 29;
const ROLANDIC_OPER_L = 17;
const REGIONS: Record<number, string> = { [ROLANDIC_OPER_L]: 'Rolandic_Oper_L', [INSULA_L]: 'Insula_L' };

/** 2D study: axial slices (index k) through the left insula. */
const SUPPORT_SLICES = [56, 62, 68, 74, 80, 86];
const INPUT_SLICES = [59, 71, 83, 92];

/** Volume: a box around both regions (i, j, k from..to inclusive) with six labelled axial slices. */
const CROP: [number, number][] = [
  [15, 74],
  [80, 167],
  [43, 103],
];
const LABELLED = [54, 62, 70, 78, 86, 94];

for (const id of Object.keys(REGIONS).map(Number)) {
  if (id % 5 === 0) throw new Error(`AAL ${id} is held out (SOURCES.md): never ship it as a sample`);
}

const t1 = await readVolume(path.join(SOURCE, 'ch2.nii.gz'));
const aal = await readLabelVolume(path.join(SOURCE, 'aal_cortical.nii.gz'));
for (const folder of ['2d', 'volume']) await fs.rm(path.join(OUT, folder), { recursive: true, force: true });

const name = (k: number) => `axial-${String(k).padStart(3, '0')}`;
for (const [folder, slices] of [
  ['support-images', SUPPORT_SLICES],
  ['input', INPUT_SLICES],
] as const) {
  await fs.mkdir(path.join(OUT, '2d', folder), { recursive: true });
  for (const k of slices) await writeGreyPng(path.join(OUT, '2d', folder, `${name(k)}.png`), extractSlice(t1, 2, k));
}
for (const [folder, slices] of [
  ['support-labels', SUPPORT_SLICES],
  ['truth', INPUT_SLICES],
] as const) {
  await fs.mkdir(path.join(OUT, '2d', folder), { recursive: true });
  for (const k of slices) {
    const slice = extractSlice(aal, 2, k);
    await writePngMask(
      path.join(OUT, '2d', folder, `${name(k)}.png`),
      slice.data.map((v) => (v === INSULA_L ? 1 : 0)),
      slice.width,
      slice.height,
    );
  }
}

await fs.mkdir(path.join(OUT, 'volume'), { recursive: true });
const image = crop(t1, CROP);
const full = crop(aal, CROP);
full.data = full.data.map((v) => (v in REGIONS ? v : 0));
const partial = { ...full, data: new Uint8Array(full.data.length) };
const plane = full.size[0] * full.size[1];
for (const k of LABELLED) {
  const at = (k - CROP[2][0]) * plane;
  partial.data.set(full.data.subarray(at, at + plane), at);
}
// The T1 is 8-bit (0..254): a uint8 NIfTI holds it exactly.
await writeLabelVolume(path.join(OUT, 'volume', 't1.nii.gz'), { ...image, data: Uint8Array.from(image.data) });
await writeLabelVolume(path.join(OUT, 'volume', 'labels-partial.nii.gz'), partial);
await writeLabelVolume(path.join(OUT, 'volume', 'labels-full.nii.gz'), full);
await fs.writeFile(
  path.join(OUT, 'volume', 'labels.txt'),
  Object.entries(REGIONS)
    .map(([id, n]) => `${id} ${n}`)
    .join('\n') + '\n',
);
console.log(`labelled slices of volume/labels-partial.nii.gz: ${LABELLED.map((k) => k - CROP[2][0]).join(',')}`);

async function writeGreyPng(file: string, slice: { data: Float32Array; width: number; height: number }): Promise<void> {
  const labels = {
    data: Uint8Array.from(slice.data),
    size: [slice.width, slice.height, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 2,
    source: '',
  } satisfies LabelVolume;
  await fs.writeFile(file, await encodeItkImage(itkImageFromLabels(labels, 'uint8', true), 'png', path.basename(file), true));
}

/** A box of a volume or label map, with the origin moved to its first voxel so it stays in place in space. */
function crop<T extends Volume | LabelVolume>(grid: T, box: [number, number][]): T {
  const size = box.map(([a, b]) => b - a + 1) as [number, number, number];
  const data = new (grid.data.constructor as new (n: number) => T['data'])(size[0] * size[1] * size[2]);
  const [nx, ny] = grid.size;
  let o = 0;
  for (let k = box[2][0]; k <= box[2][1]; k++) {
    for (let j = box[1][0]; j <= box[1][1]; j++) {
      const row = (k * ny + j) * nx;
      data.set(grid.data.subarray(row + box[0][0], row + box[0][1] + 1), o);
      o += size[0];
    }
  }
  const origin = [0, 1, 2].map(
    (r) => grid.origin[r] + [0, 1, 2].reduce((sum, c) => sum + grid.direction[r * 3 + c] * grid.spacing[c] * box[c][0], 0),
  ) as [number, number, number];
  return { ...grid, data, size, origin, source: '' };
}
