/**
 * Coded anatomy through the contract: a label coded from the bundled list is exported in a .seg.nrrd and comes
 * back, with its name and colour, when that file is loaded onto the image again; the contract refuses a code
 * without its parts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ANATOMY, type Project, type SegmentDef } from '../../core/contract/index.js';
import { openAnatomical, startHarness, value, type Harness } from './harness.js';

let h: Harness;
let ref: { studyId: string; itemId: string };
before(async () => {
  h = await startHarness();
  ref = await openAnatomical(h, 'anatomical_labels.nii.gz');
});
after(() => h.close());

describe('segment terminology', () => {
  test('a coded label survives a .seg.nrrd export and reload', async () => {
    const project = value<Project>((await h.http('getProject', ref)).reply);
    const thalamus = ANATOMY.find((a) => a.type.meaning === 'Thalamus')!;
    const [first, ...rest] = project.segments;
    const coded: SegmentDef[] = [{ ...first!, name: 'Left thalamus', terminology: thalamus }, ...rest];
    value((await h.http('setSegments', { ...ref, segments: coded })).reply);
    value((await h.http('exportLabels', { ...ref, path: 'coded.seg.nrrd' })).reply);

    // Renamed and uncoded here; loading the file brings back what it says.
    value((await h.http('setSegments', { ...ref, segments: [{ ...first!, name: 'Something else' }, ...rest] })).reply);
    value((await h.http('loadLabels', { ...ref, path: path.join(h.root, 'coded.seg.nrrd') })).reply);
    const back = value<Project>((await h.http('getProject', ref)).reply).segments.find((s) => s.value === first!.value)!;
    assert.equal(back.name, 'Left thalamus');
    assert.deepEqual(back.color, first!.color);
    assert.deepEqual(back.terminology, thalamus);
  });

  test('a code without its value is refused', async () => {
    const project = value<Project>((await h.http('getProject', ref)).reply);
    const [first, ...rest] = project.segments;
    const broken = {
      ...first!,
      terminology: {
        category: { scheme: 'SCT', value: '', meaning: 'Tissue' },
        type: { scheme: 'SCT', value: '85756007', meaning: 'Tissue' },
      },
    };
    const { reply } = await h.http('setSegments', { ...ref, segments: [broken, ...rest] });
    assert.ok(!reply.ok);
  });
});
