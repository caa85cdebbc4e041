import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiEvent } from '../../../core/contract/index.js';
import { ApiError } from '../../../core/contract/errors.js';
import { createEventBus } from '../../../core/engine/event-bus.js';
import { createEngine } from '../../../core/engine/handlers.js';
import { JobQueue, type StartJob } from '../../../core/engine/job-queue.js';
import { confinedPaths } from '../../../core/engine/paths.js';
import { recentStudiesFile } from '../../../core/engine/recent.js';
import { createUploadArea } from '../../../core/engine/upload.js';
import { DEFAULT_REGISTRATION } from '../../../core/infer/volume-registration.js';
import type { JobEvent, JobParams } from '../../../core/jobs/job-kinds.js';
import { TEST_MODEL, tempFolder } from './engine-fixture.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/viewer');

let root: string;
before(() => {
  root = tempFolder('universeg-batch-');
  fs.mkdirSync(path.join(root, 'study'));
  for (const name of ['a.nii', 'b.nii', 'c.nii']) fs.copyFileSync(path.join(FIXTURES, 'anatomical.nii'), path.join(root, 'study', name));
  fs.copyFileSync(path.join(FIXTURES, 'anatomical_labels.nii.gz'), path.join(root, 'labels.nii.gz'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** An engine over `root` whose jobs never run (they end when cancelled): each one started is kept, with its params and its event handler. */
function engine() {
  const started: { params: JobParams<'segment-volumes'>; send(event: JobEvent<'segment-volumes'>): void }[] = [];
  const events: ApiEvent[] = [];
  const bus = createEventBus();
  bus.subscribe((e) => events.push(e));
  const start: StartJob = (kind, params, handlers) => {
    assert.equal(kind, 'segment-volumes');
    started.push({ params: params as JobParams<'segment-volumes'>, send: (e) => handlers.onEvent?.(e as JobEvent<typeof kind>) });
    let cancel = () => {};
    const outcome = new Promise<{ status: 'cancelled' }>((resolve) => (cancel = () => resolve({ status: 'cancelled' })));
    return { outcome, cancel: () => cancel() };
  };
  const e = createEngine({
    paths: confinedPaths(root),
    recent: recentStudiesFile(path.join(root, 'recent.json')),
    uploads: createUploadArea(),
    events: bus,
    version: 'test',
    modelPath: TEST_MODEL,
    jobs: new JobQueue(bus, start),
  });
  return { engine: e, started, events };
}

const refusal = (words: RegExp) => (err: unknown) => err instanceof ApiError && words.test(err.message);

describe('segmentRest and batchReport (issue #16, the app)', () => {
  test('the labelled volume is the support, the others the targets, written beside the study', async () => {
    const { engine: e, started, events } = engine();
    const study = await e.handlers.openStudy({ path: 'study' });
    assert.equal(await e.handlers.batchReport({ studyId: study.id }), null);
    await assert.rejects(e.handlers.segmentRest({ studyId: study.id }), refusal(/no labelled volume yet/));

    await e.handlers.loadLabels({ studyId: study.id, itemId: 'a.nii', path: 'labels.nii.gz' });
    const { job, volumes } = await e.handlers.segmentRest({ studyId: study.id, registration: { reduction: 4 } });
    assert.equal(job.kind, 'segment-volumes');
    assert.deepEqual(
      volumes.map((v) => [v.itemId, v.state]),
      [
        ['b.nii', 'waiting'],
        ['c.nii', 'waiting'],
      ],
    );
    const [{ params, send }] = started as [(typeof started)[0]];
    assert.deepEqual(
      params.supports.map((s) => [s.itemId, s.image]),
      [['a.nii', path.join(root, 'study', 'a.nii')]],
    );
    assert.equal(params.out, path.join(root, 'study-segmentations'));
    assert.ok(fs.statSync(params.out).isDirectory());
    assert.deepEqual(params.registration, { ...DEFAULT_REGISTRATION, reduction: 4 });
    // The label map the job reads is the project's save, as it was when the job started.
    assert.ok(fs.existsSync(params.supports[0]!.labelsFile));
    await assert.rejects(e.handlers.segmentRest({ studyId: study.id }), refusal(/already (queued|running)/));

    send({ type: 'volume', input: path.join(root, 'study', 'c.nii'), state: 'running', progress: 0.5 });
    assert.deepEqual(
      events.findLast((x) => x.type === 'batch'),
      { type: 'batch', jobId: job.jobId, studyId: study.id, volume: { itemId: 'c.nii', state: 'running', progress: 0.5 } },
    );
    await e.close();
  });

  test("the report read back names each row's study item; a damaged one names its file", async () => {
    const { engine: e } = engine();
    const study = await e.handlers.openStudy({ path: 'study' });
    const out = path.join(root, 'study-segmentations');
    fs.mkdirSync(out, { recursive: true });
    const row = {
      volume: path.join(root, 'study', 'b.nii'),
      output: path.join(out, 'b.nii.gz'),
      status: 'segmented',
      label: 1,
      name: 'Label 1',
      volumeMl: 2,
      firstSlice: 3,
      lastSlice: 9,
      meanUncertainty: 0.2,
      estimatedDice: 0.8,
      priorDice: null,
      networkDice: null,
      networkWeight: 0.5,
      seconds: 4,
      note: '',
    };
    const skipped = {
      ...row,
      volume: path.join(root, 'elsewhere.nii'),
      output: null,
      status: 'skipped',
      label: null,
      note: 'did not register',
    };
    fs.writeFileSync(
      path.join(out, 'report.json'),
      JSON.stringify({ writtenAt: '2026-12-05T00:00:00.000Z', supportSubjects: 1, rows: [row, skipped] }),
    );
    const report = await e.handlers.batchReport({ studyId: study.id });
    assert.equal(report?.folder, out);
    assert.deepEqual(
      report?.rows.map((r) => [r.itemId, r.status]),
      [
        ['b.nii', 'segmented'],
        [null, 'skipped'],
      ],
    );
    fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ rows: [{ ...row, status: 'maybe' }] }));
    await assert.rejects(e.handlers.batchReport({ studyId: study.id }), refusal(/report\.json: not a batch report/));
    await e.close();
  });

  test('a study of one volume, or the served folder itself, has no batch', async () => {
    const { engine: e } = engine();
    const single = await e.handlers.openStudy({ path: 'study/a.nii' });
    await assert.rejects(e.handlers.segmentRest({ studyId: single.id }), refusal(/no other volumes/));
    const whole = await e.handlers.openStudy({ path: '.' });
    assert.equal(await e.handlers.batchReport({ studyId: whole.id }), null);
    await e.close();
  });
});
