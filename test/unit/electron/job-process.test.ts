import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { JOB_WORKER } from '../../../core/jobs/job-process.js';
import { startJob } from '../../../core/jobs/job-host.js';
import { utilityJobLauncher, type ForkUtility } from '../../../electron/job-process.js';
import { trainOptions } from '../../helpers/train-options.js';

/** Electron's utility process as far as the launcher uses it: messages in and out, exit, kill. */
class FakeUtility extends EventEmitter {
  posted: unknown[] = [];
  killed = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed = true;
    this.emit('exit', 0);
    return true;
  }
}

function launch(): { fake: FakeUtility; forked: string[]; fork: ForkUtility } {
  const fake = new FakeUtility();
  const forked: string[] = [];
  const fork = ((modulePath: string) => {
    forked.push(modulePath);
    return fake;
  }) as unknown as ForkUtility;
  return { fake, forked, fork };
}

test('a job in a utility process: started with its kind, its progress relayed, stopped once it reports its result', async () => {
  const { fake, forked, fork } = launch();
  const progress: number[] = [];
  const job = startJob('train', { options: trainOptions }, { onProgress: (done) => progress.push(done) }, utilityJobLauncher(fork));
  assert.deepEqual(forked, [JOB_WORKER]);
  assert.deepEqual(fake.posted, [{ type: 'start', kind: 'train', params: { options: trainOptions } }]);
  fake.emit('message', { type: 'progress', done: 3, total: 10 });
  fake.emit('message', { type: 'result', value: { step: 3 } });
  assert.deepEqual(await job.outcome, { status: 'done', value: { step: 3 } });
  assert.deepEqual(progress, [3]);
  assert.ok(fake.killed, 'a utility process does not end by itself');
});

test('a utility process that dies before its result is a failed job; cancel is passed on while it runs', async () => {
  const { fake, fork } = launch();
  const job = startJob('train', {}, {}, utilityJobLauncher(fork));
  job.cancel();
  assert.deepEqual(fake.posted.at(-1), { type: 'cancel' });
  fake.emit('exit', 9);
  assert.deepEqual(await job.outcome, { status: 'cancelled' });
  const second = launch();
  const crashed = startJob('train', {}, {}, utilityJobLauncher(second.fork));
  second.fake.emit('exit', 134);
  assert.deepEqual(await crashed.outcome, { status: 'failed', error: 'job process ended unexpectedly (exit 134)' });
});

test('what a job process sends is checked against its kind: a malformed event or result fails the job and stops it', async () => {
  const events: unknown[] = [];
  const first = launch();
  const badEvent = startJob('train', { options: trainOptions }, { onEvent: (e) => events.push(e) }, utilityJobLauncher(first.fork));
  first.fake.emit('message', { type: 'event', event: { type: 'step', step: 1, loss: 0.5, stepsPerSecond: 2 } });
  first.fake.emit('message', { type: 'event', event: { type: 'step', step: 'two' } });
  const failed = await badEvent.outcome;
  assert.equal(failed.status, 'failed');
  assert.match(failed.status === 'failed' ? failed.error : '', /job 'train' sent a malformed event/);
  assert.deepEqual(events, [{ type: 'step', step: 1, loss: 0.5, stepsPerSecond: 2 }]);
  assert.ok(first.fake.killed);

  const second = launch();
  const badResult = startJob(
    'propagate-images',
    { supports: [], targets: [], values: [1], supportSize: 8, ensemble: 1, seed: 0, model: 'm' },
    {},
    utilityJobLauncher(second.fork),
  );
  second.fake.emit('message', { type: 'result', value: { predicted: 1 } });
  const outcome = await badResult.outcome;
  assert.match(outcome.status === 'failed' ? outcome.error : '', /malformed result: .*networkRuns/s);
});
