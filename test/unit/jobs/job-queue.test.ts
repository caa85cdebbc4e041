import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventBus } from '../../../core/engine/event-bus.js';
import { JobQueue } from '../../../core/engine/job-queue.js';
import type { JobOutcome } from '../../../core/jobs/job-protocol.js';

test('a job cancelled before it started still finishes, so what was set aside for it (a pinned label map) is let go', async () => {
  // A first job that never ends keeps the second one queued.
  const queue = new JobQueue(createEventBus(), () => ({ outcome: new Promise(() => undefined), cancel: () => undefined }));
  const finished: JobOutcome[] = [];
  queue.submit({ kind: 'train', params: {}, message: 'first' });
  const second = queue.submit({ kind: 'propagate', params: {}, message: 'second', onFinish: (outcome) => void finished.push(outcome) });
  queue.cancel(second.jobId);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(finished, [{ status: 'cancelled' }]);
});
