import { engine, freshStores, imageWork, openableStudy, project, settle, study } from './fake-engine.js';
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { useImageStore } from '../../../renderer/src/stores/images.js';
import { useJobStore } from '../../../renderer/src/stores/jobs.js';
import { useNoticeStore } from '../../../renderer/src/stores/notices.js';
import { useStudyStore } from '../../../renderer/src/stores/study.js';

freshStores();

async function openFolder() {
  const folder = study('f', 'image2d', ['1.png', '2.png', '3.png']);
  let work = [
    imageWork('1.png', 'support'),
    imageWork('2.png', 'predicted', { uncertainty: 0.1 }),
    imageWork('3.png', 'predicted', { uncertainty: 0.4 }),
  ];
  engine.reset({ ...openableStudy(folder, [8, 8, 1]), studyImages: () => work });
  const images = useImageStore();
  const s = useStudyStore();
  await s.open('/data/f');
  await settle();
  return { images, s, setWork: (next: typeof work) => (work = next) };
}

test("a folder's images: support and review order (most uncertain first) come from the engine's list", async () => {
  const { images } = await openFolder();
  assert.deepEqual(
    images.support.map((w) => w.itemId),
    ['1.png'],
  );
  assert.deepEqual(
    images.review.map((w) => w.itemId),
    ['3.png', '2.png'],
  );
  assert.deepEqual(
    images.targets.map((w) => w.itemId),
    ['2.png', '3.png'],
  );
});

test('a burst of project events refetches the list once, after a pause', async () => {
  const { images, setWork } = await openFolder();
  setWork([imageWork('1.png', 'support'), imageWork('2.png', 'support'), imageWork('3.png', 'none')]);
  const before = engine.callsOf('studyImages').length;
  for (const itemId of ['2.png', '3.png', '2.png']) images.onEvent({ type: 'project', project: project('f', itemId) });
  await settle();
  assert.equal(engine.callsOf('studyImages').length, before);
  mock.timers.tick(200);
  await settle();
  assert.equal(engine.callsOf('studyImages').length, before + 1);
  assert.deepEqual(
    images.support.map((w) => w.itemId),
    ['1.png', '2.png'],
  );
});

test('review of a folder selects the predicted images in order, keeping the view', async () => {
  const { images, s } = await openFolder();
  images.stepReview(1);
  await settle();
  assert.equal(s.itemId, '3.png');
  images.stepReview(1);
  await settle();
  assert.equal(s.itemId, '2.png');
});

test("a job's progress replaces its entry; a failure is told once", async () => {
  engine.reset({});
  const jobs = useJobStore();
  const notices = useNoticeStore();
  const job = { jobId: 'j1', kind: 'propagate', progress: 0, studyId: 's1', itemId: 'a' };
  jobs.onEvent({ type: 'job', job: { ...job, state: 'running' } });
  jobs.onEvent({ type: 'job', job: { ...job, state: 'failed', message: 'out of memory' } });
  jobs.onEvent({ type: 'job', job: { ...job, state: 'failed', message: 'out of memory' } });
  assert.equal(jobs.jobs.length, 1);
  assert.equal(jobs.active.length, 0);
  assert.deepEqual(
    notices.notices.map((n) => n.text),
    ['propagate failed: out of memory'],
  );
  assert.equal(jobs.latest('propagate', 's1', 'a')?.state, 'failed');
  jobs.onEvent({ type: 'loss', jobId: 'j2', step: 1, loss: 0.5 });
  jobs.onEvent({ type: 'loss', jobId: 'j2', step: 2, loss: 0.4 });
  assert.deepEqual(jobs.losses.j2, [
    { step: 1, loss: 0.5 },
    { step: 2, loss: 0.4 },
  ]);
});
