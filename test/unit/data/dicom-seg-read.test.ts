import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { labelColor } from '../../../core/contract/label-palette.js';
import { ANATOMY } from '../../../core/contract/terminology.js';
import { readDicomSeg } from '../../../core/data/read-dicom-seg.js';
import { readLabelMap } from '../../../core/data/read-label-map.js';
import type { CodedSegment } from '../../../core/data/slicer-terminology.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { writeDicomSeg } from '../../../core/data/write-dicom-seg.js';
import { seriesWithTwoLabels } from './dicom-seg-fixture.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seg-read-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// dcmqi reports every frame on stdout and warnings (and a failed read's cause) on stderr.
const quiet = (t: TestContext) => {
  t.mock.method(console, 'log', () => {});
  t.mock.method(console, 'error', () => {});
};

/** A rejection whose message matches `words` (the message, not the class name String() of an error gives). */
const failsWith = (words: RegExp) => (e: Error) => {
  assert.match(e.message, words);
  return true;
};

const coded = (meaning: string) => ANATOMY.find((a) => a.type.meaning === meaning)!;

// Values with gaps (3, 5, 7: DICOM numbers its segments 1, 2, 3), two coded and one left to the defaults.
const SEGMENTS: CodedSegment[] = [
  { value: 3, name: 'Hippocampus', color: [220, 216, 20], terminology: coded('Hippocampus') },
  { value: 5, name: 'Brain', color: [250, 250, 225], terminology: coded('Brain') },
];
const TISSUE = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };

let files: string[];
let labels: LabelVolume;
let segFile: string;

before(async () => {
  const fixture = await seriesWithTwoLabels();
  files = fixture.files;
  // 5 where the fixture has 1, 3 where it has 2, and 7 on a corner block of the first slices.
  const data = fixture.labels.data.map((v) => (v === 1 ? 5 : v === 2 ? 3 : 0));
  const [x, y] = fixture.labels.size;
  for (let k = 0; k < 3; k++) for (let j = 0; j < 10; j++) for (let i = 0; i < 10; i++) data[(k * y + j) * x + i] = 7;
  labels = { ...fixture.labels, data };
  segFile = path.join(tmp, 'coded.dcm');
  const log = console.log;
  console.log = () => {};
  try {
    await writeDicomSeg(segFile, labels, files, SEGMENTS);
  } finally {
    console.log = log;
  }
});

describe('readDicomSeg', () => {
  it('reads back what writeDicomSeg wrote: the same voxels, values, names, colours and codes', async (t) => {
    quiet(t);
    const read = await readDicomSeg(segFile, labels);
    assert.deepEqual(read.labels.size, labels.size);
    let diff = 0;
    for (let n = 0; n < labels.data.length; n++) if (read.labels.data[n] !== labels.data[n]) diff++;
    assert.equal(diff, 0, 'voxels differing from the written label map');
    assert.deepEqual(read.segments, [
      ...SEGMENTS,
      // Written without a code: DICOM requires one, so it is SNOMED CT Tissue, and that is what comes back.
      { value: 7, name: 'Segment 7', color: labelColor(7), terminology: { category: TISSUE, type: TISSUE } },
    ]);
    // The engine and the CLI go through readLabelMap, which tells a SEG by its SOP class, not its name.
    const renamed = path.join(tmp, 'no-extension');
    fs.copyFileSync(segFile, renamed);
    const mapped = await readLabelMap(renamed, labels);
    assert.deepEqual(mapped.segments, read.segments);
    assert.deepEqual(mapped.labels.data, read.labels.data);
  });

  it('reads back the exact colours written, near-black ones included (dcmqi alone reads those as dark grey)', async (t) => {
    quiet(t);
    const colors: [number, number, number][] = [
      [0, 0, 0],
      [1, 2, 3],
      [10, 5, 20],
      [25, 25, 25],
      [29, 0, 29],
      [80, 0, 0],
      [255, 255, 255],
      [255, 0, 0],
      [0, 0, 255],
      [12, 200, 3],
      [128, 128, 128],
    ];
    // Label n + 1 on the first voxels of row n of the first slice.
    const data = new Uint8Array(labels.data.length);
    colors.forEach((_, n) => data.fill(n + 1, n * labels.size[0], n * labels.size[0] + 4));
    const segments = colors.map((color, n) => ({ value: n + 1, name: `Dark ${n + 1}`, color }));
    const dark = path.join(tmp, 'dark.dcm');
    await writeDicomSeg(dark, { ...labels, data }, files, segments);
    const read = await readDicomSeg(dark, labels);
    assert.deepEqual(
      read.segments.map((s) => s.color),
      colors,
    );
  });

  it('places a SEG holding only some slices of the series on the whole series grid', async (t) => {
    quiet(t);
    const [x, y, z] = labels.size;
    const data = new Uint8Array(labels.data.length);
    for (let k = 5; k < 9; k++) data.set(labels.data.subarray(k * x * y, (k + 1) * x * y), k * x * y);
    const partial = path.join(tmp, 'partial.dcm');
    await writeDicomSeg(partial, { ...labels, data }, files, SEGMENTS, { skipEmptySlices: true });
    const read = await readDicomSeg(partial, labels);
    assert.equal(read.labels.data.length, x * y * z);
    assert.ok(
      read.labels.data.every((v, n) => v === data[n]),
      'voxels differ from the written slices',
    );
  });

  it('refuses a SEG of another grid, a broken SEG, an image and a non-DICOM file, naming the file and the problem', async (t) => {
    quiet(t);
    const [dx] = labels.spacing;
    const halfVoxel = { ...labels, origin: [labels.origin[0] + dx / 2, labels.origin[1], labels.origin[2]] as [number, number, number] };
    await assert.rejects(
      readDicomSeg(segFile, halfVoxel),
      failsWith(new RegExp(`^${segFile}: a DICOM SEG of another series or grid: its voxels lie between the image's`)),
    );
    const smaller = { ...labels, size: [labels.size[0], labels.size[1], 2] as [number, number, number] };
    await assert.rejects(
      readDicomSeg(segFile, smaller),
      /coded\.dcm: a DICOM SEG of another series or grid: it labels voxel \(\d+, \d+, 2\), outside/,
    );
    const finer = { ...labels, spacing: [labels.spacing[0] / 2, labels.spacing[1] / 2, labels.spacing[2]] as [number, number, number] };
    await assert.rejects(
      readDicomSeg(segFile, finer),
      /coded\.dcm: a DICOM SEG of another series or grid: its spacing is 0\.859, 0\.859, 6\.997 mm/,
    );

    const truncated = path.join(tmp, 'truncated.dcm');
    fs.writeFileSync(truncated, fs.readFileSync(segFile).subarray(0, 20000));
    await assert.rejects(readDicomSeg(truncated, labels), failsWith(new RegExp(`^${truncated}: truncated: `)));

    await assert.rejects(
      readDicomSeg(files[0]!, labels),
      failsWith(new RegExp(`^${files[0]}: not a DICOM SEG: its SOP class is 1\\.2\\.840\\.10008\\.5\\.1\\.4\\.1\\.1\\.4 \\(MR\\)`)),
    );
    const text = path.join(tmp, 'notes.dcm');
    fs.writeFileSync(text, 'not DICOM at all');
    await assert.rejects(readDicomSeg(text, labels), failsWith(new RegExp(`^${text}: not a DICOM file$`)));
  });
});
