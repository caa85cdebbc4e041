import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { JOB_WORKER } from '../../../core/jobs/job-process.js';
import { startJob } from '../../../core/jobs/job-host.js';
import { utilityJobLauncher, type ForkUtility } from '../../../electron/job-process.js';

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
  const job = startJob<number>('propagate', { x: 1 }, { onProgress: (done) => progress.push(done) }, utilityJobLauncher(fork));
  assert.deepEqual(forked, [JOB_WORKER]);
  assert.deepEqual(fake.posted, [{ type: 'start', kind: 'propagate', params: { x: 1 } }]);
  fake.emit('message', { type: 'progress', done: 3, total: 10 });
  fake.emit('message', { type: 'result', value: 42 });
  assert.deepEqual(await job.outcome, { status: 'done', value: 42 });
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
