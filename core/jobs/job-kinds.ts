import type { z } from 'zod';
import type { JobContext } from './job-protocol.js';
import { PropagateImagesJobParamsSchema, PredictedImageEventSchema, PropagateImagesJobResultSchema } from './propagate-images-job-spec.js';
import { PredictedSliceEventSchema, PropagateJobParamsSchema, PropagateJobResultSchema } from './propagate-job-spec.js';
import { BatchVolumeEventSchema, SegmentVolumesJobParamsSchema, SegmentVolumesJobResultSchema } from './segment-volumes-job-spec.js';
import { TrainJobEventSchema, TrainJobParamsSchema, TrainJobResultSchema } from './train-job-spec.js';

/**
 * Every kind of long work that runs in a job process, with what it takes, what it sends while it runs and what it
 * returns, as schemas: the child checks the params it is sent (job-worker.ts), the host every event and result it
 * receives (job-host.ts), so neither side casts what crosses the process boundary. The work itself is loaded lazily
 * inside the child, so the host never pays for the engine's imports.
 */
const schemas = {
  train: { params: TrainJobParamsSchema, event: TrainJobEventSchema, result: TrainJobResultSchema },
  propagate: { params: PropagateJobParamsSchema, event: PredictedSliceEventSchema, result: PropagateJobResultSchema },
  'propagate-images': { params: PropagateImagesJobParamsSchema, event: PredictedImageEventSchema, result: PropagateImagesJobResultSchema },
  'segment-volumes': { params: SegmentVolumesJobParamsSchema, event: BatchVolumeEventSchema, result: SegmentVolumesJobResultSchema },
};

export type JobKind = keyof typeof schemas;
export type JobParams<K extends JobKind> = z.output<(typeof schemas)[K]['params']>;
export type JobEvent<K extends JobKind> = z.output<(typeof schemas)[K]['event']>;
export type JobResult<K extends JobKind> = z.output<(typeof schemas)[K]['result']>;

/** A job kind's function, as it runs in the child. */
export type JobFunction<K extends JobKind> = (params: JobParams<K>, ctx: JobContext<JobEvent<K>>) => Promise<JobResult<K>>;

export interface JobKindSpec<K extends JobKind> {
  params: z.ZodType<JobParams<K>>;
  event: z.ZodType<JobEvent<K>>;
  result: z.ZodType<JobResult<K>>;
  load(): Promise<JobFunction<K>>;
}

/** Indexed by a kind K, each entry is a JobKindSpec<K>: a caller generic in K gets K's own types back, no cast. */
export const jobKinds: { [K in JobKind]: JobKindSpec<K> } = {
  train: { ...schemas.train, load: async () => (await import('./train-job.js')).trainJob },
  propagate: { ...schemas.propagate, load: async () => (await import('./propagate-job.js')).propagateJob },
  'propagate-images': { ...schemas['propagate-images'], load: async () => (await import('./propagate-images-job.js')).propagateImagesJob },
  'segment-volumes': { ...schemas['segment-volumes'], load: async () => (await import('./segment-volumes-job.js')).segmentVolumesJob },
};

export function isJobKind(kind: unknown): kind is JobKind {
  return typeof kind === 'string' && Object.hasOwn(jobKinds, kind);
}
