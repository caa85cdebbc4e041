/**
 * Worker thread of registration-pool.ts: registers the pairs of neighbouring slices it is sent, one at a time and in order, with
 * the same code (and so the same numbers) as propagation's own thread.
 */
import { workerData } from 'node:worker_threads';
import { registerSlices } from './slice-registration.js';
import { UNCLAIMED, WORKER, type RegistrationJob, type RegistrationResult, type WorkerData } from './registration-pool.js';

const { port, done, claims } = workerData as WorkerData;
const counter = new Int32Array(done);
const claimed = new Int32Array(claims);
port.on('message', (job: RegistrationJob) => {
  let result: RegistrationResult;
  if (Atomics.compareExchange(claimed, job.claim, UNCLAIMED, WORKER) !== UNCLAIMED) {
    // The caller needed the pair before this worker got to it, and registers it itself.
    result = { key: job.key, error: 'claimed by the caller' };
  } else {
    try {
      result = { key: job.key, field: registerSlices(job.fixed, job.moving, job.width, job.height) };
    } catch (err) {
      result = { key: job.key, error: String(err) };
    }
  }
  port.postMessage(
    result,
    result.error === undefined ? [result.field.dx.buffer as ArrayBuffer, result.field.dy.buffer as ArrayBuffer] : [],
  );
  // Wakes propagation's thread if it is blocked waiting for this pair (RegistrationPool.take).
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
