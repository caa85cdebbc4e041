import { engine, freshStores, openableStudy, project, settle, study } from './fake-engine.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useNoticeStore } from '../../../renderer/src/stores/notices.js';
import { useProjectStore } from '../../../renderer/src/stores/project.js';
import { useStudyStore } from '../../../renderer/src/stores/study.js';
import { useViewStore } from '../../../renderer/src/stores/view.js';

freshStores();

async function openVolume(change: Parameters<typeof project>[2] = {}) {
  engine.reset({ ...openableStudy(study('s1', 'volume', ['a'])), getProject: () => project('s1', 'a', change) });
  const p = useProjectStore();
  const s = useStudyStore();
  await s.open('/data/s1');
  await settle();
  return { p, s };
}

test("selecting an item loads its project, and the propagation form takes the project's last settings", async () => {
  const settings = { supportSize: 4, ensemble: 3, seed: 7, networkWeight: 1, extents: [] };
  const { p } = await openVolume({ propagation: settings });
  assert.equal(p.project?.itemId, 'a');
  assert.deepEqual(p.form, { ...settings, labels: null, first: '', last: '' });
  assert.deepEqual(
    p.models.map((m) => m.name),
    ['default'],
  );
});

test('loading a label file fetches the project afresh', async () => {
  const { p, s } = await openVolume();
  engine.handlers.loadLabels = () => ({ path: '/data/labels.nii.gz', labels: [{ value: 2, voxels: 5 }] });
  engine.handlers.getProject = () => project('s1', 'a', { revision: 2, labels: [{ value: 2, voxels: 5 }] });
  const before = engine.callsOf('getProject').length;
  await s.loadLabels('/data/labels.nii.gz');
  await settle();
  assert.equal(engine.callsOf('getProject').length, before + 1);
  assert.deepEqual(p.project?.labels, [{ value: 2, voxels: 5 }]);
  assert.deepEqual(s.info?.labels?.labels, [{ value: 2, voxels: 5 }]);
});

test('a project event older than what is shown is ignored; a newer one is taken, and its save error told once', async () => {
  const { p } = await openVolume({ revision: 5 });
  const notices = useNoticeStore();
  p.onEvent({ type: 'project', project: project('s1', 'a', { revision: 4, support: [3] }) });
  assert.deepEqual(p.project?.support, []);
  p.onEvent({ type: 'project', project: project('s1', 'a', { revision: 6, support: [3], saveError: 'disk full' }) });
  p.onEvent({ type: 'project', project: project('s1', 'a', { revision: 7, support: [3], saveError: 'disk full' }) });
  assert.deepEqual(p.project?.support, [3]);
  assert.deepEqual(
    notices.notices.map((n) => n.text),
    ['disk full'],
  );
});

test('a new label takes the lowest free value and becomes the one painted', async () => {
  const { p } = await openVolume({
    segments: [
      { value: 1, name: 'A', color: [1, 2, 3], visible: true, locked: false },
      { value: 3, name: 'C', color: [1, 2, 3], visible: true, locked: false },
    ],
  });
  engine.handlers.setSegments = (params) => project('s1', 'a', { revision: 2, segments: params.segments as never });
  await p.addSegment();
  const sent = engine.callsOf('setSegments')[0]!.segments as { value: number; name: string }[];
  assert.deepEqual(
    sent.map((s) => [s.value, s.name]),
    [
      [1, 'A'],
      [3, 'C'],
      [2, 'Label 2'],
    ],
  );
  assert.equal(p.activeValue, 2);
});

test('propagate sends the form: chosen labels that have support, and the slice range counted from 0', async () => {
  const { p } = await openVolume({
    supportCounts: [
      { value: 1, slices: 2 },
      { value: 2, slices: 0 },
    ],
  });
  engine.handlers.propagate = () => ({ jobId: 'j1', kind: 'propagate', state: 'queued', progress: 0 });
  p.form = { ...p.form, labels: [1, 2], first: 2, last: '' };
  await p.propagate();
  const [sent] = engine.callsOf('propagate');
  assert.deepEqual(sent, {
    studyId: 's1',
    itemId: 'a',
    supportSize: 8,
    ensemble: 1,
    seed: 0,
    networkWeight: 0.4,
    extents: [],
    labels: [1],
    slices: { from: 1, to: 7 },
  });
});

test('review steps through the predicted slices most uncertain first, wrapping around', async () => {
  const { p } = await openVolume({
    predicted: [1, 4, 6],
    review: [
      { index: 4, uncertainty: 0.3 },
      { index: 1, uncertainty: 0.2 },
      { index: 6, uncertainty: 0.1 },
    ],
  });
  const view = useViewStore();
  view.setSlice(0);
  const seen = [];
  for (let n = 0; n < 4; n++) {
    p.review(1);
    seen.push(view.sliceIndex);
  }
  assert.deepEqual(seen, [4, 1, 6, 4]);
  assert.equal(p.currentStatus, 'predicted');
});
