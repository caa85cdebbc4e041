import { engine, freshStores, openableStudy, settle, study, volumeInfo } from './fake-engine.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useNoticeStore } from '../../../renderer/src/stores/notices.js';
import { useStudyStore } from '../../../renderer/src/stores/study.js';
import { useViewStore } from '../../../renderer/src/stores/view.js';

freshStores();

test('opening a study selects its first item; the view follows: crosshair at its centre, fitted, default window', async () => {
  engine.reset(openableStudy(study('s1', 'volume', ['a', 'b']), [10, 12, 8]));
  const s = useStudyStore();
  const view = useViewStore();
  view.zoomBy(3);
  view.panBy(5, 5);
  await s.open('/data/s1');
  assert.equal(s.itemId, 'a');
  assert.deepEqual(view.crosshair, [5, 6, 4]);
  assert.equal(view.zoom, 1);
  assert.deepEqual(view.pan, [0, 0]);
  assert.ok(view.window.width > 0);
  assert.deepEqual(engine.callsOf('openStudy'), [{ path: '/data/s1' }]);
});

test('stepping through a folder of images keeps zoom, pan and crosshair; the window changes only for unlike images', async () => {
  const folder = study('f', 'image2d', ['1.png', '2.png', '3.png']);
  const ranges: Record<string, [number, number]> = { '1.png': [0, 100], '2.png': [1, 101], '3.png': [0, 4000] };
  engine.reset({
    ...openableStudy(folder),
    getVolumeInfo: (p) => volumeInfo('f', p.itemId as string, [20, 20, 1], ...ranges[p.itemId as string]!),
  });
  const s = useStudyStore();
  const view = useViewStore();
  await s.open('/data/f');
  assert.equal(s.isStack, true);
  view.zoomBy(2);
  view.setCrosshair([3, 4, 0]);
  const window = view.window;
  await s.stepItem(1);
  assert.equal(s.itemId, '2.png');
  assert.equal(view.zoom, 2);
  assert.deepEqual(view.crosshair, [3, 4, 0]);
  assert.deepEqual(view.window, window, 'a like intensity range keeps the window');
  await s.stepItem(1);
  assert.notDeepEqual(view.window, window, 'a T1 after a PD image gets its own window');
  assert.equal(view.zoom, 2);
  await s.stepItem(1);
  assert.equal(s.itemId, '3.png', 'no step past the last image');
});

test('selecting an item of another size outside a stack recentres and refits', async () => {
  engine.reset({
    ...openableStudy(study('s1', 'volume', ['a', 'b'])),
    getVolumeInfo: (p) => volumeInfo('s1', p.itemId as string, p.itemId === 'a' ? [10, 10, 10] : [4, 6, 2]),
  });
  const s = useStudyStore();
  const view = useViewStore();
  await s.open('/data/s1');
  view.zoomBy(2);
  await s.selectItem('b');
  assert.deepEqual(view.crosshair, [2, 3, 1]);
  assert.equal(view.zoom, 1);
});

test('a failed open leaves the study as it was and says why', async () => {
  engine.reset({ ...openableStudy(study('s1', 'volume', ['a'])), openStudy: () => Promise.reject(new Error('no such folder')) });
  const s = useStudyStore();
  await s.open('/nowhere');
  await settle();
  assert.equal(s.study, null);
  assert.equal(s.busy, null);
  assert.deepEqual(
    useNoticeStore().notices.map((n) => n.text),
    ['no such folder'],
  );
});
