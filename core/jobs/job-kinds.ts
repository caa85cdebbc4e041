import type { JobContext } from './job-protocol.js';

/**
 * Every kind of long work that runs in a job process. Loaded lazily inside the child, so the host never pays for
 * the engine's imports.
 */
export const jobKinds: Record<string, () => Promise<(params: never, ctx: JobContext) => Promise<unknown>>> = {
  train: async () => (await import('./train-job.js')).trainJob,
  propagate: async () => (await import('./propagate-job.js')).propagateJob,
  'propagate-images': async () => (await import('./propagate-images-job.js')).propagateImagesJob,
};
