import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiEvent } from '../../../core/contract/index.js';
import type { JobProcess } from '../../../core/jobs/job-process.js';
import { startJob } from '../../../core/jobs/job-host.js';
import type { EngineMessage, RelayMessage } from '../../../electron/engine-protocol.js';
import { createEngineRelay, type EngineLink, type EngineRelay } from '../../../electron/engine-relay.js';
import { relayedJobs } from '../../../electron/relayed-jobs.js';
import { forkEngineLink } from '../../helpers/engine-child.js';
import { trainOptions } from '../../helpers/train-options.js';

const ANATOMICAL = path.resolve(import.meta.dirname, '../../fixtures/viewer/anatomical.nii');

describe('the desktop engine in a process of its own, driven through the relay main runs', () => {
  let home: string;
  let study: string;
  let relay: EngineRelay;
  let exited: Promise<string>;

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'universeg-engine-host-'));
    study = path.join(home, 'brain');
    fs.mkdirSync(study);
    fs.copyFileSync(ANATOMICAL, path.join(study, 'anatomical.nii'));
    const link = forkEngineLink({ home, recentFile: path.join(home, 'recent.json'), version: '9.9.9', jobs: 'fork' });
    // Watched alongside the relay: the same link carries both.
    exited = new Promise((resolve) => link.listen(() => undefined, resolve));
    relay = createEngineRelay(link, () => assert.fail('no job is started here'));
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  test('calls reach the engine and its answers come back, slices as typed arrays; a path is open only once granted', async () => {
    const health = await relay.call('health', {});
    assert.deepEqual(health.ok && health.value, { ok: true, version: '9.9.9', apiVersion: 1, root: null });

    const refused = await relay.call('openStudy', { path: study });
    assert.equal(!refused.ok && refused.error.code, 'forbidden');
    assert.equal(await relay.grant(study), fs.realpathSync(study));
    assert.equal(await relay.grant(''), null);

    const opened = await relay.call('openStudy', { path: study });
    assert.ok(opened.ok, JSON.stringify(opened));
    const { id: studyId, items } = opened.value as { id: string; items: { id: string }[] };
    const info = await relay.call('getVolumeInfo', { studyId, itemId: items[0]!.id });
    assert.ok(info.ok);
    const [i, j] = (info.value as { size: [number, number, number] }).size;
    const slice = await relay.call('getSlice', { studyId, itemId: items[0]!.id, axis: 2, index: 0 });
    assert.ok(slice.ok);
    const { width, height, data } = slice.value as { width: number; height: number; data: Float32Array };
    assert.deepEqual([width, height], [i, j]);
    assert.ok(data instanceof Float32Array && data.length === i * j);

    assert.deepEqual(
      (await relay.recentStudies()).map((r) => r.path),
      [fs.realpathSync(study)],
    );
    const bad = await relay.call('getSlice', { studyId, itemId: items[0]!.id, axis: 7, index: 0 });
    assert.equal(!bad.ok && bad.error.code, 'bad-request');
  });

  test('closing ends the engine process; a call after that is an error reply, not a hang', async () => {
    await relay.close();
    assert.match(await exited, /exit|SIGTERM/);
    const late = await relay.call('health', {});
    assert.equal(!late.ok && late.error.code, 'internal');
    assert.match(!late.ok ? late.error.message : '', /the engine stopped/);
  });
});

/** An engine process as the relay sees it, driven by hand. */
class FakeEngine extends EventEmitter implements EngineLink {
  posted: RelayMessage[] = [];
  post(message: RelayMessage): void {
    this.posted.push(message);
  }
  listen(onMessage: (message: unknown) => void, onExit: (why: string) => void): void {
    this.on('message', onMessage);
    this.on('exit', onExit);
  }
  kill(): void {
    this.emit('exit', 'killed');
  }
}

test('the relay passes on events that fit the contract, starts the job processes the engine asks for and carries their messages', () => {
  const engine = new FakeEngine();
  const toJob: unknown[] = [];
  let fromJob: (message: unknown) => void = () => undefined;
  let jobEnded: (why: string) => void = () => undefined;
  let finished = false;
  const job: JobProcess = {
    send: (message) => void toJob.push(message),
    listen(onMessage, onEnd) {
      fromJob = onMessage;
      jobEnded = onEnd;
    },
    finished: () => void (finished = true),
    connected: true,
  };
  const relay = createEngineRelay(engine, () => job);
  const events: ApiEvent[] = [];
  relay.onEvent((event) => events.push(event));

  engine.emit('message', { type: 'event', event: { type: 'loss', jobId: 'j1', step: 3, loss: 0.25 } });
  engine.emit('message', { type: 'event', event: { type: 'loss', jobId: 'j1', step: 'three' } });
  engine.emit('message', { type: 'no-such-message' });
  assert.deepEqual(events, [{ type: 'loss', jobId: 'j1', step: 3, loss: 0.25 }]);

  engine.emit('message', { type: 'job-launch', ticket: 4 });
  engine.emit('message', { type: 'job-send', ticket: 4, message: { type: 'start', kind: 'train', params: {} } });
  assert.deepEqual(toJob, [{ type: 'start', kind: 'train', params: {} }]);
  fromJob({ type: 'progress', done: 1, total: 2 });
  engine.emit('message', { type: 'job-finished', ticket: 4 });
  assert.ok(finished);
  jobEnded('exit 0');
  assert.deepEqual(engine.posted, [
    { type: 'job-message', ticket: 4, message: { type: 'progress', done: 1, total: 2 } },
    { type: 'job-end', ticket: 4, why: 'exit 0' },
  ]);
});

test('a call pending when the engine process dies is answered with an internal error', async () => {
  const engine = new FakeEngine();
  const relay = createEngineRelay(engine, () => assert.fail('no job'));
  const reply = relay.call('health', {});
  assert.deepEqual(engine.posted, [{ type: 'call', id: 1, method: 'health', params: {} }]);
  engine.emit('exit', 'exit 134');
  assert.deepEqual(await reply, { ok: false, error: { code: 'internal', message: 'the engine stopped (exit 134)' } });
});

test("the engine's jobs, started through main: launch, start message, the job's result and end travel by ticket", async () => {
  const posted: EngineMessage[] = [];
  const jobs = relayedJobs((message) => posted.push(message));
  const job = startJob('train', { options: trainOptions }, {}, jobs.launch);
  assert.deepEqual(posted, [
    { type: 'job-launch', ticket: 1 },
    { type: 'job-send', ticket: 1, message: { type: 'start', kind: 'train', params: { options: trainOptions } } },
  ]);
  jobs.message(1, { type: 'result', value: { step: 10 } });
  assert.deepEqual(posted.at(-1), { type: 'job-finished', ticket: 1 });
  jobs.end(1, 'exit 0');
  assert.deepEqual(await job.outcome, { status: 'done', value: { step: 10 } });
  // A second job gets its own ticket; one whose process dies first fails with why.
  const crashed = startJob('train', { options: trainOptions }, {}, jobs.launch);
  jobs.end(2, 'exit 134');
  assert.deepEqual(await crashed.outcome, { status: 'failed', error: 'exit 134' });
});
