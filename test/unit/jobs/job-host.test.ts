import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startJob } from '../../../core/jobs/job-host.js';
import { loadCheckpoint } from '../../../core/train/checkpoint.js';
import type { TrainingRunOptions } from '../../../core/train/run-training.js';

function trainOptions(out: string, steps: number): TrainingRunOptions {
  return {
    size: 16,
    support: 2,
    batch: 1,
    lr: 1e-3,
    warmup: 0,
    steps,
    clipNorm: 1,
    seed: 1,
    augment: false,
    bceWeight: 0,
    out,
    resume: false,
    data: [],
    syntheticWeight: 1,
    widths: 4,
    checkpointEvery: 0,
    validateEvery: 0,
    validationSets: 0,
  };
}

describe('jobs in a child process', () => {
  it('runs ONNX Runtime training in the child with progress events, and reports the result', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-job-'));
    const progress: number[] = [];
    const job = startJob<{ step: number }>(
      'train',
      { options: trainOptions(out, 3), engine: { device: 'cpu', threads: 1 } },
      {
        onProgress: (done) => progress.push(done),
      },
    );
    const outcome = await job.outcome;
    assert.deepEqual(outcome, { status: 'done', value: { step: 3 } });
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal((await loadCheckpoint(out)).step, 3);
  });

  it('cancels: the job stops, saves its checkpoint and ends as cancelled', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'useg-job-'));
    const job = startJob(
      'train',
      { options: trainOptions(out, 10000), engine: { device: 'cpu', threads: 1 } },
      {
        onProgress: (done) => {
          if (done === 2) job.cancel();
        },
      },
    );
    assert.deepEqual(await job.outcome, { status: 'cancelled' });
    const step = (await loadCheckpoint(out)).step;
    assert.ok(step >= 2 && step < 10, `checkpoint at step ${step}`);
  });

  it('turns a failure into a value naming the problem', async () => {
    const job = startJob('train', { options: { ...trainOptions('/nonexistent/x', 2), resume: true } });
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { error: string }).error, /cannot resume/);
    const unknown = await startJob('no-such-kind', {}).outcome;
    assert.deepEqual(unknown, { status: 'failed', error: "unknown job kind 'no-such-kind'" });
  });
});
