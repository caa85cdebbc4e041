import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelLog } from '../../../core/project/label-log.js';
import { Project } from '../../../core/project/project.js';

test('the slices changed after a revision, each once, in the order first changed', () => {
  const log = new LabelLog();
  log.slice(1, 2, 5);
  log.slice(2, 0, 7);
  log.slice(3, 2, 5);
  assert.deepEqual(log.since(0, 3), [
    { axis: 2, index: 5 },
    { axis: 0, index: 7 },
  ]);
  assert.deepEqual(log.since(2, 3), [{ axis: 2, index: 5 }]);
  assert.deepEqual(log.since(3, 3), []);
});

test('a copy from before a wholesale replacement, past what is kept, or from a revision never reached needs the whole map', () => {
  const log = new LabelLog(2);
  log.slice(1, 2, 0);
  log.whole(4);
  assert.equal(log.since(3, 4), null);
  assert.deepEqual(log.since(4, 4), []);
  log.slice(5, 2, 1);
  log.slice(6, 2, 2);
  log.slice(7, 2, 3);
  // The entry of revision 5 is gone: a copy at 4 misses it, one at 5 has it.
  assert.equal(log.since(4, 7), null);
  assert.deepEqual(log.since(5, 7), [
    { axis: 2, index: 2 },
    { axis: 2, index: 3 },
  ]);
  assert.equal(log.since(8, 7), null);
});

test('a project logs edits and predictions at the revision they made, and nothing for other changes', () => {
  const grid = {
    size: [2, 2, 3] as [number, number, number],
    spacing: [1, 1, 1] as [number, number, number],
    origin: [0, 0, 0] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3 as const,
    source: 'x.nii',
  };
  const project = new Project('/tmp/none', 'x.nii', grid);
  // Labels on the first slice along the project axis (2) only: the last can still be predicted.
  project.replaceSlice(0, 1, { width: 2, height: 3, data: Uint8Array.from([1, 1, 0, 0, 0, 0]) });
  const edited = project.revision;
  project.setStatus(0, 'support');
  project.applyPrediction(2, { width: 2, height: 2, data: new Uint8Array(4).fill(2) }, null, null);
  assert.deepEqual(project.labelChangesSince(0), [
    { axis: 0, index: 1 },
    { axis: 2, index: 2 },
  ]);
  assert.deepEqual(project.labelChangesSince(edited), [{ axis: 2, index: 2 }]);
  project.attach({ ...grid, data: new Uint8Array(12) }, '/tmp/labels.nii');
  assert.equal(project.labelChangesSince(edited), null);
  assert.deepEqual(project.labelChangesSince(project.revision), []);
});
