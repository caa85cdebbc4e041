import { engine, freshStores, openableStudy, settle, storage, study } from './fake-engine.js';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { useSessionStore } from '../../../renderer/src/stores/session.js';
import { useStudyStore } from '../../../renderer/src/stores/study.js';
import { useViewStore } from '../../../renderer/src/stores/view.js';

freshStores();
beforeEach(() => storage.clear());

test('what the tab shows is remembered: study, item, view and crosshair', async () => {
  engine.reset(openableStudy(study('s1', 'volume', ['a', 'b'])));
  useSessionStore();
  const s = useStudyStore();
  const view = useViewStore();
  await s.open('/data/s1', 'b');
  view.setView('coronal');
  view.setCrosshair([1, 2, 3]);
  await settle();
  assert.deepEqual(JSON.parse(storage.getItem('universeg.last')!), {
    path: '/data/s1',
    itemId: 'b',
    view: 'coronal',
    crosshair: [1, 2, 3],
  });
});

test('after a reload the tab reopens the study and comes back to the same item, view and crosshair', async () => {
  storage.setItem('universeg.last', JSON.stringify({ path: '/data/s1', itemId: 'b', view: 'sagittal', crosshair: [7, 8, 2] }));
  engine.reset(openableStudy(study('s1', 'volume', ['a', 'b'])));
  await useSessionStore().connect();
  const view = useViewStore();
  assert.equal(useStudyStore().itemId, 'b');
  assert.equal(view.view, 'sagittal');
  assert.deepEqual(view.crosshair, [7, 8, 2]);
});

test('an uploaded study is not remembered: it has no path to reopen', async () => {
  engine.reset(openableStudy(study('s1', 'volume', ['a'], '/tmp/universeg-upload-x/scan')));
  useSessionStore();
  await useStudyStore().open('/tmp/universeg-upload-x/scan');
  await settle();
  assert.equal(storage.getItem('universeg.last'), null);
});

test('a damaged memory opens nothing', async () => {
  storage.setItem('universeg.last', '{"path": 3');
  engine.reset(openableStudy(study('s1', 'volume', ['a'])));
  await useSessionStore().connect();
  assert.equal(useStudyStore().study, null);
  assert.deepEqual(engine.callsOf('openStudy'), []);
});
