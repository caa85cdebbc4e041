import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ANATOMY } from '../../../core/contract/terminology.js';
import type { Engine } from '../../../core/engine/engine-parts.js';
import { confinedPaths } from '../../../core/engine/paths.js';
import { writeLabelVolume } from '../../../core/data/write-label-volume.js';
import { seriesWithTwoLabels } from '../data/dicom-seg-fixture.js';
import { SERIES_DIR } from '../data/io-fixtures.js';
import { engineWith, tempFolder } from './engine-fixture.js';

let root: string;
let engine: Engine;
before(() => {
  root = tempFolder('universeg-seg-load-');
  fs.cpSync(SERIES_DIR, path.join(root, 'series'), { recursive: true });
  engine = engineWith(confinedPaths(root), path.join(root, 'recent.json'));
});
after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const hippocampus = ANATOMY.find((a) => a.type.meaning === 'Hippocampus')!;

describe('loadLabels with a DICOM SEG (issue #17)', () => {
  test('brings back the labels, names, colours and codes it was exported with; a bad file changes nothing', async (t) => {
    // dcmqi reports every frame on stdout and a failed read's cause on stderr.
    t.mock.method(console, 'log', () => {});
    t.mock.method(console, 'error', () => {});
    const { labels } = await seriesWithTwoLabels();
    const data = labels.data.map((v) => (v === 1 ? 4 : v === 2 ? 9 : 0));
    await writeLabelVolume(path.join(root, 'labels.nii.gz'), { ...labels, data });
    const { handlers: h } = engine;
    const study = await h.openStudy({ path: 'series' });
    const ref = { studyId: study.id, itemId: study.items[0]!.id };
    await h.loadLabels({ ...ref, path: 'labels.nii.gz' });
    const coded = [
      {
        value: 4,
        name: 'Left hippocampus',
        color: [220, 216, 20] as [number, number, number],
        visible: true,
        locked: false,
        terminology: hippocampus,
      },
      { value: 9, name: 'Rest', color: [30, 144, 255] as [number, number, number], visible: true, locked: false },
    ];
    await h.setSegments({ ...ref, segments: coded });
    assert.equal((await h.exportLabels({ ...ref, path: 'coded.dcm' })).format, 'dicom-seg');

    // Other labels and no codes, then the SEG: it replaces both.
    await h.loadLabels({ ...ref, path: 'labels.nii.gz' });
    await h.setSegments({
      ...ref,
      segments: coded.map((s) => ({ value: s.value, name: `Label ${s.value}`, color: s.color, visible: true, locked: false })),
    });
    await h.setLabelSlice({ ...ref, axis: 2, index: 0, slice: { width: 256, height: 256, data: new Uint8Array(256 * 256).fill(1) } });
    const info = await h.loadLabels({ ...ref, path: 'coded.dcm' });
    assert.equal(info.path, path.join(root, 'coded.dcm'));
    const back = await h.getLabelVolume(ref);
    assert.ok(back && back.data.every((v, n) => v === data[n]), 'the label map differs from the one exported');
    const project = await h.getProject(ref);
    assert.deepEqual(
      project.segments.filter((s) => s.value !== 1),
      [
        { ...coded[0], terminology: hippocampus },
        { ...coded[1], terminology: { category: TISSUE, type: TISSUE } },
      ],
    );

    // A broken SEG is refused, naming the file and the problem; the project stays as it was.
    const broken = path.join(root, 'broken.dcm');
    fs.writeFileSync(broken, fs.readFileSync(path.join(root, 'coded.dcm')).subarray(0, 30000));
    await assert.rejects(h.loadLabels({ ...ref, path: 'broken.dcm' }), (e: Error) => e.message.startsWith(`${broken}: truncated`));
    // The autosave may land meanwhile and stamp `savedAt`; everything the user made must be as it was.
    const unsaved = ({ savedAt: _, ...rest }: typeof project) => rest;
    assert.deepEqual(unsaved(await h.getProject(ref)), unsaved(project));
    assert.ok((await h.getLabelVolume(ref))!.data.every((v, n) => v === data[n]));
  });
});

const TISSUE = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' };
