/**
 * What a viewer holding a volume whole asks for (issue #17): the image in slabs, exactly the voxels the engine holds
 * in the smallest exact type, and the label map's changes since a revision, over HTTP and IPC alike.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImageSlab, LabelChanges, Project, Study } from '../../core/contract/index.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { openAnatomical, startHarness, value, type Harness } from './harness.js';

let h: Harness;
let ref: { studyId: string; itemId: string };
before(async () => {
  h = await startHarness();
  ref = await openAnatomical(h);
});
after(() => h.close());

const http = async <T>(method: string, params: unknown) => value<T>((await h.http(method, params)).reply);
/** anatomical.nii is 33 x 41 x 25. */
const PLANE = 33 * 41;

describe('getImageSlab and getLabelChanges', () => {
  test('slabs cover the image with the voxels the engine holds, in one integer type, over HTTP and IPC', async () => {
    const image = await readVolume(path.join(h.root, 'anatomical.nii'));
    const voxels: number[] = [];
    for (let from = 0; from < 25;) {
      const slab = await http<ImageSlab>('getImageSlab', { ...ref, from });
      assert.equal(slab.from, from);
      assert.equal(slab.type, 'int16');
      assert.ok(slab.data instanceof Int16Array);
      assert.equal(slab.data.length, slab.count * PLANE);
      voxels.push(...slab.data);
      from += slab.count;
    }
    assert.deepEqual(voxels, [...image.data]);
    // The IPC host's engine has studies of its own.
    const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
    const ipcSlab = value<ImageSlab>(await h.ipc('getImageSlab', { studyId: study.id, itemId: study.items[0]!.id, from: 3 }));
    assert.deepEqual([...ipcSlab.data.subarray(0, PLANE)], [...image.data.subarray(3 * PLANE, 4 * PLANE)]);
  });

  test('a slab past the last slice, or a bad argument, is refused with a 400 that says why', async () => {
    const past = await h.http('getImageSlab', { ...ref, from: 25 });
    assert.equal(past.status, 400);
    assert.ok(!past.reply.ok);
    assert.match(past.reply.error.message, /slice 25 does not exist: axis 2 has 25 slices/);
    assert.equal((await h.http('getImageSlab', { ...ref, from: -1 })).status, 400);
    assert.equal((await h.http('getImageSlab', { ...ref, from: 0, count: 3 })).status, 400);
    assert.equal((await h.http('getLabelChanges', { ...ref, since: 1.5 })).status, 400);
  });

  test('label changes: none without a map, then the slices changed since a revision, else the whole map', async () => {
    const none = await http<LabelChanges>('getLabelChanges', ref);
    assert.deepEqual(none.changes, { kind: 'none' });

    const data = new Uint8Array(PLANE).fill(4, 0, 10);
    const painted = await http<Project>('setLabelSlice', { ...ref, axis: 2, index: 7, slice: { width: 33, height: 41, data } });
    const since = await http<LabelChanges>('getLabelChanges', { ...ref, since: none.revision });
    assert.equal(since.revision, painted.revision);
    assert.ok(since.changes.kind === 'slices');
    assert.deepEqual(
      since.changes.slices.map((s) => [s.axis, s.index, s.width, s.height, [...s.data]]),
      [[2, 7, 33, 41, [...data]]],
    );
    // Marking support changes no voxel: nothing to fetch.
    const marked = await http<Project>('setSliceStatus', { ...ref, index: 7, status: 'support' });
    assert.deepEqual(await http<LabelChanges>('getLabelChanges', { ...ref, since: painted.revision }), {
      revision: marked.revision,
      changes: { kind: 'slices', slices: [] },
    });

    // A label file replaces the map: a copy from before must fetch it whole.
    await http('loadLabels', { ...ref, path: 'anatomical_labels.nii.gz' });
    const whole = await http<LabelChanges>('getLabelChanges', { ...ref, since: marked.revision });
    assert.ok(whole.changes.kind === 'whole');
    const file = await readLabelVolume(path.join(h.root, 'anatomical_labels.nii.gz'));
    assert.deepEqual(whole.changes.data, file.data);
    // A revision this engine never reached (it restarted since the copy was made): whole too.
    const ahead = await http<LabelChanges>('getLabelChanges', { ...ref, since: whole.revision + 100 });
    assert.equal(ahead.changes.kind, 'whole');
  });
});
