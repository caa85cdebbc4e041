import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ANATOMY, searchAnatomy } from '../../../core/contract/terminology.js';
import { readSegNrrdSegments } from '../../../core/data/read-seg-nrrd-segments.js';
import { terminologyEntry, terminologyFromTags } from '../../../core/data/slicer-terminology.js';
import type { LabelVolume } from '../../../core/data/volume.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seg-terminology-'));
after(() => fs.rm(dir, { recursive: true, force: true }));

const hippocampus = ANATOMY.find((t) => t.type.meaning === 'Hippocampus')!;
const liver = ANATOMY.find((t) => t.type.meaning === 'Liver')!;

function labels(): LabelVolume {
  const data = new Uint8Array(4 * 4 * 3);
  data[5] = 1;
  data[20] = 2;
  return { data, size: [4, 4, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], dimension: 3, source: '' };
}

describe('segment terminology', () => {
  it('bundles the SNOMED CT codes DICOM lists for the common structures', () => {
    const code = (meaning: string) => ANATOMY.find((t) => t.type.meaning === meaning)!;
    assert.deepEqual(code('Tissue').category, { scheme: 'SCT', value: '85756007', meaning: 'Tissue' });
    assert.deepEqual(code('Brain').category, { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' });
    const expected: Record<string, string> = {
      Brain: '12738006',
      Hippocampus: '5976004',
      'Caudate nucleus': '11000004',
      Putamen: '89278009',
      Thalamus: '42695009',
      Liver: '10200004',
      Kidney: '64033007',
    };
    for (const [meaning, value] of Object.entries(expected)) assert.equal(code(meaning).type.value, value, meaning);
    assert.deepEqual(
      searchAnatomy('hippo').map((t) => t.type.meaning),
      ['Hippocampus'],
    );
    assert.deepEqual(
      searchAnatomy('10200004').map((t) => t.type.meaning),
      ['Liver'],
    );
  });

  it('writes the TerminologyEntry as 3D Slicer does, and reads it back', () => {
    const entry = terminologyEntry(hippocampus);
    assert.equal(
      entry,
      'Segmentation category and type - 3D Slicer General Anatomy list~SCT^123037004^Anatomical Structure~SCT^5976004^Hippocampus~^^~Anatomic codes - DICOM master list~^^~^^',
    );
    assert.deepEqual(terminologyFromTags(`Segmentation.Status:inprogress|TerminologyEntry:${entry}|`), hippocampus);
    assert.equal(terminologyFromTags('Segmentation.Status:inprogress|'), undefined);
  });

  it('round-trips names, colours and codes through a .seg.nrrd', async () => {
    const file = path.join(dir, 'coded.seg.nrrd');
    const segments = [
      { value: 1, name: 'Left hippocampus', color: [220, 180, 140] as [number, number, number], terminology: hippocampus },
      { value: 2, name: 'Liver', color: [221, 130, 101] as [number, number, number], terminology: liver },
    ];
    await writeLabelVolume(file, labels(), { segments });
    const header = (await fs.readFile(file)).subarray(0, 4096).toString('latin1');
    assert.match(
      header,
      /Segment0_Tags:=TerminologyEntry:Segmentation category and type - 3D Slicer General Anatomy list~SCT\^123037004\^Anatomical Structure~SCT\^5976004\^Hippocampus~/,
    );
    assert.deepEqual(await readSegNrrdSegments(file), segments);
  });

  it('reads a segment without codes as having none', async () => {
    const file = path.join(dir, 'plain.seg.nrrd');
    await writeLabelVolume(file, labels(), { segments: [{ value: 1, name: 'A', color: [255, 0, 0] }] });
    const [a, b] = await readSegNrrdSegments(file);
    assert.deepEqual(a, { value: 1, name: 'A', color: [255, 0, 0] });
    assert.equal(b!.terminology, undefined);
  });
});
