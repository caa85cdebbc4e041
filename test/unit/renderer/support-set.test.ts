import { engine, freshStores, imageWork, openableStudy, project, settle, study } from './fake-engine.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useProjectStore } from '../../../renderer/src/stores/project.js';
import { useStudyStore } from '../../../renderer/src/stores/study.js';
import { useSupportSet } from '../../../renderer/src/support-set.js';

freshStores();

const queued = (kind: string) => () => ({ jobId: 'j1', kind, state: 'queued', progress: 0 });

test("a volume's support set: its support slices, propagated within the volume", async () => {
  engine.reset({
    ...openableStudy(study('s1', 'volume', ['t1'])),
    getProject: () =>
      project('s1', 't1', { support: [2, 5], supportCounts: [{ value: 1, slices: 2 }], review: [{ index: 4, uncertainty: 0.2 }] }),
    propagate: queued('propagate'),
  });
  const set = useSupportSet();
  useProjectStore();
  await useStudyStore().open('/data/s1');
  await settle();
  assert.equal(set.value.unit, 'slice');
  assert.equal(set.value.interpolates, true);
  assert.equal(set.value.count, 2);
  assert.deepEqual(set.value.perLabel, [{ value: 1, slices: 2 }]);
  assert.deepEqual(
    set.value.thumbs.map((t) => [t.caption, t.itemId]),
    [
      ['3', undefined],
      ['6', undefined],
    ],
  );
  assert.deepEqual(set.value.review, [{ here: true, uncertainty: 0.2 }], 'the crosshair starts on slice 4 of 8, the predicted one');
  await set.value.propagate();
  assert.equal(engine.callsOf('propagate').length, 1);
  assert.equal(engine.callsOf('propagateImages').length, 0);
});

test("a folder's support set: its support images, propagated to the folder's other images", async () => {
  engine.reset({
    ...openableStudy(study('f', 'image2d', ['a.png', 'b.png', 'c.png']), [8, 8, 1]),
    studyImages: () => [
      imageWork('a.png', 'support', { labels: [1, 2] }),
      imageWork('b.png', 'support'),
      imageWork('c.png', 'predicted', { uncertainty: 0.3 }),
    ],
    propagateImages: queued('propagate-images'),
  });
  const set = useSupportSet();
  useProjectStore();
  await useStudyStore().open('/data/f');
  await settle();
  assert.equal(set.value.unit, 'image');
  assert.equal(set.value.interpolates, false);
  assert.equal(set.value.count, 2);
  assert.equal(set.value.targets, 1);
  assert.deepEqual(set.value.perLabel, [
    { value: 1, slices: 2 },
    { value: 2, slices: 1 },
  ]);
  assert.deepEqual(
    set.value.thumbs.map((t) => [t.caption, t.itemId, t.active]),
    [
      ['a.png', 'a.png', true],
      ['b.png', 'b.png', false],
    ],
  );
  set.value.thumbs[1]!.show();
  await settle();
  assert.equal(useStudyStore().itemId, 'b.png');
  await set.value.propagate();
  assert.deepEqual(engine.callsOf('propagateImages'), [
    { studyId: 'f', supportSize: 8, ensemble: 1, seed: 0, networkWeight: 0.4, extents: [] },
  ]);
  assert.equal(engine.callsOf('propagate').length, 0);
});
