/**
 * The axis a project's workflow runs along follows the view the user paints in: setProjectAxis re-reads which
 * slices hold labels along the new axis (painted), drops the marks counted along the old one, keeps the labels.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ApiReply, LabelSlice, Project, Study } from '../../core/contract/index.js';
import { startHarness, value, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

function failure(reply: ApiReply): string {
  assert.ok(!reply.ok, `expected a refusal, got ${JSON.stringify(reply).slice(0, 200)}`);
  return reply.error.message;
}

// anatomical.nii is 33 x 41 x 25 (i, j, k). A coronal slice (axis 1) is 33 wide (i) and 25 high (k).
function coronalRectangle(k0: number, k1: number): LabelSlice {
  const data = new Uint8Array(33 * 25);
  for (let k = k0; k < k1; k++) data.fill(1, k * 33 + 10, k * 33 + 20);
  return { width: 33, height: 25, data };
}

test('painting in the coronal view: erased axial slices hold nothing again; the workflow moves to axis 1, its labelled slices painted, the old marks gone', async () => {
  const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
  const ref = { studyId: study.id, itemId: study.items[0]!.id };
  const edited = value<Project>(await h.ipc('setLabelSlice', { ...ref, axis: 1, index: 20, slice: coronalRectangle(8, 14) }));
  // Along the old axis (k) the stroke touched axial slices 8..13.
  assert.deepEqual([edited.axis, edited.painted], [2, [8, 9, 10, 11, 12, 13]]);
  // Undone (the slice sent back empty), those axial slices hold nothing again; redone, they are painted.
  const undone = value<Project>(await h.ipc('setLabelSlice', { ...ref, axis: 1, index: 20, slice: coronalRectangle(0, 0) }));
  assert.deepEqual(undone.painted, []);
  value(await h.ipc('setLabelSlice', { ...ref, axis: 1, index: 20, slice: coronalRectangle(8, 14) }));
  value(await h.ipc('setSliceStatus', { ...ref, index: 8, status: 'support' }));

  const coronal = value<Project>(await h.ipc('setProjectAxis', { ...ref, axis: 1 }));
  assert.deepEqual([coronal.axis, coronal.painted, coronal.support, coronal.predicted], [1, [20], [], []]);
  assert.deepEqual(coronal.labels, [{ value: 1, voxels: 60 }]);
  const marked = value<Project>(await h.ipc('setSliceStatus', { ...ref, index: 20, status: 'support' }));
  assert.deepEqual([marked.support, marked.supportCounts], [[20], [{ value: 1, slices: 1 }]]);
  assert.match(
    failure(await h.ipc('setSliceStatus', { ...ref, index: 41, status: 'support' })),
    /^slice 41 does not exist: axis 1 has 41 slices/,
  );

  // The project as read afresh says the same; back on axis 2, its labelled slices are painted again.
  const again = value<Project>(await h.ipc('getProject', ref));
  assert.deepEqual([again.axis, again.support], [1, [20]]);
  const back = value<Project>(await h.ipc('setProjectAxis', { ...ref, axis: 2 }));
  assert.deepEqual([back.axis, back.painted, back.support], [2, [8, 9, 10, 11, 12, 13], []]);
});

test('a 2D image has one plane: no other axis to work along', async () => {
  const study = value<Study>(await h.ipc('openStudy', { path: 'stack2d' }));
  const ref = { studyId: study.id, itemId: study.items[0]!.id };
  assert.match(failure(await h.ipc('setProjectAxis', { ...ref, axis: 2 })), /^axis 2 has one slice/);
});
