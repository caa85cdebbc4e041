/**
 * The annotation workflow over the contract: a project per item saved as it changes and restored by a fresh
 * engine, support slices, propagation as a job (events, cancel), the uncertainty, export in every format.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { ApiEvent, ApiReply, ImageWork, JobProgress, LabelSlice, Project, Slice, Study } from '../../core/contract/index.js';
import { createDispatch } from '../../core/engine/dispatch.js';
import { createEventBus, type ApiEvents } from '../../core/engine/event-bus.js';
import { createEngine } from '../../core/engine/handlers.js';
import { unconfinedPaths } from '../../core/engine/paths.js';
import { recentStudiesFile } from '../../core/engine/recent.js';
import { createUploadArea } from '../../core/engine/upload.js';
import { readLabelVolume } from '../../core/data/read-label-volume.js';
import { readVolume } from '../../core/data/read-volume.js';
import { imageSupportTasks, segmentWithTasks } from '../../core/infer/image-support.js';
import { propagateVolume } from '../../core/infer/propagate-volume.js';
import { SHAPE_PRIOR_WEIGHT } from '../../core/infer/shape-prior.js';
import { loadModel } from '../../core/model/model.js';
import { savedMapFile } from '../helpers/saved-project.js';
import { startHarness, TEST_MODEL, value, type Harness } from './harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

function failure(reply: ApiReply): { code: string; message: string } {
  assert.ok(!reply.ok, `expected a refusal, got ${JSON.stringify(reply).slice(0, 200)}`);
  return reply.error;
}

/** A filled rectangle of `label` in a 33x41 axial slice of anatomical.nii. */
function rectangle(label: number, x0: number, y0: number, x1: number, y1: number): LabelSlice {
  const data = new Uint8Array(33 * 41);
  for (let y = y0; y < y1; y++) data.fill(label, y * 33 + x0, y * 33 + x1);
  return { width: 33, height: 41, data };
}

/** Slice 15 of the tests: label 2, and a band of label 1 (so label 1 has two support slices to draw from). */
function slice15(): LabelSlice {
  const slice = rectangle(2, 12, 10, 22, 20);
  slice.data.set(rectangle(1, 10, 25, 20, 30).data.subarray(25 * 33, 30 * 33), 25 * 33);
  return slice;
}

/** Resolves with a job's final state; collects the project events that came before it. */
function finished(events: ApiEvents, jobId: string): Promise<{ job: JobProgress; projects: Project[] }> {
  const projects: Project[] = [];
  return new Promise((resolve) => {
    const stop = events.subscribe((event) => {
      if (event.type === 'project') projects.push(event.project);
      if (event.type === 'job' && event.job.jobId === jobId && ['done', 'failed', 'cancelled'].includes(event.job.state)) {
        stop();
        resolve({ job: event.job, projects });
      }
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a project: painted slices, support, labels, saved and restored', () => {
  let ref: { studyId: string; itemId: string };

  test('painting marks a slice painted; support, names and colours follow; all of it is saved', async () => {
    const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
    ref = { studyId: study.id, itemId: study.items[0]!.id };
    const fresh = value<Project>(await h.ipc('getProject', ref));
    assert.deepEqual([fresh.axis, fresh.support, fresh.painted, fresh.predicted], [2, [], [], []]);
    assert.deepEqual(fresh.segments, [{ value: 1, name: 'Label 1', color: [255, 64, 64], visible: true, locked: false }]);
    assert.equal(fresh.folder, path.join(h.root, '.universeg', 'anatomical.nii'));

    const painted = value<Project>(await h.ipc('setLabelSlice', { ...ref, axis: 2, index: 5, slice: rectangle(1, 10, 12, 20, 25) }));
    assert.deepEqual([painted.painted, painted.support, painted.labels], [[5], [], [{ value: 1, voxels: 130 }]]);
    await h.ipc('setLabelSlice', { ...ref, axis: 2, index: 15, slice: slice15() });
    await h.ipc('setSliceStatus', { ...ref, index: 5, status: 'support' });
    const marked = value<Project>(await h.ipc('setSliceStatus', { ...ref, index: 15, status: 'support' }));
    assert.deepEqual([marked.support, marked.painted], [[5, 15], []]);
    // Label 2 appeared by painting: it got a default name and colour.
    assert.deepEqual(marked.supportCounts, [
      { value: 1, slices: 2 },
      { value: 2, slices: 1 },
    ]);
    const named = value<Project>(
      await h.ipc('setSegments', {
        ...ref,
        segments: [
          { value: 1, name: 'Ventricles', color: [10, 20, 30], visible: true, locked: true },
          { value: 2, name: 'Thalamus', color: [200, 100, 0], visible: false, locked: false },
        ],
      }),
    );
    assert.deepEqual(
      named.segments.map((s) => s.name),
      ['Ventricles', 'Thalamus'],
    );
    // Undo of the first stroke: the slice holds nothing again and leaves the support... only if asked.
    const undone = value<Project>(
      await h.ipc('setLabelSlice', { ...ref, axis: 2, index: 5, slice: rectangle(0, 0, 0, 0, 0), status: 'none' }),
    );
    assert.deepEqual(undone.support, [15]);
    const redone = value<Project>(
      await h.ipc('setLabelSlice', { ...ref, axis: 2, index: 5, slice: rectangle(1, 10, 12, 20, 25), status: 'support' }),
    );
    assert.deepEqual(redone.support, [5, 15]);

    const saved = await until('the autosave', async () => {
      const p = value<Project>(await h.ipc('getProject', ref));
      return p.savedAt !== null && existsSync(path.join(p.folder, 'project.json')) && p;
    });
    assert.equal(saved.saveError, null);
    const onDisk = await readLabelVolume(savedMapFile(saved.folder, 'labels')!);
    assert.equal(onDisk.data.filter((v) => v === 1).length, 180);
    assert.equal(onDisk.data.filter((v) => v === 2).length, 100);
    assert.equal(readFileSync(path.join(h.root, 'anatomical.nii')).length, 68002, 'the image is untouched');
  });

  test('a fresh engine (a restart, a reloaded page) finds the work where it was left', async () => {
    // As an earlier version saved it: before the network's weight was a propagation setting.
    const saved = value<Project>(await h.ipc('getProject', ref));
    const file = path.join(saved.folder, 'project.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    delete state.propagation.networkWeight;
    writeFileSync(file, JSON.stringify(state));
    const events = createEventBus();
    const engine = createEngine({
      paths: unconfinedPaths(h.root),
      recent: recentStudiesFile(path.join(h.outside, 'restart-recent.json')),
      uploads: createUploadArea(),
      events,
      version: '0',
      modelPath: TEST_MODEL,
    });
    const call = createDispatch(engine.handlers);
    try {
      const study = value<Study>(await call('openStudy', { path: path.join(h.root, 'anatomical.nii') }));
      const again = { studyId: study.id, itemId: study.items[0]!.id };
      const project = value<Project>(await call('getProject', again));
      assert.deepEqual([project.support, project.painted], [[5, 15], []]);
      assert.deepEqual(
        project.segments.map((s) => [s.name, s.color, s.visible, s.locked]),
        [
          ['Ventricles', [10, 20, 30], true, true],
          ['Thalamus', [200, 100, 0], false, false],
        ],
      );
      assert.deepEqual(
        value<LabelSlice>(await call('getLabelSlice', { ...again, axis: 2, index: 5 })).data,
        rectangle(1, 10, 12, 20, 25).data,
      );
      assert.equal(project.propagation.networkWeight, SHAPE_PRIOR_WEIGHT);
      assert.deepEqual(value<{ labels: unknown }>(await call('getVolumeInfo', again)).labels, {
        path: null,
        labels: [
          { value: 1, voxels: 180 },
          { value: 2, voxels: 100 },
        ],
      });
    } finally {
      await engine.close();
    }
  });

  test('an edit is on disk once the engine closes, even one made a moment before', async () => {
    const start = () =>
      createEngine({
        paths: unconfinedPaths(h.root),
        recent: recentStudiesFile(path.join(h.outside, 'close-recent.json')),
        uploads: createUploadArea(),
        events: createEventBus(),
        version: '0',
        modelPath: TEST_MODEL,
      });
    const first = start();
    const call = createDispatch(first.handlers);
    const study = value<Study>(await call('openStudy', { path: path.join(h.root, 'stack2d') }));
    const item = { studyId: study.id, itemId: study.items[1]!.id };
    const { size } = value<{ size: number[] }>(await call('getVolumeInfo', item));
    const data = new Uint8Array(size[0]! * size[1]!).fill(4, 0, 50);
    value(await call('setLabelSlice', { ...item, axis: 2, index: 0, slice: { width: size[0], height: size[1], data } }));
    await first.close();
    const second = start();
    try {
      const again = createDispatch(second.handlers);
      const reopened = value<Study>(await again('openStudy', { path: path.join(h.root, 'stack2d') }));
      const slice = value<LabelSlice>(await again('getLabelSlice', { studyId: reopened.id, itemId: item.itemId, axis: 2, index: 0 }));
      assert.deepEqual(slice.data, data);
    } finally {
      await second.close();
    }
  });

  test('painting across the project axis (a coronal slice) makes every axial slice it changed painted', async () => {
    const coronal = new Uint8Array(33 * 25);
    for (const k of [2, 3, 21]) coronal.fill(1, k * 33 + 4, k * 33 + 8);
    const project = value<Project>(
      await h.ipc('setLabelSlice', { ...ref, axis: 1, index: 30, slice: { width: 33, height: 25, data: coronal } }),
    );
    assert.deepEqual(project.painted, [2, 3, 21]);
    assert.deepEqual(project.support, [5, 15], 'support slices stay support');
    await h.ipc('setLabelSlice', { ...ref, axis: 1, index: 30, slice: { width: 33, height: 25, data: new Uint8Array(33 * 25) } });
    for (const k of [2, 3, 21]) await h.ipc('setSliceStatus', { ...ref, index: k, status: 'none' });
  });

  test('refusals name the problem', async () => {
    assert.match(
      failure(await h.ipc('setSliceStatus', { ...ref, index: 25, status: 'support' })).message,
      /^slice 25 does not exist: axis 2 has 25 slices/,
    );
    assert.match(
      failure(await h.ipc('setSliceStatus', { ...ref, index: 1, status: 'maybe' })).message,
      /^setSliceStatus: status: expected one of "support", "painted", "predicted", "none"$/,
    );
    assert.match(
      failure(await h.ipc('setSegments', { ...ref, segments: [{ value: 1, name: 'A', color: [0, 0, 0], visible: true, locked: false }] }))
        .message,
      /^label 2 still has 100 voxels: erase them before removing the label$/,
    );
    const twice = { value: 1, name: 'A', color: [0, 0, 0], visible: true, locked: false };
    assert.match(failure(await h.ipc('setSegments', { ...ref, segments: [twice, twice] })).message, /two labels share one value/);
    assert.match(
      failure(await h.ipc('setSegments', { ...ref, segments: [{ ...twice, color: [0, 0, 256] }] })).message,
      /^setSegments: segments\.0\.color\.2: expected number to be <=255$/,
    );
    assert.match(failure(await h.ipc('propagate', { ...ref, ensemble: 0 })).message, /^propagate: ensemble: expected number to be >=1$/);
    assert.match(
      failure(await h.ipc('propagate', { ...ref, networkWeight: 1.5 })).message,
      /^propagate: networkWeight: expected number to be <=1$/,
    );
    assert.match(failure(await h.ipc('propagate', { ...ref, labels: [7] })).message, /^label 7 is on no support slice/);
  });
});

describe('propagation as a job', () => {
  let ref: { studyId: string; itemId: string };
  const settings = { supportSize: 1, ensemble: 2, seed: 3, networkWeight: 0.7 };

  before(async () => {
    const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
    ref = { studyId: study.id, itemId: study.items[0]!.id };
  });

  test('without support slices there is nothing to propagate from', async () => {
    const dicom = value<Study>(await h.ipc('openStudy', { path: 'dicom_mr' }));
    const reply = await h.ipc('propagate', { studyId: dicom.id, itemId: dicom.items[0]!.id });
    assert.match(failure(reply).message, /^no support slices yet: paint a few slices and mark them as support \(M\)$/);
  });

  test('fills every other slice as propagateVolume does, slice by slice, with an uncertainty', async () => {
    const job = value<JobProgress>(await h.ipc('propagate', { ...ref, ...settings }));
    assert.equal(job.kind, 'propagate');
    const { job: end, projects } = await finished(h.ipcEvents, job.jobId);
    assert.equal(end.state, 'done', end.message);
    assert.match(end.message ?? '', /^23 slices predicted/);
    // Slices arrived in several announcements before the job ended, each with more predicted slices.
    assert.ok(projects.length >= 2, `${projects.length} project events`);
    assert.ok(projects[0]!.predicted.length < 23);

    const project = value<Project>(await h.ipc('getProject', ref));
    assert.deepEqual(project.support, [5, 15]);
    assert.equal(project.predicted.length, 23);
    assert.deepEqual(project.propagation, { ...settings, extents: [] });
    assert.equal(project.hasUncertainty, true);
    assert.deepEqual(
      project.review.map((r) => r.index).sort((a, b) => a - b),
      project.predicted,
    );
    assert.ok(project.review[0]!.uncertainty >= project.review.at(-1)!.uncertainty, 'most uncertain first');

    const volume = await readVolume(path.join(h.root, 'anatomical.nii'));
    const partial = { ...volume, data: new Uint8Array(volume.data.length) };
    partial.data.set(rectangle(1, 10, 12, 20, 25).data, 5 * 33 * 41);
    partial.data.set(slice15().data, 15 * 33 * 41);
    const model = await loadModel(TEST_MODEL, { device: 'cpu' });
    const expected = await propagateVolume(model, volume, partial, { axis: 2, labelledSlices: [5, 15], ...settings }).finally(() =>
      model.release(),
    );
    for (let k = 0; k < 25; k++) {
      const slice = value<LabelSlice>(await h.ipc('getLabelSlice', { ...ref, axis: 2, index: k }));
      assert.deepEqual(slice.data, expected.labels.data.subarray(k * 33 * 41, (k + 1) * 33 * 41), `slice ${k}`);
    }
    const spread = value<Slice>(await h.ipc('getUncertaintySlice', { ...ref, axis: 2, index: project.review[0]!.index }));
    const k = project.review[0]!.index;
    assert.deepEqual(spread.data, expected.uncertainty.data.subarray(k * 33 * 41, (k + 1) * 33 * 41));
    assert.ok(
      spread.data.some((v) => v > 0),
      'two members drawing one of two support slices of label 1 disagree somewhere',
    );

    // The job wrote its raw result into the project; the host saved the merged map and the uncertainty.
    await until('the save after the job', async () => savedMapFile(project.folder, 'uncertainty') !== null);
    const prediction = await readLabelVolume(path.join(project.folder, 'prediction.nii.gz'));
    assert.deepEqual(prediction.data, expected.labels.data);
    // What propagation decided per label, as propagateVolume reports it, kept with the project.
    const report = value<Project>(await h.ipc('getProject', ref)).propagationReport!;
    assert.deepEqual(
      report.labels,
      expected.perLabel.map((l) => ({
        value: l.value,
        examples: l.examples.length,
        extent: l.extent,
        extentFrom: 'estimated',
        estimatedDice: l.estimatedDice,
        leaveOneOut: l.leaveOneOut?.asRun ?? null,
      })),
    );
    assert.deepEqual(report.suggestedSlice, expected.suggestedSlice);
  });

  test('a corrected slice is accepted into the support; painted slices are kept by the next propagation', async () => {
    const project = value<Project>(await h.ipc('getProject', ref));
    // The most uncertain slices past the support at 15: correcting slice 5 later then leaves those predicted beyond
    // them (support drawn from 15 and the accepted slice, shape interpolated between them) unchanged.
    const [first, second] = project.review.map((r) => r.index).filter((i) => i > 15);
    await h.ipc('setLabelSlice', { ...ref, axis: 2, index: first!, slice: rectangle(1, 5, 5, 9, 9) });
    const accepted = value<Project>(await h.ipc('setSliceStatus', { ...ref, index: first!, status: 'support' }));
    assert.deepEqual(
      accepted.support,
      [5, 15, first!].sort((a, b) => a - b),
    );
    assert.ok(!accepted.predicted.includes(first!));
    // Painted but not accepted: the user's, left alone.
    const mine = rectangle(2, 1, 1, 3, 3);
    await h.ipc('setLabelSlice', { ...ref, axis: 2, index: second!, slice: mine });
    const job = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1] }));
    const { job: end } = await finished(h.ipcEvents, job.jobId);
    assert.equal(end.state, 'done', end.message);
    const after = value<Project>(await h.ipc('getProject', ref));
    assert.deepEqual(after.painted, [second]);
    assert.equal(after.predicted.length, 21);
    assert.deepEqual(value<LabelSlice>(await h.ipc('getLabelSlice', { ...ref, axis: 2, index: second! })).data, mine.data);

    // Nothing changed since: the same propagation keeps every prediction; a correction re-predicts its neighbours only.
    const again = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1] }));
    assert.equal(
      (await finished(h.ipcEvents, again.jobId)).job.message,
      '0 slices predicted (0 network runs); 21 unchanged since the last propagation',
    );
    await h.ipc('setLabelSlice', { ...ref, axis: 2, index: 5, slice: rectangle(1, 10, 12, 22, 25), status: 'support' });
    const redo = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1] }));
    const message = (await finished(h.ipcEvents, redo.jobId)).job.message ?? '';
    const [, predicted, unchanged] = /^(\d+) slices predicted .*; (\d+) unchanged/.exec(message) ?? [];
    assert.ok(Number(predicted) > 0 && Number(unchanged) > 0 && Number(predicted) + Number(unchanged) === 21, message);

    // A range: only its slices; one past the volume is refused.
    const some = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1], slices: { from: 0, to: 3 } }));
    assert.match((await finished(h.ipcEvents, some.jobId)).job.message ?? '', /^4 slices predicted \(\d+ network runs\)$/);
    assert.match(
      failure(await h.ipc('propagate', { ...ref, slices: { from: 20, to: 25 } })).message,
      /^slices 20\.\.25 reach past the last slice \(24\)$/,
    );
    assert.match(failure(await h.ipc('propagate', { ...ref, slices: { from: 9, to: 3 } })).message, /from must not be after to/);
  });

  test("a label's slices set by the user: nothing is predicted past them, and the setting is kept", async () => {
    const job = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1], extents: [{ value: 1, from: 8, to: 12 }] }));
    assert.equal((await finished(h.ipcEvents, job.jobId)).job.state, 'done');
    const project = value<Project>(await h.ipc('getProject', ref));
    assert.deepEqual(project.propagation.extents, [{ value: 1, from: 8, to: 12 }]);
    const label = project.propagationReport!.labels.find((l) => l.value === 1)!;
    assert.equal(label.extentFrom, 'user');
    for (const k of project.predicted) {
      const slice = value<LabelSlice>(await h.ipc('getLabelSlice', { ...ref, axis: 2, index: k }));
      if (k < 8 || k > 12) assert.ok(!slice.data.includes(1), `slice ${k} is outside label 1's slices`);
    }
    assert.match(
      failure(await h.ipc('propagate', { ...ref, extents: [{ value: 1, from: 3, to: 30 }] })).message,
      /^the extent of label 1 \(3\.\.30\) reaches past the last slice \(24\)$/,
    );
    assert.match(
      failure(await h.ipc('propagate', { ...ref, extents: [{ value: 1, from: 5, to: 3 }] })).message,
      /from must not be after to/,
    );
    assert.match(
      failure(
        await h.ipc('propagate', {
          ...ref,
          extents: [
            { value: 1, from: 1, to: 3 },
            { value: 1, from: 4, to: 5 },
          ],
        }),
      ).message,
      /a label has two extents/,
    );
    // Back to the estimate.
    const back = value<JobProgress>(await h.ipc('propagate', { ...ref, labels: [1], extents: [] }));
    assert.equal((await finished(h.ipcEvents, back.jobId)).job.state, 'done');
    assert.equal(
      value<Project>(await h.ipc('getProject', ref)).propagationReport!.labels.find((l) => l.value === 1)!.extentFrom,
      'estimated',
    );
  });

  test('a running propagation can be cancelled; a second one for the same image is refused meanwhile', async () => {
    const job = value<JobProgress>(await h.ipc('propagate', ref));
    assert.match(failure(await h.ipc('propagate', ref)).message, /^a propagation of this image is already (queued|running)/);
    const done = finished(h.ipcEvents, job.jobId);
    value(await h.ipc('cancelJob', { jobId: job.jobId }));
    assert.equal((await done).job.state, 'cancelled');
    const listed = value<JobProgress[]>(await h.ipc('listJobs', {}));
    assert.equal(listed[0]!.jobId, job.jobId);
    assert.match(failure(await h.ipc('cancelJob', { jobId: 'j999' })).message, /^no job "j999"$/);
  });

  test('over HTTP, job and project events arrive on the WebSocket', async () => {
    const study = value<Study>((await h.http('openStudy', { path: 'anatomical.nii' })).reply);
    const httpRef = { studyId: study.id, itemId: study.items[0]!.id };
    const socket = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events?token=${h.server.token}`);
    const received: ApiEvent[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as ApiEvent));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    try {
      // The HTTP host has its own engine over the same folder: it restored the project saved above.
      const restored = value<Project>((await h.http('getProject', httpRef)).reply);
      assert.ok(restored.support.length >= 3);
      const job = value<JobProgress>((await h.http('propagate', { ...httpRef, ensemble: 1 })).reply);
      await until(
        'the end of the job',
        async () => received.some((e) => e.type === 'job' && e.job.jobId === job.jobId && e.job.state === 'done'),
        60_000,
      );
      assert.ok(received.some((e) => e.type === 'job' && e.job.state === 'running'));
      assert.ok(received.some((e) => e.type === 'project' && e.project.predicted.length > 0));
    } finally {
      socket.close();
    }
  });
});

describe('propagation across the 2D images of a folder', () => {
  const SAMPLE_2D = path.resolve(import.meta.dirname, '../../assets/sample/2d');
  const SUPPORT = ['axial-062.png', 'axial-074.png'];
  const TARGETS = ['axial-059.png', 'axial-071.png', 'axial-083.png'];
  let studyId: string;
  let ids: Map<string, string>;

  before(async () => {
    // Real slices of the sample: two will be painted with their truth and marked as support.
    const folder = path.join(h.root, 'insula2d');
    mkdirSync(folder);
    for (const f of SUPPORT) cpSync(path.join(SAMPLE_2D, 'support-images', f), path.join(folder, f));
    for (const f of TARGETS) cpSync(path.join(SAMPLE_2D, 'input', f), path.join(folder, f));
    const study = value<Study>(await h.ipc('openStudy', { path: 'insula2d' }));
    studyId = study.id;
    ids = new Map(study.items.map((i) => [i.name, i.id]));
  });

  const truthSlice = async (file: string): Promise<LabelSlice> => {
    const truth = await readLabelVolume(path.join(SAMPLE_2D, 'support-labels', file));
    return { width: truth.size[0], height: truth.size[1], data: truth.data.map((v) => (v ? 1 : 0)) };
  };

  test("without support images it is refused; the image list shows each image's work", async () => {
    assert.match(failure(await h.ipc('propagateImages', { studyId })).message, /^no support images yet/);
    for (const f of SUPPORT) {
      const itemId = ids.get(f)!;
      value(await h.ipc('setLabelSlice', { studyId, itemId, axis: 2, index: 0, slice: await truthSlice(f) }));
      value(
        await h.ipc('setSegments', {
          studyId,
          itemId,
          segments: [{ value: 1, name: 'Insula', color: [10, 200, 30], visible: true, locked: false }],
        }),
      );
      value(await h.ipc('setSliceStatus', { studyId, itemId, index: 0, status: 'support' }));
    }
    const images = value<ImageWork[]>(await h.ipc('studyImages', { studyId }));
    assert.deepEqual(
      images.map((i) => [i.itemId, i.status, i.labels]),
      [...ids].sort().map(([name, id]) => [id, SUPPORT.includes(name) ? 'support' : 'none', SUPPORT.includes(name) ? [1] : []]),
    );
  });

  test("fills every other image as segmentWithTasks does, image by image, with the support's label names", async () => {
    const settings = { supportSize: 1, ensemble: 2, seed: 5 };
    const job = value<JobProgress>(await h.ipc('propagateImages', { studyId, ...settings }));
    assert.equal(job.kind, 'propagate-images');
    assert.match(failure(await h.ipc('propagateImages', { studyId })).message, /^a propagation across these images is already/);
    const { job: end, projects } = await finished(h.ipcEvents, job.jobId);
    assert.equal(end.state, 'done', end.message);
    assert.equal(end.message, '3 images predicted');
    assert.ok(
      projects.some((p) => p.predicted.length === 1),
      'each predicted image is announced',
    );

    const model = await loadModel(TEST_MODEL, { device: 'cpu' });
    try {
      const supports = await Promise.all(
        SUPPORT.map(async (f) => {
          const truth = await truthSlice(f);
          const image = await readVolume(path.join(h.root, 'insula2d', f));
          return { name: f, image, labels: { ...image, data: truth.data } };
        }),
      );
      const tasks = imageSupportTasks(supports, model.config);
      const images = value<ImageWork[]>(await h.ipc('studyImages', { studyId }));
      for (const [i, f] of [...TARGETS].sort().entries()) {
        const itemId = ids.get(f)!;
        // The job seeds each image by its place among the targets (in the study's order).
        const expected = await segmentWithTasks(model, await readVolume(path.join(h.root, 'insula2d', f)), tasks, {
          ...settings,
          seed: settings.seed + i,
        });
        const slice = value<LabelSlice>(await h.ipc('getLabelSlice', { studyId, itemId, axis: 2, index: 0 }));
        assert.deepEqual(slice.data, expected.labels.data, f);
        const work = images.find((w) => w.itemId === itemId)!;
        assert.equal(work.status, 'predicted');
        assert.ok(Math.abs(work.uncertainty! - expected.spread.reduce((a, b) => a + b, 0) / expected.spread.length) < 1e-6);
        const project = value<Project>(await h.ipc('getProject', { studyId, itemId }));
        assert.deepEqual(
          project.segments.map((s) => [s.value, s.name]),
          [[1, 'Insula']],
        );
      }
    } finally {
      await model.release();
    }
  });

  test('an accepted image joins the support and is left alone by the next propagation', async () => {
    const itemId = ids.get('axial-071.png')!;
    value(await h.ipc('setSliceStatus', { studyId, itemId, index: 0, status: 'support' }));
    const job = value<JobProgress>(await h.ipc('propagateImages', { studyId, supportSize: 3 }));
    const { job: end } = await finished(h.ipcEvents, job.jobId);
    assert.equal(end.message, '2 images predicted');
    const images = value<ImageWork[]>(await h.ipc('studyImages', { studyId }));
    assert.equal(images.filter((i) => i.status === 'support').length, 3);
    assert.match(
      failure(await h.ipc('propagateImages', { studyId: value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' })).id })).message,
      /no other 2D images/,
    );
  });

  test('fine-tuning from any image learns from every support image, and the whole folder then uses the model', async () => {
    const target = ids.get('axial-083.png')!;
    const job = value<JobProgress>(await h.ipc('train', { studyId, itemId: target, steps: 4, name: 'insula-tuned' }));
    assert.match(job.message ?? '', /on 3 support images for 4 steps/);
    const { job: end } = await finished(h.ipcEvents, job.jobId);
    assert.equal(end.state, 'done', end.message);
    const project = value<Project>(await h.ipc('getProject', { studyId, itemId: target }));
    assert.equal(project.model.name, 'insula-tuned');
    const data = await readLabelVolume(path.join(project.folder, 'training', 'insula-tuned', 'data', 'labels.nii.gz'));
    assert.deepEqual(data.size, [181, 217, 3]);
    for (const f of SUPPORT) {
      const support = value<Project>(await h.ipc('getProject', { studyId, itemId: ids.get(f)! }));
      assert.equal(support.model.path, project.model.path, f);
      assert.ok(
        value<{ path: string }[]>(await h.ipc('listModels', { studyId, itemId: ids.get(f)! })).some((m) => m.path === project.model.path),
      );
    }
  });

  test('every labelled image exports as a PNG mask into a new folder, never outside the served one', async () => {
    const done = value<{ path: string; written: string[] }>(await h.ipc('exportImageMasks', { studyId, path: 'exports/insula2d' }));
    assert.equal(done.path, path.join(h.root, 'exports', 'insula2d'));
    assert.deepEqual(
      done.written.map((f) => path.basename(f)),
      [...ids.keys()].sort(),
    );
    for (const [name, itemId] of ids) {
      const png = await readVolume(path.join(done.path, name));
      const slice = value<LabelSlice>(await h.ipc('getLabelSlice', { studyId, itemId, axis: 2, index: 0 }));
      assert.deepEqual(
        png.data,
        Float32Array.from(slice.data, (v) => (v ? 255 : 0)),
        name,
      );
    }
    const served = value<Study>((await h.http('openStudy', { path: 'insula2d' })).reply);
    const outside = await h.http('exportImageMasks', { studyId: served.id, path: '../outside/masks' });
    assert.equal(outside.status, 403);
    const escape = await h.http('exportImageMasks', { studyId: served.id, path: 'escape/masks' });
    assert.equal(escape.status, 403);
    assert.ok(!existsSync(path.join(h.outside, 'masks')));
  });
});

describe('export', () => {
  let ref: { studyId: string; itemId: string };
  before(async () => {
    const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
    ref = { studyId: study.id, itemId: study.items[0]!.id };
  });

  test(".nii.gz and .seg.nrrd in the image geometry, with the labels' names and colours", async () => {
    const exported = value<{ path: string; format: string }>(await h.ipc('exportLabels', { ...ref, path: 'out.nii.gz' }));
    assert.deepEqual(exported, { path: path.join(h.root, 'out.nii.gz'), format: 'nifti' });
    const image = await readVolume(path.join(h.root, 'anatomical.nii'));
    const labels = await readLabelVolume(exported.path);
    assert.deepEqual(
      [labels.size, labels.spacing, labels.origin, labels.direction],
      [image.size, image.spacing, image.origin, image.direction],
    );
    for (let k = 0; k < 25; k++) {
      const slice = value<LabelSlice>(await h.ipc('getLabelSlice', { ...ref, axis: 2, index: k }));
      assert.deepEqual(labels.data.subarray(k * 33 * 41, (k + 1) * 33 * 41), slice.data);
    }
    value(await h.ipc('exportLabels', { ...ref, path: 'out.seg.nrrd' }));
    const header = readFileSync(path.join(h.root, 'out.seg.nrrd')).subarray(0, 4000).toString('latin1');
    assert.match(header, /Segment0_Name:=Ventricles/);
    assert.match(header, /Segment0_Color:=0\.0392\d* 0\.0784\d* 0\.117\d*/);
    assert.match(header, /Segment1_Name:=Thalamus/);
  });

  test('DICOM SEG for a DICOM series, PNG for a 2D image; each refused where it does not fit', async () => {
    const dicom = value<Study>(await h.ipc('openStudy', { path: 'dicom_mr' }));
    const dref = { studyId: dicom.id, itemId: dicom.items[0]!.id };
    const data = new Uint8Array(256 * 256).fill(1, 256 * 120, 256 * 140);
    await h.ipc('setLabelSlice', { ...dref, axis: 2, index: 2, slice: { width: 256, height: 256, data } });
    assert.equal(value<{ format: string }>(await h.ipc('exportLabels', { ...dref, path: 'seg.dcm' })).format, 'dicom-seg');
    assert.equal(readFileSync(path.join(h.root, 'seg.dcm')).subarray(128, 132).toString('latin1'), 'DICM');
    assert.match(failure(await h.ipc('exportLabels', { ...ref, path: 'x.dcm' })).message, /^a DICOM SEG refers to a DICOM series/);
    assert.match(failure(await h.ipc('exportLabels', { ...ref, path: 'x.png' })).message, /^PNG masks are for 2D images/);
    assert.match(
      failure(await h.ipc('exportLabels', { ...ref, path: 'x.txt' })).message,
      /^x\.txt: export as \.seg\.nrrd, \.nrrd, \.nii\.gz/,
    );

    const stack = value<Study>(await h.ipc('openStudy', { path: 'stack2d' }));
    const sref = { studyId: stack.id, itemId: stack.items[0]!.id };
    const size = value<{ size: number[] }>(await h.ipc('getVolumeInfo', sref)).size;
    const mask = new Uint8Array(size[0]! * size[1]!).fill(1, 0, size[0]! * 3);
    await h.ipc('setLabelSlice', { ...sref, axis: 2, index: 0, slice: { width: size[0]!, height: size[1]!, data: mask } });
    value(await h.ipc('exportLabels', { ...sref, path: 'stack2d/mask.png' }));
    const png = await readVolume(path.join(h.root, 'stack2d/mask.png'));
    assert.deepEqual(png.size, [size[0], size[1], 1]);
    assert.deepEqual(
      [...new Set(png.data)].sort((a, b) => a - b),
      [0, 255],
    );
    assert.equal(png.data.filter((v) => v === 255).length, size[0]! * 3);
  });

  test('never over an image of the study, never outside the served folder', async () => {
    assert.match(
      failure(await h.ipc('exportLabels', { ...ref, path: 'anatomical.nii' })).message,
      /anatomical\.nii is an image of this study: export elsewhere/,
    );
    const study = value<Study>((await h.http('openStudy', { path: 'anatomical.nii' })).reply);
    const { status, reply } = await h.http('exportLabels', {
      studyId: study.id,
      itemId: study.items[0]!.id,
      path: '../outside/labels.nii.gz',
    });
    assert.equal(status, 403);
    assert.match(failure(reply).message, /outside the served folder/);
    assert.equal(readFileSync(path.join(h.root, 'anatomical.nii')).length, 68002);
  });
});

describe('fine-tuning on the support slices', () => {
  test('a train job reports its loss, saves a new model and switches the image to it', async () => {
    const study = value<Study>(await h.ipc('openStudy', { path: 'anatomical.nii' }));
    const ref = { studyId: study.id, itemId: study.items[0]!.id };
    const before = value<{ name: string; path: string }[]>(await h.ipc('listModels', ref));
    assert.deepEqual(
      before.map((m) => m.path),
      [TEST_MODEL],
    );
    const losses: number[] = [];
    const stop = h.ipcEvents.subscribe((e) => e.type === 'loss' && losses.push(e.loss));
    const job = value<JobProgress>(await h.ipc('train', { ...ref, steps: 6, name: 'tuned' }));
    const { job: end } = await finished(h.ipcEvents, job.jobId);
    stop();
    assert.equal(end.state, 'done', end.message);
    assert.equal(end.message, 'saved as tuned; propagation now uses it');
    assert.equal(losses.length, 6);
    assert.ok(losses.every((l) => Number.isFinite(l) && l > 0));

    const models = value<{ name: string; path: string }[]>(await h.ipc('listModels', ref));
    assert.deepEqual(
      models.map((m) => m.name),
      ['tiny-model', 'tuned'],
    );
    const project = value<Project>(await h.ipc('getProject', ref));
    assert.deepEqual(project.model, models[1]);
    // The training data is the support slices, stacked.
    const data = await readLabelVolume(path.join(project.folder, 'training', 'tuned', 'data', 'labels.nii.gz'));
    assert.deepEqual(data.size, [33, 41, project.support.length]);
    // Cut only across the stacked slices: along i or j the stack is unrelated slices side by side.
    const manifest = JSON.parse(readFileSync(path.join(project.folder, 'training', 'tuned', 'data', 'dataset.json'), 'utf8')) as {
      pairs: { axes: number[] }[];
    };
    assert.deepEqual(
      manifest.pairs.map((p) => p.axes),
      [[2]],
    );

    assert.match(failure(await h.ipc('train', { ...ref, steps: 6, name: 'tuned' })).message, /^a model named tuned exists already/);
    assert.match(failure(await h.ipc('train', { ...ref, steps: 6, name: '../x' })).message, /^train: name: use 1 to 64 letters/);
    // `..` and `.` pass the character set but name the training folder's parent or itself.
    for (const name of ['..', '.', '...'])
      assert.match(failure(await h.ipc('train', { ...ref, steps: 6, name })).message, /^train: name: .*not only dots/);
    assert.match(failure(await h.ipc('setModel', { ...ref, path: '/etc/passwd' })).message, /is not one of this image's models/);
    const back = value<Project>(await h.ipc('setModel', { ...ref, path: TEST_MODEL }));
    assert.equal(back.model.path, TEST_MODEL);
  });
});
